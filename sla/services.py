"""SLA targets as deadlines: what a ticket registered at a moment must meet (docs/architecture.md).

Pure arithmetic on the calendars (sla.calendar, sla.clock) under the targets an admin set. The
ticket's clock (pauses, confirmation, silence, the queue key) is the tickets app's:
tickets.clock and tickets.deadlines, which call `deadlines_under` here.
"""

import dataclasses
import datetime
from collections.abc import Sequence

from sla import selectors
from sla.calendar import BusinessCalendar, PeriodEnd
from sla.clock import Pause, replay_deadline
from sla.models import Calendar, Target
from sla.production_calendar import official_years

WARN_SHARE = 0.8  # warn the engineers when 80 % of a target's time has passed


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
    if finished_pauses:  # only finished pauses: the replayed deadlines are never None
        resolution_due = (
            replay_deadline(resolution_cal, base_due=resolution_due, pauses=finished_pauses)
            or resolution_due
        )
        resolution_warn = (
            replay_deadline(resolution_cal, base_due=resolution_warn, pauses=finished_pauses)
            or resolution_warn
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


def warn_at(
    calendar: BusinessCalendar, start: datetime.datetime, due: datetime.datetime
) -> datetime.datetime:
    """When WARN_SHARE of the working time from `start` to `due` has passed."""
    return calendar.add_working_time(start, calendar.working_time_between(start, due) * WARN_SHARE)
