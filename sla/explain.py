"""Explaining a deadline to a person: the target, the calendar, and the days it skipped.

The SLA calculator's timeline report is the tickets app's (tickets.deadlines), which uses
these explanations too."""

import dataclasses
import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sla import selectors
from sla.calendar import BusinessCalendar
from sla.models import Calendar, Target
from sla.services import due_after, is_provisional


@dataclasses.dataclass(frozen=True)
class SpecialDay:
    day: datetime.date
    kind: str  # weekend, holiday, shortened, working_weekend, exception_off, exception_hours
    reason: str

    @property
    def label(self) -> str:
        labels = {
            "weekend": _("weekend"),
            "holiday": _("non-working holiday"),
            "shortened": _("shortened pre-holiday day"),
            "working_weekend": _("working weekend day"),
            "exception_off": _("day off (calendar exception)"),
            "exception_hours": _("other working hours (calendar exception)"),
        }
        return labels.get(self.kind, self.kind)


@dataclasses.dataclass(frozen=True)
class DeadlineExplanation:
    start: datetime.datetime
    due: datetime.datetime
    amount: int
    unit: str
    calendar: str
    time_zone: str
    always_open: bool
    special_days: tuple[SpecialDay, ...]

    @property
    def target_text(self) -> str:
        if self.unit == Target.Unit.BUSINESS_DAYS:
            return ngettext("%(n)d business day", "%(n)d business days", self.amount) % {
                "n": self.amount
            }
        hours, minutes = divmod(self.amount, 60)
        if self.always_open:
            text = _("%(h)d h %(m)02d min, counting every minute (24x7)")
        else:
            text = _("%(h)d h %(m)02d min of working time")
        return text % {"h": hours, "m": minutes}

    def as_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "amount": self.amount,
            "unit": self.unit,
            "calendar": self.calendar,
            "time_zone": self.time_zone,
            "special_days": [
                {"date": d.day.isoformat(), "kind": d.kind, "reason": d.reason}
                for d in self.special_days
            ],
        }


@dataclasses.dataclass(frozen=True)
class Explanation:
    tier: str
    priority: str
    registered: datetime.datetime
    reaction: DeadlineExplanation
    resolution: DeadlineExplanation
    provisional: bool


def _explain_one(
    calendar_row: Calendar, amount: int, unit: str, start: datetime.datetime
) -> DeadlineExplanation:
    calendar: BusinessCalendar = selectors.business_calendar(calendar_row)
    due = due_after(calendar, start, amount, unit)
    return explain_due(calendar_row, amount, unit, start, due)


def explain_due(
    calendar_row: Calendar,
    amount: int,
    unit: str,
    start: datetime.datetime,
    due: datetime.datetime,
) -> DeadlineExplanation:
    """Why a deadline `due` of a target (`amount` `unit`s on `calendar_row`) counted from
    `start` is where it is: the days between that the calendar skipped or shortened.

    `due` is given, not computed: a ticket's stored deadline also moved by its pauses (the
    monthly SLA report explains those). No query once the calendar is cached.
    """
    calendar: BusinessCalendar = selectors.business_calendar(calendar_row)
    due = due.astimezone(calendar.tz)
    special: tuple[SpecialDay, ...] = ()
    if not calendar_row.always_open:
        special = tuple(SpecialDay(*item) for item in calendar.explain_span(start, due))
    return DeadlineExplanation(
        start=start.astimezone(calendar.tz),
        due=due,
        amount=amount,
        unit=unit,
        calendar=calendar_row.label,
        time_zone=calendar_row.time_zone,
        always_open=calendar_row.always_open,
        special_days=special,
    )


def explain_deadlines(
    *, tier_id: str, priority_id: str, registered: datetime.datetime
) -> Explanation | None:
    """Why the deadlines of a ticket registered at `registered` are what they are.

    None if no target is configured for the tier and priority.
    """
    target = selectors.target_for(tier_id=tier_id, priority_id=priority_id)
    if target is None:
        return None
    reaction = _explain_one(
        target.reaction_calendar, target.reaction_amount, target.reaction_unit, registered
    )
    resolution = _explain_one(
        target.resolution_calendar, target.resolution_amount, target.resolution_unit, registered
    )
    provisional = is_provisional(
        target.reaction_calendar, registered, reaction.due
    ) or is_provisional(target.resolution_calendar, registered, resolution.due)
    return Explanation(tier_id, priority_id, registered, reaction, resolution, provisional)
