"""SLA: the deadlines a ticket must meet, and its clock through pauses (docs/architecture.md).

The ticket services call `apply_deadlines` at registration and on a priority change, and
`apply_clock` after every transition. The arithmetic is pure (sla.calendar, sla.clock), and so
are the clock's steps (sla.timeline), which the SLA calculator folds its events through too.
"""

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any, Protocol

from sla import selectors
from sla.calendar import BusinessCalendar, PeriodEnd
from sla.clock import Pause, replay_deadline
from sla.models import Calendar, Target
from sla.production_calendar import official_years
from sla.timeline import (
    CLOCK_FIELDS,
    CONFIRMATION_BUSINESS_DAYS,
    PAUSED_STATES,
    SILENCE_BUSINESS_DAYS,
    WAITING_ON_CUSTOMER_STATES,
    ClockFields,
    Deadlines,
    auto_close_at_of,
    clock_after_transition,
    confirmation_due_in,
    pauses_of,
    queue_due_of,
    silence_cutoff_in,
    with_deadlines,
)

# Named here too: the ticket services and pages know the clock's rules as sla.services'.
__all__ = [
    "CONFIRMATION_BUSINESS_DAYS",
    "PAUSED_STATES",
    "SILENCE_BUSINESS_DAYS",
    "WAITING_ON_CUSTOMER_STATES",
    "WARN_SHARE",
    "CurrentCalendars",
    "SlaTicket",
    "Deadlines",
    "apply_clock",
    "apply_deadlines",
    "confirmation_due",
    "deadlines_for",
    "deadlines_under",
    "due_after",
    "is_provisional",
    "pauses_of",
    "refresh_queue_due",
    "refresh_silence",
    "silence_cutoff",
    "warn_at",
]
WARN_SHARE = 0.8  # warn the engineers when 80 % of a target's time has passed


class SlaTicket(Protocol):
    """What the SLA reads and writes on a ticket: tickets.models.Ticket, which sla does not
    import (a lower app never imports a higher one). Its clock fields are sla.timeline's
    CLOCK_FIELDS, the deadlines' marks and `deadlines_provisional`."""

    pk: Any
    tier_id: str
    priority_id: str
    state: str
    registered_at: datetime.datetime
    events: Any  # the audit events: (from_state, to_state, created_at) of each transition


@dataclasses.dataclass(frozen=True)
class CurrentCalendars:
    """The calendars of a tier and priority's target as configured now, read when needed."""

    tier_id: str | None = None
    priority_id: str | None = None

    def resolution(self) -> BusinessCalendar | None:
        target = selectors.target_for(tier_id=self.tier_id, priority_id=self.priority_id)
        return selectors.business_calendar(target.resolution_calendar) if target else None

    def customer(self) -> BusinessCalendar:
        return selectors.customer_calendar()


def due_after(
    calendar: BusinessCalendar, start: datetime.datetime, amount: int, unit: str
) -> datetime.datetime:
    """A vendor deadline: `amount` minutes of working time, or business days ending when that
    day's working hours end (Civil Code art. 194 §1)."""
    if unit == Target.Unit.MINUTES:
        return calendar.add_working_time(start, datetime.timedelta(minutes=amount))
    return calendar.add_business_days(start, amount, end=PeriodEnd.END_OF_WORKING_HOURS)


def is_provisional(
    calendar_row: Calendar, start: datetime.datetime, *ends: datetime.datetime
) -> bool:
    """Whether a span crosses a year the production calendar has no official data for."""
    if calendar_row.always_open or not calendar_row.russian_production_calendar:
        return False
    years = range(start.year, max(end.year for end in ends) + 1)
    known = official_years()
    return any(year not in known for year in years)


def deadlines_under(
    target: Target | None,
    *,
    registered_at: datetime.datetime,
    finished_pauses: Sequence[Pause] = (),
) -> Deadlines:
    """The reaction and resolution deadlines under `target` of a ticket registered then.

    Both count from registration; the resolution deadline (and its 80 % warning) is moved by
    every pause the ticket has already come back from (a pause still running is applied when
    it ends). No target means no deadline (None), never a guessed one.
    """
    if target is None:
        return Deadlines(reaction_due=None, resolution_due=None)
    reaction_cal = selectors.business_calendar(target.reaction_calendar)
    resolution_cal = selectors.business_calendar(target.resolution_calendar)
    start = registered_at
    reaction_due = due_after(reaction_cal, start, target.reaction_amount, target.reaction_unit)
    resolution_due = due_after(
        resolution_cal, start, target.resolution_amount, target.resolution_unit
    )
    resolution_warn = warn_at(resolution_cal, start, resolution_due)
    if finished_pauses:
        resolution_due = replay_deadline(
            resolution_cal, base_due=resolution_due, pauses=finished_pauses
        )
        resolution_warn = replay_deadline(
            resolution_cal, base_due=resolution_warn, pauses=finished_pauses
        )
    provisional = is_provisional(target.reaction_calendar, start, reaction_due) or is_provisional(
        target.resolution_calendar, start, resolution_due
    )
    return Deadlines(
        reaction_due=reaction_due,
        resolution_due=resolution_due,
        provisional=provisional,
        reaction_warn_at=warn_at(reaction_cal, start, reaction_due),
        resolution_warn_at=resolution_warn,
    )


def deadlines_for(ticket: SlaTicket) -> Deadlines:
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


def warn_at(
    calendar: BusinessCalendar, start: datetime.datetime, due: datetime.datetime
) -> datetime.datetime:
    """When WARN_SHARE of the working time from `start` to `due` has passed."""
    return calendar.add_working_time(start, calendar.working_time_between(start, due) * WARN_SHARE)


def _clock_of(ticket: SlaTicket) -> ClockFields:
    return ClockFields(**{name: getattr(ticket, name) for name in CLOCK_FIELDS})


def _store_clock(ticket: SlaTicket, clock: ClockFields) -> None:
    for name in CLOCK_FIELDS:
        if name != "state":  # the state is the FSM's: only transitions change it
            setattr(ticket, name, getattr(clock, name))


def _calendars_of(ticket: SlaTicket) -> CurrentCalendars:
    return CurrentCalendars(tier_id=ticket.tier_id, priority_id=ticket.priority_id)


def apply_deadlines(ticket: SlaTicket) -> None:
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
    sla.timeline.silence_cutoff_in and docs/regulation.md, clause 2.4)."""
    return silence_cutoff_in(CurrentCalendars(), waiting_since, last_activity)


def refresh_silence(ticket: SlaTicket) -> None:
    """Recompute when the ticket would be closed for silence (None unless it waits on the
    customer)."""
    ticket.auto_close_at = auto_close_at_of(_clock_of(ticket), _calendars_of(ticket))


def apply_clock(ticket: SlaTicket, *, previous_state: str, now: datetime.datetime) -> None:
    """Move the ticket's SLA clock after a transition from `previous_state` (own fields only).

    Entering a paused state stops the resolution clock; leaving it for work resumes it with
    the working time that was left. Reaching `resolved` records whether the resolution target
    was met and opens the confirmation window. The rules are sla.timeline's
    `clock_after_transition`, which the SLA calculator folds its events through as well.
    """
    clock = clock_after_transition(
        _clock_of(ticket), previous_state=previous_state, now=now, calendars=_calendars_of(ticket)
    )
    _store_clock(ticket, clock)


def refresh_queue_due(ticket: SlaTicket, *, now: datetime.datetime | None = None) -> None:
    """The nearest deadline the vendor still has to meet (see sla.timeline.queue_due_of)."""
    ticket.queue_due = queue_due_of(_clock_of(ticket), now=now)
