"""SLA: the deadlines a ticket must meet, and its clock through pauses (PRODUCT.md §6).

The ticket services call `deadlines_for` at registration and on a priority change, and
`apply_clock` after every transition; the arithmetic itself is pure (sla.calendar, sla.clock).
"""

import dataclasses
import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sla import selectors
from sla.calendar import BusinessCalendar, PeriodEnd
from sla.clock import Pause, replay_deadline, resume_deadline
from sla.models import Calendar, Target
from sla.production_calendar import official_years

if TYPE_CHECKING:
    from tickets.models import Ticket

# The resolution clock stops while the customer has the move (2.4): an info request is
# pending, or a resolution waits for confirmation.
PAUSED_STATES = frozenset({"awaiting_customer", "resolved"})
WAITING_ON_CUSTOMER_STATES = PAUSED_STATES
CONFIRMATION_BUSINESS_DAYS = 1  # regulation 2.4
WARN_SHARE = 0.8  # warn the engineers when 80 % of a target's time has passed
SILENCE_BUSINESS_DAYS = 10  # regulation 2.4: "более 10 рабочих дней"


@dataclasses.dataclass(frozen=True)
class Deadlines:
    reaction_due: datetime.datetime | None
    resolution_due: datetime.datetime | None
    provisional: bool = False
    reaction_warn_at: datetime.datetime | None = None
    resolution_warn_at: datetime.datetime | None = None


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


def pauses_of(events: Iterable[tuple[str, str, datetime.datetime]]) -> list[Pause]:
    """Resolution-clock pauses from (from_state, to_state, when) transitions in time order."""
    pauses: list[Pause] = []
    started: datetime.datetime | None = None
    for from_state, to_state, when in events:
        if to_state in PAUSED_STATES and started is None:
            started = when
        elif from_state in PAUSED_STATES and to_state not in PAUSED_STATES and started:
            pauses.append(Pause(start=started, end=when))
            started = None
    if started is not None:
        pauses.append(Pause(start=started, end=None))
    return pauses


def deadlines_for(ticket: "Ticket") -> Deadlines:
    """The reaction and resolution deadlines of `ticket` under its current target.

    Both count from registration; the resolution deadline (and its 80 % warning) is moved by
    every pause the ticket has already come back from (a pause still running is applied when
    it ends). No target configured for the tier and priority means no deadline (None), never
    a guessed one.
    """
    target = selectors.target_for(tier_id=ticket.tier_id, priority_id=ticket.priority_id)
    if target is None:
        return Deadlines(reaction_due=None, resolution_due=None)
    reaction_cal = selectors.business_calendar(target.reaction_calendar)
    resolution_cal = selectors.business_calendar(target.resolution_calendar)
    start = ticket.registered_at
    reaction_due = due_after(reaction_cal, start, target.reaction_amount, target.reaction_unit)
    resolution_due = due_after(
        resolution_cal, start, target.resolution_amount, target.resolution_unit
    )
    resolution_warn = warn_at(resolution_cal, start, resolution_due)
    if ticket.pk:
        history = ticket.events.exclude(to_state="").order_by("created_at", "id")
        transitions = history.values_list("from_state", "to_state", "created_at")
        closed = [pause for pause in pauses_of(transitions) if pause.end]
        resolution_due = replay_deadline(resolution_cal, base_due=resolution_due, pauses=closed)
        resolution_warn = replay_deadline(resolution_cal, base_due=resolution_warn, pauses=closed)
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


def warn_at(
    calendar: BusinessCalendar, start: datetime.datetime, due: datetime.datetime
) -> datetime.datetime:
    """When WARN_SHARE of the working time from `start` to `due` has passed."""
    return calendar.add_working_time(start, calendar.working_time_between(start, due) * WARN_SHARE)


def apply_deadlines(ticket: "Ticket") -> None:
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
    ticket.reaction_due = deadlines.reaction_due
    ticket.resolution_due = deadlines.resolution_due
    ticket.deadlines_provisional = deadlines.provisional
    ticket.reaction_warn_at = deadlines.reaction_warn_at
    ticket.resolution_warn_at = deadlines.resolution_warn_at
    ticket.reaction_met = _met(ticket.reacted_at, ticket.reaction_due)
    if ticket.state == "resolved" or ticket.resolution_met is not None:
        ticket.resolution_met = _met(ticket.resolved_at, ticket.resolution_due)
    refresh_queue_due(ticket)


