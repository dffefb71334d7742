"""Assigning new tickets automatically (issue 18; docs/regulation.md, "Who gets a new ticket").

At registration, when switched on in the settings (duty.models.AssignmentSettings):
1. the eligible: active engineers who handle the ticket's tier and product area (duty.rules);
2. of them, those within their working hours at `now`: the one with the least open work
   (tickets assigned to them whose clock runs: registered, in progress, disputed), ties to
   the one whose last automatic assignment is oldest (round-robin);
3. nobody of them at work and the ticket of the 24×7 shift (tier and priority in the
   settings; Critical Premium and Platinum by default): the 24×7 on-duty engineers who handle
   the tier, chosen the same way, and the chosen one is alerted at once;
4. otherwise nobody: the ticket stays unassigned, and the audit event says why.
The candidates' profile rows are locked before their work is read, so two registrations at
once see each other's ticket and never both take the same tie. The open work is a counter
kept by PostgreSQL triggers (tickets.models.EngineerWorkload, migration 0017).
"""

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Count

from accounts import reference
from accounts.models import User
from duty import selectors as duty_selectors
from duty.models import DutyProfile
from duty.rules import Duty, handling_refusal
from tickets.models import CLOCK_RUNNING_STATES, Ticket
from tickets.notifications import notify
from tickets.services._base import Kind, NKind, write_event

# The engineer's open work: assigned tickets on which the vendor has the move. Tickets that
# wait on the customer (awaiting customer, resolved) ask nothing of the engineer now.
OPEN_WORK_STATES = CLOCK_RUNNING_STATES

LEAST_WORK, ON_DUTY, NOBODY = "least_work", "on_duty", "nobody"
NOBODY_HANDLES, NOBODY_AT_WORK, NOBODY_ON_DUTY = "nobody_handles", "nobody_at_work", "no_on_duty"


@dataclasses.dataclass(frozen=True)
class Decision:
    """Whom a new ticket goes to (None: nobody) and why, as the audit event keeps it."""

    engineer_id: int | None
    data: dict[str, Any]
    alert: bool = False  # the 24×7 on-duty engineer is alerted, not merely told


def choose_assignee(
    *, tier_id: str, priority_id: str, area_id: int | None, now: datetime.datetime
) -> Decision | None:
    """The decision for a new ticket, or None while auto-assignment is off."""
    shift = duty_selectors.shift.get()
    if not shift.enabled:
        return None
    scope = {"tier": tier_id, "area": area_id, "priority": priority_id}
    roster = duty_selectors.roster.get()
    everyone = roster.duties
    handling = [d for d in everyone if d.handles(tier_id, area_id)]
    if not handling:
        return Decision(None, {"rule": NOBODY, "reason": NOBODY_HANDLES, **scope})
    at_work = [d for d in handling if d.is_at_work(now, roster.default_calendar)]
    if at_work:
        return _least_work(at_work, rule=LEAST_WORK, scope=scope, now=now)
    if not shift.round_the_clock(tier_id, priority_id):
        return Decision(None, {"rule": NOBODY, "reason": NOBODY_AT_WORK, **scope})
    on_duty = [d for d in everyone if d.on_duty_24x7 and d.handles_tier(tier_id)]
    if not on_duty:
        return Decision(None, {"rule": NOBODY, "reason": NOBODY_ON_DUTY, **scope})
    return _least_work(on_duty, rule=ON_DUTY, scope=scope, now=now)


def _least_work(
    candidates: Sequence[Duty], *, rule: str, scope: dict[str, Any], now: datetime.datetime
) -> Decision:
    ids = sorted(d.engineer_id for d in candidates)
    missing = [d.engineer_id for d in candidates if not d.has_profile]
    if missing:  # an engineer without a profile gets one with the defaults (the same meaning)
        DutyProfile.objects.bulk_create(
            [DutyProfile(engineer_id=pk) for pk in missing], ignore_conflicts=True
        )
        reference.changed()  # bulk_create sends no signal: the kept roster is read again
    # Locked in one order (no deadlock), and read again: a registration that held the lock
    # has committed its ticket and its round-robin mark by the time this one goes on. The
    # open work is read by a statement of its own, after the lock: joined to the locking one
    # it would come from that statement's snapshot, before the other registration committed
    # (tests/duty/test_concurrent_assignment.py).
    last = _lock_turns(ids)
    work = open_work(ids)
    chosen = pick_least_work(ids, work=work, last=last)
    DutyProfile.objects.filter(pk=chosen).update(last_auto_assigned_at=now)
    data = {"rule": rule, "to": chosen, "open": work.get(chosen, 0), "candidates": len(ids)}
    return Decision(chosen, data | scope, alert=rule == ON_DUTY)


