"""The Russian production calendar matches the published one, month by month. No database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sla.calendar import BusinessCalendar
from sla.production_calendar import (
    SHORTENED_DAYS,
    article_95_shortened_days,
    official_years,
    russian_calendar_data,
    russian_calendar_spec,
)

MSK = ZoneInfo("Europe/Moscow")

# Published production calendars for the five-day week: (working days, norm hours at a 40-hour
# week) per month. Sources: "Производственный календарь на 2024 / 2025 / 2026 год"
# (КонсультантПлюс, consultant.ru/law/ref/calendar/proizvodstvennye/<year>/; for 2026 the same
# table as reproduced by Главбух, glavaudit.org/situations/k518956). Cross-checked against the
# day lists of xmlcalendar.ru (working, shortened and transferred days) and the annual totals:
# 2024 - 248 days / 1979 h, 2025 - 247 / 1972, 2026 - 247 / 1972.
PUBLISHED = {
    2024: [
        (17, 136), (20, 159), (20, 159), (21, 168), (20, 159), (19, 151),
        (23, 184), (22, 176), (21, 168), (23, 184), (21, 167), (21, 168),
    ],
    2025: [
        (17, 136), (20, 160), (21, 167), (22, 175), (18, 144), (19, 151),
        (23, 184), (21, 168), (22, 176), (23, 184), (19, 151), (22, 176),
    ],
    2026: [
        (15, 120), (19, 152), (21, 168), (22, 175), (19, 151), (21, 167),
        (23, 184), (21, 168), (22, 176), (22, 176), (20, 159), (22, 176),
    ],
}  # fmt: skip
ANNUAL = {2024: (248, 1979), 2025: (247, 1972), 2026: (247, 1972)}

# Eight working hours a day, so that working time equals the 40-hour-week norm.
EIGHT_HOURS = BusinessCalendar(
    russian_calendar_spec(range(2023, 2028), weekly_hours=((time(9), time(17)),) * 5 + (None,) * 2)
)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    first = datetime(year, month, 1, tzinfo=MSK)
    return first, datetime(year + month // 12, month % 12 + 1, 1, tzinfo=MSK)


@pytest.mark.parametrize(
    ("year", "month"), [(year, month) for year in PUBLISHED for month in range(1, 13)]
)
def test_it_matches_the_published_calendar_month_by_month(year, month):
    days, hours = PUBLISHED[year][month - 1]
    first, after = month_bounds(year, month)
    last_of_previous = first.date() - timedelta(days=1)
    last = after.date() - timedelta(days=1)
    assert EIGHT_HOURS.business_days_between(last_of_previous, last) == days
    assert EIGHT_HOURS.working_time_between(first, after) == timedelta(hours=hours)


@pytest.mark.parametrize("year", sorted(ANNUAL))
def test_it_matches_the_published_annual_totals(year):
    days, hours = ANNUAL[year]
    assert sum(d for d, _ in PUBLISHED[year]) == days
    assert sum(h for _, h in PUBLISHED[year]) == hours
    first, after = datetime(year, 1, 1, tzinfo=MSK), datetime(year + 1, 1, 1, tzinfo=MSK)
    assert EIGHT_HOURS.working_time_between(first, after) == timedelta(hours=hours)


@pytest.mark.parametrize("year", sorted(SHORTENED_DAYS))
def test_it_keeps_the_shortened_days_table_in_line_with_article_95(year):
    assert year in official_years()
    assert SHORTENED_DAYS[year] == article_95_shortened_days(year)
    assert russian_calendar_data(year).shortened_days == SHORTENED_DAYS[year]


def test_it_reads_the_decrees_from_the_holidays_package():
    assert {2024, 2025, 2026} <= official_years()
    assert 2028 not in official_years()
    data = russian_calendar_data(2024)
    assert data.official
    # Working Saturdays keep the hours of the weekday whose day off they became.
    assert data.working_weekend_days == {
        date(2024, 4, 27): 0,  # -> Monday 29 April
        date(2024, 11, 2): 1,  # -> Tuesday 30 April
        date(2024, 12, 28): 0,  # -> Monday 30 December
    }
    assert russian_calendar_data(2025).working_weekend_days == {date(2025, 11, 1): 0}
    assert russian_calendar_data(2026).working_weekend_days == {}
    assert data.non_working_days[date(2024, 1, 7)] == "Рождество Христово"
    assert data.non_working_days[date(2024, 12, 31)] == "Выходной (перенесено с 07.01.2024)"
    assert date(2025, 5, 8) in russian_calendar_data(2025).non_working_days


def test_it_builds_a_year_without_a_decree_from_the_labour_code():
    data = russian_calendar_data(2028)
    assert not data.official
    # 4 November 2028 is a Saturday: art. 112 §2 moves the day off to Monday 6 November.
    assert data.non_working_days[date(2028, 11, 6)] == "День народного единства (выходной)"
    # A January holiday on a weekend is moved only by a decree, which does not exist yet.
    assert date(2028, 1, 10) not in data.non_working_days
    assert data.shortened_days == {
        date(2028, 2, 22),
        date(2028, 3, 7),
        date(2028, 5, 8),
        date(2028, 11, 3),
    }
    assert data.working_weekend_days == {}


def test_it_hands_out_data_callers_may_change():
    russian_calendar_data(2024).non_working_days.clear()
    assert russian_calendar_data(2024).non_working_days


def test_it_keeps_business_hours_and_overrides_in_the_spec():
    spec = russian_calendar_spec([2024], overrides={date(2024, 1, 9): None})
    assert spec.tz_name == "Europe/Moscow"
    assert spec.weekly_hours[0] == (time(9), time(18))
    assert spec.weekly_hours[5:] == (None, None)
    assert spec.shortened_by == timedelta(hours=1)
    assert spec.overrides == {date(2024, 1, 9): None}
    assert date(2024, 1, 1) in spec.non_working_days
    assert date(2025, 1, 1) not in spec.non_working_days
