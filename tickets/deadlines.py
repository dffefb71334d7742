"""A ticket's deadlines: kept on the ticket through its life, and explained.

The ticket services call `apply_deadlines` at registration and on an agreed priority change,
and `apply_clock` after every transition; both copy the ticket's clock fields through the pure
steps of tickets.clock (the rules, in one home) and back. `explain_timeline` folds a list of
events through the same steps for the SLA calculator, and `silence_explanation` tells the
customer when and why a waiting ticket closes for silence (docs/regulation.md, 2.4).
"""

import dataclasses
import datetime
from collections.abc import Sequence

from django.utils.translation import gettext as _

from sla import selectors
from sla.calendar import BusinessCalendar
from sla.clock import Pause
from sla.explain import Explanation, SpecialDay, explain_deadlines
from sla.models import Priority, Target
from sla.services import Deadlines, deadlines_under
from tickets.clock import (
    CLOCK_FIELDS,
    SILENCE_BUSINESS_DAYS,
    ClockFields,
    TimelineEvent,
    TimelineResult,
    auto_close_at_of,
    clock_after_transition,
    confirmation_due_in,
    fold_timeline,
    pauses_of,
    queue_due_of,
    silence_cutoff_in,
    with_deadlines,
)
from tickets.models import Ticket


@dataclasses.dataclass(frozen=True)
class SilenceExplanation:
    start: datetime.datetime  # the later of waiting start and last customer activity
    due: datetime.datetime  # the auto-close instant
    calendar: str
    time_zone: str
    special_days: tuple[SpecialDay, ...]
    started_by_activity: bool  # the customer's own activity is the later of the two
    always_open: bool = False

    @property
    def target_text(self) -> str:
        return _(
            "More than %(n)d business days without an answer: closes at 00:00 of the "
            "%(next)dth business day"
        ) % {"n": SILENCE_BUSINESS_DAYS, "next": SILENCE_BUSINESS_DAYS + 1}


def silence_explanation(ticket: Ticket) -> SilenceExplanation | None:
    """Why the ticket closes for silence when it does; None unless that is scheduled."""
    if ticket.auto_close_at is None:
        return None
    anchors = [t for t in (ticket.waiting_since, ticket.last_customer_activity_at) if t]
    if not anchors:
        return None
    start = max(anchors)
    calendar_row = selectors.default_calendar()
    calendar = selectors.customer_calendar()
    return SilenceExplanation(
        start=start.astimezone(calendar.tz),
        due=ticket.auto_close_at.astimezone(calendar.tz),
        calendar=calendar_row.label if calendar_row else str(calendar.tz),
        time_zone=str(calendar.tz),
        special_days=tuple(
            SpecialDay(*item) for item in calendar.explain_span(start, ticket.auto_close_at)
        ),
        started_by_activity=start == ticket.last_customer_activity_at,
    )


# --- the clock on a ticket ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CurrentCalendars:
    """The calendars of a tier and priority's target as configured now, read when needed."""

    tier_id: str = ""
    priority_id: str = ""

    def resolution(self) -> BusinessCalendar | None:
        target = selectors.target_for(tier_id=self.tier_id, priority_id=self.priority_id)
        return selectors.business_calendar(target.resolution_calendar) if target else None

    def customer(self) -> BusinessCalendar:
        return selectors.customer_calendar()


def deadlines_for(ticket: Ticket) -> Deadlines:
    """The reaction and resolution deadlines of `ticket` under its current target.

    As `deadlines_under`, with the pauses the ticket's audit events show it came back from.
    """
    target = selectors.target_for(tier_id=ticket.tier_id, priority_id=ticket.priority_id)
    finished: list[Pause] = []
    if target is not None and ticket.pk:
        history = ticket.events.exclude(to_state="").order_by("created_at", "id")
        transitions = history.values_list("from_state", "to_state", "created_at")
        finished = [pause for pause in pauses_of(transitions) if pause.end]
    return deadlines_under(target, registered_at=ticket.registered_at, finished_pauses=finished)


def _clock_of(ticket: Ticket) -> ClockFields:
    return ClockFields(**{name: getattr(ticket, name) for name in CLOCK_FIELDS})


def _store_clock(ticket: Ticket, clock: ClockFields) -> None:
    for name in CLOCK_FIELDS:
        if name != "state":  # the state is the FSM's: only transitions change it
            setattr(ticket, name, getattr(clock, name))


def _calendars_of(ticket: Ticket) -> CurrentCalendars:
    return CurrentCalendars(tier_id=ticket.tier_id, priority_id=ticket.priority_id)


