"""The Russian production calendar (производственный календарь) as `CalendarSpec` data.

Sources: the `holidays` package carries the Labour Code art. 112 holidays and, per year, the
government decrees on transferred days off ("О переносе выходных дней в N году") in
`RussiaStaticHolidays.special_public_holidays` as (to_month, to_day, from_month, from_day)
entries, plus the statutory weekend-to-weekday transfers of art. 112 §2 in
`special_public_holidays_observed`. A `from` date that is a non-holiday weekend day becomes a
working day (`weekend_workdays`). The package has no pre-holiday shortened days (art. 95), so
`SHORTENED_DAYS` lists them for the years checked against the published calendars, and the
rule computes them for every other year.

A year the package carries no decree data for is built from the statute alone (art. 112
holidays, the §2 transfer of a holiday falling on a weekend to the next working day, the art.
95 rule) and reported with `official=False`, so that admins can be told.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache
from typing import Any

import holidays
from holidays.countries.russia import RussiaStaticHolidays

from sla.calendar import CalendarSpec

__all__ = [
    "DEFAULT_WEEKLY_HOURS",
    "SHORTENED_DAYS",
    "RussianYear",
    "article_95_shortened_days",
    "official_years",
    "russian_calendar_data",
    "russian_calendar_spec",
]

# Pre-holiday working days one hour shorter (Labour Code art. 95), as published in the
# production calendars of those years (КонсультантПлюс; the day lists of xmlcalendar.ru; for
# 2024 the decree is Постановление Правительства РФ от 10.08.2023 N 1314). The published
# monthly norms are checked in tests/sla/test_production_calendar.py.
# A working Saturday keeps the length of the weekday it replaces: 2024-11-02 replaces
# 2024-04-30 (the eve of 1 May) and is shortened; 2024-04-27 and 2024-12-28 are not.
SHORTENED_DAYS: dict[int, frozenset[date]] = {
    2024: frozenset(
        {date(2024, 2, 22), date(2024, 3, 7), date(2024, 5, 8), date(2024, 6, 11)}
        | {date(2024, 11, 2)}
    ),
    2025: frozenset({date(2025, 3, 7), date(2025, 4, 30), date(2025, 6, 11), date(2025, 11, 1)}),
    2026: frozenset({date(2026, 4, 30), date(2026, 5, 8), date(2026, 6, 11), date(2026, 11, 3)}),
}

DEFAULT_WEEKLY_HOURS: tuple[tuple[time, time] | None, ...] = (
    *[(time(9), time(18))] * 5,
    None,
    None,
)

# The art. 112 holidays whose weekend days are not moved by §2 (the government moves two of
# them by decree): New Year holidays and Christmas, 1-8 January.
_JANUARY_HOLIDAYS = range(1, 9)
_DEFAULT_YEARS = range(holidays.Russia.start_year, holidays.Russia.end_year + 1)


@dataclass(frozen=True)
class RussianYear:
    """One year of the production calendar.

    non_working_days: art. 112 holidays and transferred days off, with their Russian names;
    working_weekend_days: working Saturday/Sunday -> weekday (0-6) of the day off it was
    transferred to, whose hours it keeps; shortened_days: pre-holiday days (art. 95);
    official: whether the government decree for the year is loaded (see `official_years`).
    """

    year: int
    non_working_days: dict[date, str]
    working_weekend_days: dict[date, int]
    shortened_days: frozenset[date]
    official: bool


def official_years() -> frozenset[int]:
    """Years for which the `holidays` package carries the official transfer data.

    The package keeps the decrees as per-year keys of `special_public_holidays` (transfers by
    decree) and `special_public_holidays_observed` (weekend holidays moved by art. 112 §2);
    a year in neither has only the statutory holidays.
    """
    return _official_years()


@lru_cache(maxsize=1)
def _official_years() -> frozenset[int]:
    keys = set(getattr(RussiaStaticHolidays, "special_public_holidays", {}))
    keys |= set(getattr(RussiaStaticHolidays, "special_public_holidays_observed", {}))
    return frozenset(keys)


def _entries(table: Mapping[int, Any], year: int) -> list[tuple]:
    value = table.get(year, ())
    if value and not isinstance(value[0], tuple):  # a single entry is not wrapped
        value = (value,)
    return list(value)


def _decree_transfers(ru: Any, span: range) -> dict[date, date]:
    """Decree transfers: the new day off (to) <- the weekend day it was moved from (from)."""
    moved_from: dict[date, date] = {}
    for year in span:
        for entry in _entries(getattr(ru, "special_public_holidays", {}), year):
            if len(entry) >= 4:
                to_month, to_day, from_month, from_day, *from_year = entry
                from_date = date(from_year[0] if from_year else year, from_month, from_day)
                moved_from[date(year, to_month, to_day)] = from_date
    return moved_from


def _by_year(items: Iterable) -> dict[int, list]:
    """Dates, or (date, value) pairs, grouped by the date's year."""
    grouped: dict[int, list] = {}
    for item in items:
        key = item[0] if isinstance(item, tuple) else item
        grouped.setdefault(key.year, []).append(item)
    return grouped


