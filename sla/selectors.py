"""Reads of SLA data, and the per-process cache of precomputed business calendars."""

import datetime
import threading

from accounts.reference import Kept
from sla.calendar import BusinessCalendar, CalendarSpec
from sla.models import Calendar, CalendarException, Priority, Target, Tier
from sla.production_calendar import DEFAULT_WEEKLY_HOURS, russian_calendar_spec

_cache: dict[int, tuple[int, BusinessCalendar]] = {}
_lock = threading.Lock()


def _all_targets() -> dict[tuple[str, str], Target]:
    targets = Target.objects.select_related("reaction_calendar", "resolution_calendar")
    return {(target.tier_id, target.priority_id): target for target in targets}


_targets = Kept(_all_targets)
priorities = Kept(lambda: list(Priority.objects.order_by("rank")))
"""Every priority, by rank, kept per process until one changes (accounts/reference.py)."""
tiers = Kept(lambda: list(Tier.objects.order_by("rank")))
"""Every tier, by rank, kept the same way."""


def kept_priority(code: str) -> Priority | None:
    """The priority of `code` among those kept per process (None for an unknown code)."""
    return next((priority for priority in priorities.get() if priority.pk == code), None)


def target_for(*, tier_id: str, priority_id: str) -> Target | None:
    """The SLA target of a tier and priority, from the targets kept per process.

    Deadlines are computed from these copies too: every save or delete of a target, tier,
    priority or calendar row stores a new shared version (sla/apps.py), so the next request
    of every process reads them afresh (accounts/reference.py), and a filing asks no query
    for its target. A change saved while a filing runs counts from the next one, as a row
    read by a statement that started before the change's commit would."""
    return _targets.get().get((tier_id, priority_id))


def default_calendar() -> Calendar | None:
    return Calendar.objects.filter(is_default=True).first()


def business_calendar(calendar: Calendar | None) -> BusinessCalendar:
    """The precomputed calendar for `calendar`, rebuilt only when its version changed."""
    if calendar is None:
        return _fallback()
    hit = _cache.get(calendar.pk)
    if hit is not None and hit[0] == calendar.version:
        return hit[1]
    built = BusinessCalendar(calendar_spec(calendar))
    with _lock:
        _cache[calendar.pk] = (calendar.version, built)
    return built


def customer_calendar() -> BusinessCalendar:
    """The calendar of the customer's periods (confirmation window, silence before auto-close)."""
    return business_calendar(default_calendar())


def _fallback() -> BusinessCalendar:
    # Only if an admin deleted the default calendar: the regulation's own Moscow calendar.
    hit = _cache.get(0)
    if hit is None:
        hit = (0, BusinessCalendar(russian_calendar_spec(tz_name="Europe/Moscow")))
        _cache[0] = hit
    return hit[1]


def calendar_spec(calendar: Calendar) -> CalendarSpec:
    """The pure-Python description of a calendar row, its hours and its exceptions."""
    weekly: list[tuple[datetime.time, datetime.time] | None] = [None] * 7
    rows = list(calendar.hours.all())
    for row in rows:
        weekly[row.weekday] = (row.start, row.end)
    if not rows:
        weekly = list(DEFAULT_WEEKLY_HOURS)
    usual = next((hours for hours in weekly if hours is not None), DEFAULT_WEEKLY_HOURS[0])
    overrides: dict[datetime.date, tuple[datetime.time, datetime.time] | None] = {}
    reasons: dict[datetime.date, str] = {}
    for exception in calendar.exceptions.all():
        if exception.kind == CalendarException.Kind.DAY_OFF:
            overrides[exception.date] = None
        elif exception.start and exception.end:
            overrides[exception.date] = (exception.start, exception.end)
        else:  # a working day with the usual hours of its own weekday, or of a weekday
            overrides[exception.date] = weekly[exception.date.weekday()] or usual
        reasons[exception.date] = exception.note or exception.get_kind_display()
    if calendar.always_open:
        return CalendarSpec(
            tz_name=calendar.time_zone, weekly_hours=tuple(weekly), always_open=True
        )
    if calendar.russian_production_calendar:
        return russian_calendar_spec(
            tz_name=calendar.time_zone,
            weekly_hours=tuple(weekly),
            overrides=overrides,
            override_reasons=reasons,
        )
    return CalendarSpec(
        tz_name=calendar.time_zone,
        weekly_hours=tuple(weekly),
        overrides=overrides,
        override_reasons=reasons,
    )
