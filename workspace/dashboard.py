"""The figures of the service-level dashboard: a handful of GROUP BY queries, never a loop of them.

Periods are whole days of the business time zone (settings.BUSINESS_TIME_ZONE), the end day
included; weeks start on Monday in that zone, so a ticket filed on Sunday at 22:00 UTC (Monday
01:00 in Moscow) counts in Monday's week. Empty weeks are filled with zeros here, not in SQL.

Definitions:
- opened in a week: tickets whose `registered_at` falls in it; closed in a week: tickets in
  state `closed` whose `closed_at` falls in it (wherever they were opened).
- targets met vs missed, per tier × priority, of the tickets registered in the period:
  - reaction met: `reaction_met` is true. Missed: `reaction_met` is false, or there was no
    reaction and the deadline is known to have passed without one: the SLA job marked the
    breach (`reaction_breached_at`), or the ticket still waits for a reaction past
    `reaction_due`.
  - resolution met: `resolution_met` is true. Missed: `resolution_met` is false, or it is not
    decided yet and the deadline has passed while the vendor had the move: the job marked the
    breach (`resolution_breached_at`), or the clock runs now (registered, in progress,
    disputed) past `resolution_due`. A ticket waiting on the customer is never missed for a
    deadline that passed during the pause: its clock is stopped and the deadline moves on.
  - pending: the rest: the deadline has not come, the ticket waits on the customer, it was
    withdrawn or merged into another as a duplicate (issue 18) before the deadline, or its tier
    and priority have no target. A duplicate is a closed ticket like any other: it counts among
    the closed of its week, and a deadline it had missed before the merge stays missed.
- breached and at risk now: the open tickets by `workspace.urgency.with_urgency`, the very
  definition the queue uses, so both count the same tickets.
- load per engineer: open tickets per assignee, split into those where the vendor has the move
  and those waiting on the customer; every active engineer is listed (with zeros), and so is
  anyone else who still holds open tickets (a deactivated engineer); plus the unassigned ones.
"""

import collections
import dataclasses
import datetime
import zoneinfo
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek

from accounts.models import User
from sla import selectors as sla_selectors
from sla.models import Priority, Tier
from tickets.models import CLOCK_RUNNING_STATES, WAITING_ON_CUSTOMER_STATES, State, Ticket
from workspace.urgency import Urgency, with_urgency