def _met(done: datetime.datetime | None, due: datetime.datetime | None) -> bool | None:
    if done is None or due is None:
        return None
    return done <= due


def _resolution_calendar(ticket: "Ticket") -> BusinessCalendar | None:
    target = selectors.target_for(tier_id=ticket.tier_id, priority_id=ticket.priority_id)
    return selectors.business_calendar(target.resolution_calendar) if target else None


def confirmation_due(resolved_at: datetime.datetime) -> datetime.datetime:
    """End (24:00) of the 1st business day after the resolution notice (2.4; art. 194 §1)."""
    return selectors.customer_calendar().add_business_days(
        resolved_at, CONFIRMATION_BUSINESS_DAYS, end=PeriodEnd.END_OF_DAY
    )


def silence_cutoff(
    waiting_since: datetime.datetime | None, last_activity: datetime.datetime | None
) -> datetime.datetime | None:
    """When a ticket waiting on the customer has been silent for more than 10 business days.

    Counted from the later of the moment it began waiting and the customer's last activity:
    the 10 business days after that day run out at 24:00 of the 10th, and "more than" that is
    reached when the 11th business day begins, at its 00:00 in the calendar's zone (never on a
    day off). See docs/regulation.md, clause 2.4.
    """
    anchors = [moment for moment in (waiting_since, last_activity) if moment is not None]
    if not anchors:
        return None
    return selectors.customer_calendar().start_after_business_days(
        max(anchors), SILENCE_BUSINESS_DAYS
    )


def refresh_silence(ticket: "Ticket") -> None:
    """Recompute when the ticket would be closed for silence (None unless it waits on the
    customer)."""
    if ticket.state in WAITING_ON_CUSTOMER_STATES:
        ticket.auto_close_at = silence_cutoff(
            ticket.waiting_since, ticket.last_customer_activity_at
        )
    else:
        ticket.auto_close_at = None


def apply_clock(ticket: "Ticket", *, previous_state: str, now: datetime.datetime) -> None:
    """Move the ticket's SLA clock after a transition from `previous_state` (own fields only).

    Entering a paused state stops the resolution clock; leaving it for work resumes it with
    the working time that was left. Reaching `resolved` records whether the resolution target
    was met and opens the confirmation window.
    """
    state = ticket.state
    if state in PAUSED_STATES and previous_state not in PAUSED_STATES:
        ticket.resolution_paused_at = now
    elif previous_state in PAUSED_STATES and state not in PAUSED_STATES:
        if state != "closed" and ticket.resolution_due and ticket.resolution_paused_at:
            calendar = _resolution_calendar(ticket)
            if calendar is not None:
                pause = {"paused_at": ticket.resolution_paused_at, "resumed_at": now}
                ticket.resolution_due = resume_deadline(
                    calendar, due=ticket.resolution_due, **pause
                )
                if ticket.resolution_warn_at is not None:
                    ticket.resolution_warn_at = resume_deadline(
                        calendar, due=ticket.resolution_warn_at, **pause
                    )
        ticket.resolution_paused_at = None
    if ticket.reaction_met is None:
        ticket.reaction_met = _met(ticket.reacted_at, ticket.reaction_due)
    if state == "resolved":
        ticket.resolution_met = _met(ticket.resolved_at, ticket.resolution_due)
        ticket.confirmation_due = confirmation_due(ticket.resolved_at or now)
    elif previous_state == "resolved":
        ticket.confirmation_due = None
        if state == "disputed":  # the result was refused: whether it was in time is open again
            ticket.resolution_met = None
    refresh_silence(ticket)
    refresh_queue_due(ticket, now=now)


def refresh_queue_due(ticket: "Ticket", *, now: datetime.datetime | None = None) -> None:
    """The nearest deadline the vendor still has to meet: the queue sorts on it.

    Registered: the reaction (or resolution, if sooner); in progress: the resolution; a
    disputed ticket goes back to the top (the moment of the dispute, if that is sooner);
    while the customer has the move, or once closed: None (the end of the queue).
    """
    state = ticket.state
    if state == "registered":
        dues = [due for due in (ticket.reaction_due, ticket.resolution_due) if due]
        ticket.queue_due = min(dues) if dues else None
    elif state == "in_progress":
        ticket.queue_due = ticket.resolution_due
    elif state == "disputed":
        dues = [due for due in (ticket.resolution_due, now or ticket.queue_due) if due]
        ticket.queue_due = min(dues) if dues else None
    else:
        ticket.queue_due = None
