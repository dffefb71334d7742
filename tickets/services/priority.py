"""Priority changes by agreement of both sides (regulation 2.3)."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from sla.models import Priority
from tickets import deadlines
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import (
    PriorityChange,
    Side,
    Ticket,
    side_of,
)
from tickets.notifications import notify

if TYPE_CHECKING:
    from accounts.models import User

from tickets.services._base import (
    Kind,
    NKind,
    customer_side,
    now_or_current,
    priority_from,
    require_visible,
    required_text,
    save_changed,
    snapshot,
    touch_customer_activity,
    vendor_side,
    write_event,
)


@transaction.atomic
def priority_change_propose(
    *,
    actor: "User",
    ticket: Ticket,
    to_priority: "Priority | str",
    reason: str,
    now: datetime.datetime | None = None,
) -> PriorityChange:
    """One side proposes a new priority with a reason; it applies only if the other side agrees."""
    now = now_or_current(now)
    require_visible(ticket, actor)
    if not (actor.is_engineer or actor.is_customer):
        raise ActionNotPermitted(_("You are not allowed to act on this ticket."))
    if not ticket.is_open:
        raise ActionNotAllowedNow(_("The priority of a closed ticket cannot change."))
    reason = required_text("reason", reason, _("Give a reason for the new priority."))
    new = priority_from(to_priority)
    if new.pk == ticket.priority_id:
        raise ValidationError({"to_priority": _("The ticket already has this priority.")})
    if PriorityChange.objects.filter(ticket=ticket, status=PriorityChange.Status.PENDING).exists():
        raise ActionNotAllowedNow(_("This ticket already has a pending priority proposal."))
    change = PriorityChange.objects.create(
        ticket=ticket,
        proposed_by=actor,
        side=side_of(actor),
        from_priority_id=ticket.priority_id,
        to_priority=new,
        reason=reason,
        created_at=now,
    )
    write_event(
        ticket,
        Kind.PRIORITY_PROPOSED,
        actor=actor,
        now=now,
        data={"change": change.pk, "from": ticket.priority_id, "to": new.pk, "reason": reason},
    )
    if actor.is_customer:
        touch_customer_activity(ticket, now)
    other_side = vendor_side(ticket) if actor.is_customer else customer_side(ticket)
    notify(
        actor=actor,
        ticket=ticket,
        kind=NKind.PRIORITY_PROPOSED,
        recipients=other_side,
        email_to_contact=True,
        data={"to": new.pk},
        now=now,
    )
    return change


@transaction.atomic
def priority_change_answer(
    *,
    actor: "User",
    change: PriorityChange,
    accept: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> PriorityChange:
    """The other side accepts or declines; on acceptance the deadlines are recomputed."""
    now = now_or_current(now)
    ticket = Ticket.objects.select_for_update().get(pk=change.ticket_id)
    change = PriorityChange.objects.select_for_update().get(pk=change.pk)
    require_visible(ticket, actor)
    if change.status != PriorityChange.Status.PENDING:
        raise ActionNotAllowedNow(_("This proposal has already been answered."))
    # The side was fixed when the proposal was made: whatever became of the proposer's
    # account since, only the other side agrees.
    may_answer = actor.is_customer if change.side == Side.VENDOR else actor.is_engineer
    if not may_answer:
        raise ActionNotPermitted(_("The other side answers a priority proposal."))
    if not ticket.is_open:
        raise ActionNotAllowedNow(_("The priority of a closed ticket cannot change."))
    change.status = PriorityChange.Status.ACCEPTED if accept else PriorityChange.Status.DECLINED
    change.decided_by = actor
    change.decided_at = now
    change.decision_note = (note or "").strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if accept:
        before = snapshot(ticket)
        ticket.priority_id = change.to_priority_id
        # Finished pauses are replayed; a running one stays running (resolution_paused_at).
        deadlines.apply_deadlines(ticket)
        ticket.updated_at = now
        save_changed(ticket, before)
    write_event(
        ticket,
        Kind.PRIORITY_ACCEPTED if accept else Kind.PRIORITY_DECLINED,
        actor=actor,
        now=now,
        data={
            "change": change.pk,
            "from": change.from_priority_id,
            "to": change.to_priority_id,
            "note": change.decision_note,
        },
    )
    if actor.is_customer:
        touch_customer_activity(ticket, now)
    notify(
        actor=actor,
        ticket=ticket,
        kind=NKind.PRIORITY_ANSWERED,
        recipients=[change.proposed_by],
        email_to_contact=True,
        data={"accepted": accept, "to": change.to_priority_id},
        now=now,
    )
    return change