@lru_cache(maxsize=256)
def _years_data(lo: int, hi: int, *, table: bool = True) -> dict[int, RussianYear]:
    """RussianYear for each of lo..hi, from one `holidays` instance (years are not independent:
    31 December is shortened by 1 January). `table=False` ignores SHORTENED_DAYS."""
    span = range(lo - 1, hi + 2)
    ru = holidays.Russia(years=span, language="ru")
    official = _official_years()

    moved_from = _decree_transfers(ru, span)
    # A working weekend day -> the weekday whose day off it became (it keeps those hours).
    replaces = {f: t for t, f in moved_from.items() if f in ru.weekend_workdays}
    weekend_workdays = {d: t.weekday() for d, t in replaces.items()}
    for day in ru.weekend_workdays:
        weekend_workdays.setdefault(day, 4)  # the package did not say which day it replaced
    # Art. 112 holidays: what the package computes without decree transfers and without the
    # art. 112 §2 moves (those are only added with observed=True).
    statutory = {d for d in holidays.Russia(years=span, observed=False) if d not in moved_from}

    non_working: dict[date, str] = dict(ru.items())
    for year in span:
        if year not in official:
            _apply_article_112_transfers(year, statutory, non_working)

    def working(day: date) -> bool:
        return day not in non_working and (day.weekday() < 5 or day in weekend_workdays)

    # Art. 95: the working day right before an art. 112 holiday is an hour shorter; a working
    # weekend day keeps the length of the weekday it replaces.
    one_day = timedelta(days=1)
    eves = {h - one_day for h in statutory if working(h - one_day)}
    eves |= {d for d, t in replaces.items() if t + one_day in statutory}

    days_off, weekends, shortened = (
        _by_year(non_working.items()),
        _by_year(weekend_workdays.items()),
        _by_year(eves),
    )
    result = {}
    for year in range(lo, hi + 1):
        if table and year in SHORTENED_DAYS:
            year_shortened = SHORTENED_DAYS[year]
        else:
            year_shortened = frozenset(shortened.get(year, ()))
        result[year] = RussianYear(
            year=year,
            non_working_days=dict(days_off.get(year, ())),
            working_weekend_days=dict(weekends.get(year, ())),
            shortened_days=year_shortened,
            official=year in official,
        )
    return result


def article_95_shortened_days(year: int) -> frozenset[date]:
    """The pre-holiday shortened days of `year` computed by the rule only (no SHORTENED_DAYS),
    from the package's holidays and transfers."""
    return _years_data(year, year, table=False)[year].shortened_days


def _apply_article_112_transfers(
    year: int, statutory: set[date], non_working: dict[date, str]
) -> None:
    """Labour Code art. 112 §2: a day off that coincides with a holiday moves to the next
    working day after the holiday (except for 1-8 January, which only a decree moves)."""
    for day in sorted(d for d in statutory if d.year == year):
        if day.weekday() < 5 or (day.month == 1 and day.day in _JANUARY_HOLIDAYS):
            continue
        moved = day + timedelta(days=1)
        while moved.weekday() >= 5 or moved in non_working:
            moved += timedelta(days=1)
        non_working[moved] = f"{non_working[day]} (выходной)"


def russian_calendar_data(year: int) -> RussianYear:
    """The production calendar of one year (fresh dicts: callers may modify them)."""
    data = _years_data(year, year)[year]
    return RussianYear(
        year=year,
        non_working_days=dict(data.non_working_days),
        working_weekend_days=dict(data.working_weekend_days),
        shortened_days=data.shortened_days,
        official=data.official,
    )


def russian_calendar_spec(
    years: Iterable[int] | None = None,
    *,
    tz_name: str = "Europe/Moscow",
    weekly_hours: tuple[tuple[time, time] | None, ...] = DEFAULT_WEEKLY_HOURS,
    overrides: Mapping[date, tuple[time, time] | None] | None = None,
    override_reasons: Mapping[date, str] | None = None,
) -> CalendarSpec:
    """A business-hours `CalendarSpec` with the Russian production calendar of `years`
    (default: every year the `holidays` package supports, 1991-2100) merged in.

    Admin `overrides` win over the production calendar (see `CalendarSpec`).
    """
    wanted = sorted(set(_DEFAULT_YEARS if years is None else years))
    non_working: dict[date, str] = {}
    weekend: dict[date, int] = {}
    shortened: set[date] = set()
    if wanted:
        data = _years_data(wanted[0], wanted[-1])
        for year in wanted:
            item = data[year]
            non_working.update(item.non_working_days)
            weekend.update(item.working_weekend_days)
            shortened |= item.shortened_days
    return CalendarSpec(
        tz_name=tz_name,
        weekly_hours=weekly_hours,
        non_working_days=non_working,
        working_weekend_days=weekend,
        shortened_days=frozenset(shortened),
        overrides=overrides or {},
        override_reasons=override_reasons or {},
    )