def apply_deadlines(ticket: Ticket) -> None:
    """Set the ticket's deadlines from scratch (registration, a priority change).

    A deadline that moved is watched anew: the warning and breach marks of the old one are
    cleared, so the jobs warn and mark once per ticket and deadline.
    """
    deadlines = deadlines_for(ticket)
    # A deadline that did not move keeps its marks: it is never warned of twice.
    if deadlines.reaction_due != ticket.reaction_due:
        ticket.reaction_warned_at = ticket.reaction_breached_at = None
    if deadlines.resolution_due != ticket.resolution_due:
        ticket.resolution_warned_at = ticket.resolution_breached_at = None
    ticket.deadlines_provisional = deadlines.provisional
    _store_clock(ticket, with_deadlines(_clock_of(ticket), deadlines))


def confirmation_due(resolved_at: datetime.datetime) -> datetime.datetime:
    """End (24:00) of the 1st business day after the resolution notice (2.4; art. 194 §1)."""
    return confirmation_due_in(selectors.customer_calendar(), resolved_at)


def silence_cutoff(
    waiting_since: datetime.datetime | None, last_activity: datetime.datetime | None
) -> datetime.datetime | None:
    """When a ticket waiting on the customer has been silent for more than 10 business days
    (at 00:00 of the 11th business day after the later of the two; see
    tickets.clock.silence_cutoff_in and docs/regulation.md, clause 2.4)."""
    return silence_cutoff_in(CurrentCalendars(), waiting_since, last_activity)


def refresh_silence(ticket: Ticket) -> None:
    """Recompute when the ticket would be closed for silence (None unless it waits on the
    customer)."""
    ticket.auto_close_at = auto_close_at_of(_clock_of(ticket), _calendars_of(ticket))


def apply_clock(ticket: Ticket, *, previous_state: str, now: datetime.datetime) -> None:
    """Move the ticket's SLA clock after a transition from `previous_state` (own fields only).

    Entering a paused state stops the resolution clock; leaving it for work resumes it with
    the working time that was left. Reaching `resolved` records whether the resolution target
    was met and opens the confirmation window. The rules are tickets.clock's
    `clock_after_transition`, which the SLA calculator folds its events through as well.
    """
    clock = clock_after_transition(
        _clock_of(ticket), previous_state=previous_state, now=now, calendars=_calendars_of(ticket)
    )
    _store_clock(ticket, clock)


def refresh_queue_due(ticket: Ticket, *, now: datetime.datetime | None = None) -> None:
    """The nearest deadline the vendor still has to meet (see tickets.clock.queue_due_of)."""
    ticket.queue_due = queue_due_of(_clock_of(ticket), now=now)


# --- a timeline of events (the SLA calculator) --------------------------------------------


@dataclasses.dataclass(frozen=True)
class TimelineReport:
    """What the engine derived from a timeline, and why the deadlines are what they are."""

    tier: str
    priority: str  # after the last agreed change
    result: TimelineResult
    explanation: Explanation | None  # the deadlines under `priority`, before any pause
    zone: datetime.tzinfo  # the business zone (the default calendar's): instants are shown in it

    @property
    def clock(self) -> ClockFields:
        return self.result.clock

    def as_json(self, zone: datetime.tzinfo | None = None) -> dict:
        """The calculator's answer: instants in ISO 8601 with the offset of `zone` (by default
        the business zone)."""
        zone = zone or self.zone

        def iso(moment: datetime.datetime | None) -> str | None:
            return moment.astimezone(zone).isoformat() if moment else None

        clock = self.result.clock
        return {
            "reaction_due": iso(clock.reaction_due),
            "resolution_due": iso(clock.resolution_due),
            "confirmation_due": iso(clock.confirmation_due),
            "auto_close_at": iso(clock.auto_close_at),
            "pauses": [[iso(pause.start), iso(pause.end)] for pause in self.result.pauses],
            "reaction_met": clock.reaction_met,
            "resolution_met": clock.resolution_met,
            "state": clock.state,
        }


def explain_timeline(
    *, tier_id: str, priority_id: str, events: Sequence[TimelineEvent]
) -> TimelineReport:
    """Fold `events` through the SLA clock the tickets use, under the current targets.

    `priority_id` is the priority at registration. Raises tickets.clock.TimelineError naming
    the first event that cannot happen where it stands.
    """
    targets: dict[str, Target | None] = {}

    def target(priority: str) -> Target | None:
        if priority not in targets:
            targets[priority] = selectors.target_for(tier_id=tier_id, priority_id=priority)
        return targets[priority]

    def deadlines(
        priority: str, registered_at: datetime.datetime, finished: Sequence[Pause]
    ) -> Deadlines:
        return deadlines_under(
            target(priority), registered_at=registered_at, finished_pauses=finished
        )

    result = fold_timeline(
        events,
        priority=priority_id,
        priorities=list(Priority.objects.values_list("pk", flat=True)),
        deadlines=deadlines,
        calendars=lambda priority: CurrentCalendars(tier_id=tier_id, priority_id=priority),
    )
    explanation = explain_deadlines(
        tier_id=tier_id, priority_id=result.priority, registered=result.clock.registered_at
    )
    return TimelineReport(
        tier=tier_id,
        priority=result.priority,
        result=result,
        explanation=explanation,
        zone=selectors.customer_calendar().tz,
    )