# On PostgreSQL the ids go as one array (`= ANY`): the ORM's `IN` prepares each of a hundred
# ids one by one, about a millisecond of Python per query.
_LOCK_TURNS_SQL = (
    "SELECT engineer_id, last_auto_assigned_at FROM duty_dutyprofile "
    "WHERE engineer_id = ANY(%s) ORDER BY engineer_id FOR UPDATE"
)
_OPEN_WORK_SQL = (
    "SELECT engineer_id, open_tickets FROM tickets_engineerworkload WHERE engineer_id = ANY(%s)"
)


def _lock_turns(ids: Sequence[int]) -> dict[int, datetime.datetime | None]:
    """Lock the candidates' profiles (in id order: no deadlock) and read their round-robin
    marks."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_TURNS_SQL, [list(ids)])
            return dict(cursor.fetchall())
    locked = DutyProfile.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return dict(locked.values_list("pk", "last_auto_assigned_at"))


def open_work(ids: Sequence[int]) -> dict[int, int]:
    """Each engineer's open work: on PostgreSQL the counters its triggers keep
    (EngineerWorkload: a primary-key probe per engineer), on the SQLite demo a count."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_OPEN_WORK_SQL, [list(ids)])
            return dict(cursor.fetchall())
    counted = (
        Ticket.objects.filter(assignee_id__in=ids, state__in=OPEN_WORK_STATES)
        .order_by()
        .values("assignee_id")
        .annotate(n=Count("id"))
    )
    return {row["assignee_id"]: row["n"] for row in counted}


def pick_least_work(
    ids: Sequence[int],
    *,
    work: dict[int, int],
    last: dict[int, datetime.datetime | None],
) -> int:
    """The least open work; on a tie the oldest last automatic assignment (never assigned
    first), then the lowest id: a round-robin among equals."""
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return min(ids, key=lambda pk: (work.get(pk, 0), last.get(pk) or never, pk))


def assign_new_ticket(ticket: Ticket, *, now: datetime.datetime) -> Decision | None:
    """Choose the new, not yet saved `ticket`'s engineer (sets `assignee_id` only: the ticket
    is registered, not taken). `record_assignment` writes why once the ticket is saved."""
    decision = choose_assignee(
        tier_id=ticket.tier_id,
        priority_id=ticket.priority_id,
        area_id=ticket.product_area_id,
        now=now,
    )
    if decision is not None:
        ticket.assignee_id = decision.engineer_id
    return decision


def record_assignment(ticket: Ticket, decision: Decision | None, *, now: datetime.datetime) -> None:
    """The audit event that says why (the system acted: no actor), and the engineer told: an
    alert for the 24×7 on-duty engineer, the usual notice otherwise."""
    if decision is None:
        return
    write_event(ticket, Kind.AUTO_ASSIGN, actor=None, now=now, data=decision.data)
    if decision.engineer_id is not None:
        notify(
            ticket=ticket,
            kind=NKind.ON_DUTY_ALERT if decision.alert else NKind.ASSIGNED,
            recipients=User.objects.filter(pk=decision.engineer_id),
            now=now,
        )


def handling_refusal_for(ticket: Ticket, engineer: User) -> str | None:
    """Why `engineer` may not be given `ticket` (duty.rules.handling_refusal), or None."""
    area = ticket.product_area
    return handling_refusal(
        duty_selectors.duty_of(engineer),
        tier=ticket.tier,
        area_id=area.pk if area is not None else None,
        area_label=area.label if area is not None else "",
    )