WEEKS_BEFORE_CURRENT = 8  # the default period: the last 8 full weeks and the current one
WORST_LIMIT = 20  # the breached and at-risk tickets listed by name


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last WEEKS_BEFORE_CURRENT full weeks and the current one up to `today`."""
    return monday_of(today) - datetime.timedelta(weeks=WEEKS_BEFORE_CURRENT), today


@dataclasses.dataclass(frozen=True)
class Period:
    """Days `start`…`end` (both included) in the business time zone."""

    start: datetime.date
    end: datetime.date
    zone: zoneinfo.ZoneInfo

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time(), tzinfo=self.zone)

    @property
    def ends_at(self) -> datetime.datetime:
        """The first instant after the period (midnight after `end`)."""
        next_day = self.end + datetime.timedelta(days=1)
        return datetime.datetime.combine(next_day, datetime.time(), tzinfo=self.zone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def mondays(self) -> list[datetime.date]:
        first, last = monday_of(self.start), monday_of(self.end)
        return [first + datetime.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


# --- opened and closed per week ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Week:
    monday: datetime.date
    first_day: datetime.date  # the days of the week inside the period
    last_day: datetime.date
    opened: int
    closed: int

    @property
    def partial(self) -> bool:
        return (self.last_day - self.first_day).days < 6


def _per_week(
    tickets: QuerySet[Ticket], field: str, zone: zoneinfo.ZoneInfo
) -> dict[datetime.date, int]:
    # COUNT(*), not COUNT(id): the week's count is then read from the index on `field` alone.
    rows = (
        tickets.annotate(week=TruncWeek(field, tzinfo=zone))
        .values("week")
        .annotate(count=Count("*"))
        .order_by()
    )
    return {row["week"].astimezone(zone).date(): row["count"] for row in rows}


def weekly_flow(period: Period, tickets: QuerySet[Ticket] | None = None) -> list[Week]:
    """Tickets opened and closed in each week of the period (two queries); of `tickets`
    (an organization's, for its monthly SLA report) or of all."""
    tickets = Ticket.objects.all() if tickets is None else tickets
    opened = _per_week(
        tickets.filter(registered_at__gte=period.starts_at, registered_at__lt=period.ends_at),
        "registered_at",
        period.zone,
    )
    closed = _per_week(
        tickets.filter(
            state=State.CLOSED, closed_at__gte=period.starts_at, closed_at__lt=period.ends_at
        ),
        "closed_at",
        period.zone,
    )
    return [
        Week(
            monday=monday,
            first_day=max(monday, period.start),
            last_day=min(monday + datetime.timedelta(days=6), period.end),
            opened=opened.get(monday, 0),
            closed=closed.get(monday, 0),
        )
        for monday in period.mondays()
    ]


# --- the grid of tiers and priorities ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Cell:
    tier: Tier
    priority: Priority

    @property
    def key(self) -> tuple[str, str]:
        return (self.tier.pk, self.priority.pk)


def sla_cells() -> list[Cell]:
    """Every tier × priority, in their admin-set order (kept per process: no query)."""
    priorities = sla_selectors.priorities.get()
    return [Cell(tier, priority) for tier in sla_selectors.tiers.get() for priority in priorities]


# --- targets met and missed ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Outcome:
    met: int = 0
    missed: int = 0
    pending: int = 0

    @property
    def total(self) -> int:
        return self.met + self.missed + self.pending

    @property
    def met_percent(self) -> float | None:
        """The share met of the decided ones (met or missed), in percent."""
        decided = self.met + self.missed
        return 100 * self.met / decided if decided else None

    def __add__(self, other: "Outcome") -> "Outcome":
        return Outcome(
            self.met + other.met, self.missed + other.missed, self.pending + other.pending
        )


@dataclasses.dataclass(frozen=True)
class TargetRow:
    cell: Cell
    reaction: Outcome
    resolution: Outcome


def reaction_missed_q(now: datetime.datetime) -> Q:
    no_reaction_past_due = Q(reaction_breached_at__isnull=False) | Q(
        state=State.REGISTERED, reaction_due__lte=now
    )
    return Q(reaction_met=False) | (
        Q(reaction_met__isnull=True, reacted_at__isnull=True) & no_reaction_past_due
    )


def resolution_missed_q(now: datetime.datetime) -> Q:
    # Only a running clock can miss its deadline: while the customer has the move the stored
    # resolution_due is frozen and moves on by the pause when the vendor gets the move back.
    past_due_while_running = Q(resolution_breached_at__isnull=False) | Q(
        state__in=CLOCK_RUNNING_STATES, resolution_due__lte=now
    )
    return Q(resolution_met=False) | (Q(resolution_met__isnull=True) & past_due_while_running)


def targets(
    period: Period,
    cells: Iterable[Cell],
    now: datetime.datetime,
    tickets: QuerySet[Ticket] | None = None,
) -> list[TargetRow]:
    """Reaction and resolution targets met, missed and pending per cell (one query); of
    `tickets` or of all."""
    tickets = Ticket.objects.all() if tickets is None else tickets
    rows = (
        tickets.filter(registered_at__gte=period.starts_at, registered_at__lt=period.ends_at)
        .values("tier_id", "priority_id")
        .annotate(
            # Named apart from the fields: an annotation would shadow them in the filters.
            total=Count("id"),
            met_reaction=Count("id", filter=Q(reaction_met=True)),
            missed_reaction=Count("id", filter=reaction_missed_q(now)),
            met_resolution=Count("id", filter=Q(resolution_met=True)),
            missed_resolution=Count("id", filter=resolution_missed_q(now)),
        )
        .order_by()
    )
    by_cell = {(row["tier_id"], row["priority_id"]): row for row in rows}

    def outcome(row: dict | None, kind: str) -> Outcome:
        if row is None:
            return Outcome()
        met, missed = row[f"met_{kind}"], row[f"missed_{kind}"]
        return Outcome(met=met, missed=missed, pending=row["total"] - met - missed)

    return [
        TargetRow(
            cell=cell,
            reaction=outcome(by_cell.get(cell.key), "reaction"),
            resolution=outcome(by_cell.get(cell.key), "resolution"),
        )
        for cell in cells
    ]


# --- breached and at risk now --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class UrgencyRow:
    cell: Cell
    breached: int = 0
    at_risk: int = 0
    on_time: int = 0
    waiting: int = 0

    @property
    def open(self) -> int:
        return self.breached + self.at_risk + self.on_time + self.waiting


def urgency_now(cells: Iterable[Cell], now: datetime.datetime) -> list[UrgencyRow]:
    """Open tickets per cell and urgency, exactly as the queue badges them (one query)."""
    rows = (
        with_urgency(Ticket.objects.open(), now)
        .values("tier_id", "priority_id", "urgency")
        .annotate(count=Count("*"))  # answered from the index ticket_open_sla alone
        .order_by()
    )
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        counts.setdefault((row["tier_id"], row["priority_id"]), {})[row["urgency"]] = row["count"]
    result = []
    for cell in cells:
        found = counts.get(cell.key, {})
        result.append(
            UrgencyRow(
                cell=cell,
                breached=found.get(Urgency.BREACHED, 0),
                at_risk=found.get(Urgency.AT_RISK, 0),
                on_time=found.get(Urgency.ON_TIME, 0),
                waiting=found.get(Urgency.WAITING, 0),
            )
        )
    return result


def most_urgent(now: datetime.datetime, limit: int = WORST_LIMIT) -> list[Ticket]:
    """The breached tickets, most overdue first, then the at-risk ones (two queries).

    Each ticket carries `urgency` and `urgency_label`.

    Ordered by the real deadline (`sla_due`), which is the queue key except for a disputed
    ticket. So the undisputed tickets are read in the order of the index ticket_queue, which
    stops at `limit`, and the few disputed ones apart by their resolution deadline; the two
    are merged here. One query ordered by `sla_due` computed the urgency of every open ticket
    and sorted them: ~260 ms at 150,000 open (bench/bench_pages.py, "computed afresh").
    """
    urgent = (
        with_urgency(Ticket.objects.open(), now)
        .filter(urgency__in=[Urgency.BREACHED, Urgency.AT_RISK])
        .select_related("tier", "priority", "assignee")
    )
    undisputed = urgent.exclude(state=State.DISPUTED).order_by("queue_due", "id")[:limit]
    disputed = urgent.filter(state=State.DISPUTED).order_by("resolution_due", "id")[:limit]
    tickets = sorted([*undisputed, *disputed], key=lambda t: (t.sla_due, t.pk))[:limit]
    for ticket in tickets:
        ticket.urgency_label = Urgency(ticket.urgency).label
    return tickets


# --- load per engineer ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Load:
    vendor_move: int = 0
    customer_move: int = 0

    @property
    def total(self) -> int:
        return self.vendor_move + self.customer_move


@dataclasses.dataclass(frozen=True)
class EngineerLoad:
    engineer: User
    load: Load


@dataclasses.dataclass(frozen=True)
class TeamLoad:
    engineers: list[EngineerLoad]
    unassigned: Load

    @property
    def total(self) -> Load:
        rows = [row.load for row in self.engineers] + [self.unassigned]
        return Load(
            vendor_move=sum(load.vendor_move for load in rows),
            customer_move=sum(load.customer_move for load in rows),
        )


def team_load() -> TeamLoad:
    """Open tickets per assignee, and the unassigned ones (two queries)."""
    # Grouped by state too and summed here: a plain COUNT(*) is answered from the index
    # ticket_open_sla alone, where a filtered count would read every open ticket's row.
    rows = (
        Ticket.objects.open().values("assignee_id", "state").annotate(count=Count("*")).order_by()
    )
    vendor: collections.Counter[int | None] = collections.Counter()
    customer: collections.Counter[int | None] = collections.Counter()
    for row in rows:
        waits = row["state"] in WAITING_ON_CUSTOMER_STATES
        (customer if waits else vendor)[row["assignee_id"]] += row["count"]
    loads = {
        assignee: Load(vendor_move=vendor[assignee], customer_move=customer[assignee])
        for assignee in vendor.keys() | customer.keys()
    }
    unassigned = loads.pop(None, Load())
    people = User.objects.filter(
        Q(role=User.Role.ENGINEER, is_active=True) | Q(pk__in=list(loads))
    ).order_by("first_name", "last_name", "email")
    engineers = [EngineerLoad(person, loads.get(person.pk, Load())) for person in people]
    # The busiest first (the chart reads top-down); the sort is stable, so ties stay by name.
    engineers.sort(key=lambda row: -row.load.total)
    return TeamLoad(engineers=engineers, unassigned=unassigned)
