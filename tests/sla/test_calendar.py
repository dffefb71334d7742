"""Specs of sla.calendar: business-hours arithmetic on the real 2024-2026 Russian calendars,
Civil Code periods, time zones and DST, plus properties checked against a minute-by-minute
oracle. No database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sla.calendar import BusinessCalendar, CalendarSpec, PeriodEnd, calendar_for
from sla.production_calendar import russian_calendar_spec

MSK = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
PLUS5 = timezone(timedelta(hours=5))
H = timedelta(hours=1)
EOWH, EOD = PeriodEnd.END_OF_WORKING_HOURS, PeriodEnd.END_OF_DAY
NINE_TO_SIX = (time(9), time(18))

CAL = BusinessCalendar(russian_calendar_spec(range(2023, 2028)))
ALWAYS = BusinessCalendar(CalendarSpec("Europe/Moscow", (None,) * 7, always_open=True))


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


def utc(value: datetime) -> datetime:
    # Python compares and subtracts datetimes of one zone by wall clock, ignoring `fold`; in
    # UTC the order of instants is never in doubt.
    return value.astimezone(UTC)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (msk(2024, 3, 12, 17), H, msk(2024, 3, 12, 18)),  # lands on the close: same day
        (msk(2024, 3, 12, 9), 9 * H, msk(2024, 3, 12, 18)),
        (msk(2024, 3, 12, 18), timedelta(minutes=1), msk(2024, 3, 13, 9, 1)),
        (msk(2024, 2, 22, 16), H, msk(2024, 2, 22, 17)),  # shortened eve of 23 Feb ends 17:00
        (msk(2024, 2, 22, 16, 30), H, msk(2024, 2, 26, 9, 30)),
        (msk(2024, 4, 26, 17), 2 * H, msk(2024, 4, 27, 10)),  # working Saturday 27 April
        (msk(2024, 11, 2, 16), 2 * H, msk(2024, 11, 5, 10)),  # shortened Saturday, 4 Nov off
        (msk(2024, 12, 28, 17), 2 * H, msk(2025, 1, 9, 10)),  # New Year block 29.12-08.01
        (msk(2025, 11, 1, 9), 8 * H, msk(2025, 11, 1, 17)),  # 2025's shortened Saturday
        (msk(2025, 4, 30, 16), 2 * H, msk(2025, 5, 5, 10)),  # May holidays 1-4 May 2025
        (msk(2024, 5, 8, 16), 2 * H, msk(2024, 5, 13, 10)),  # 9 May + transferred 10 May
        (msk(2024, 3, 12, 3), H, msk(2024, 3, 12, 10)),  # night
        (msk(2024, 3, 16, 12), H, msk(2024, 3, 18, 10)),  # weekend
        (msk(2024, 6, 12, 12), H, msk(2024, 6, 13, 10)),  # holiday (Russia Day)
        (msk(2024, 1, 31, 17), 2 * H, msk(2024, 2, 1, 10)),  # month end
        (msk(2025, 12, 30, 17, 30), H, msk(2026, 1, 12, 9, 30)),  # year end, 31.12-11.01 off
        (msk(2026, 1, 5, 10), H, msk(2026, 1, 12, 10)),
        (msk(2024, 3, 15, 14), 8 * H, msk(2024, 3, 18, 13)),  # 8 h reaction over a weekend
        (datetime(2024, 3, 12, 6, tzinfo=UTC), H, msk(2024, 3, 12, 10)),  # UTC input
        (datetime(2024, 3, 12, 14, tzinfo=PLUS5), 6 * H, msk(2024, 3, 12, 18)),  # +05:00
        (datetime(2024, 3, 12, 14, tzinfo=PLUS5), 7 * H, msk(2024, 3, 13, 10)),
        (datetime(2024, 3, 14, 21, 30, tzinfo=UTC), H, msk(2024, 3, 15, 10)),  # 00:30 MSK
    ],
)
def test_it_adds_working_time_on_the_production_calendar(start, duration, expected):
    result = CAL.add_working_time(start, duration)
    assert result == expected
    assert result.tzinfo == MSK
    assert CAL.working_time_between(start, result) == duration


@pytest.mark.parametrize(
    ("event", "days", "end_of_hours", "end_of_day"),
    [
        # Friday evening + 1 business day: Monday 18:00 for the vendor, Tuesday 00:00 for
        # the customer (Civil Code art. 194).
        (msk(2024, 3, 15, 19, 30), 1, msk(2024, 3, 18, 18), msk(2024, 3, 19)),
        (msk(2024, 5, 9, 10), 1, msk(2024, 5, 13, 18), msk(2024, 5, 14)),  # event on a holiday
        (msk(2024, 3, 14, 23, 59), 1, msk(2024, 3, 15, 18), msk(2024, 3, 16)),  # 23:59 local
        (datetime(2024, 3, 14, 20, 59, tzinfo=UTC), 1, msk(2024, 3, 15, 18), msk(2024, 3, 16)),
        # 21:30 UTC on Thursday is already Friday in Moscow: the period starts on Saturday.
        (datetime(2024, 3, 14, 21, 30, tzinfo=UTC), 1, msk(2024, 3, 18, 18), msk(2024, 3, 19)),
        (msk(2024, 2, 21, 12), 1, msk(2024, 2, 22, 17), msk(2024, 2, 23)),  # shortened day
        (msk(2024, 4, 26, 12), 1, msk(2024, 4, 27, 18), msk(2024, 4, 28)),  # working Saturday
        (msk(2024, 11, 1, 12), 1, msk(2024, 11, 2, 17), msk(2024, 11, 3)),
        (msk(2025, 10, 31, 12), 1, msk(2025, 11, 1, 17), msk(2025, 11, 2)),
        (msk(2024, 12, 27, 12), 2, msk(2025, 1, 9, 18), msk(2025, 1, 10)),  # over New Year
        (msk(2024, 2, 29, 10), 1, msk(2024, 3, 1, 18), msk(2024, 3, 2)),  # leap month end
        (msk(2025, 4, 25, 15), 20, msk(2025, 5, 29, 18), msk(2025, 5, 30)),  # 20 bd over May
        (msk(2026, 1, 5, 12), 10, msk(2026, 1, 23, 18), msk(2026, 1, 24)),  # auto-close
    ],
)
def test_it_ends_business_day_periods_by_the_civil_code(event, days, end_of_hours, end_of_day):
    assert CAL.add_business_days(event, days, end=EOWH) == end_of_hours
    assert CAL.add_business_days(event, days, end=EOD) == end_of_day
    assert CAL.add_business_days(event, days, end=EOD).tzinfo == MSK


@pytest.mark.parametrize(
    ("day", "kind", "reason"),
    [
        (date(2024, 1, 1), "holiday", "Новогодние каникулы"),
        (date(2024, 5, 10), "holiday", "Выходной (перенесено с 06.01.2024)"),
        (date(2026, 3, 9), "holiday", "Международный женский день (выходной)"),
        (date(2024, 4, 27), "working_weekend", ""),
        (date(2024, 11, 2), "working_weekend", "pre-holiday"),
        (date(2024, 2, 22), "shortened", "pre-holiday"),
        (date(2024, 3, 16), "weekend", ""),
        (date(2024, 3, 12), "working", ""),
    ],
)
def test_it_explains_each_day(day, kind, reason):
    assert CAL.day_status(day) == (kind, reason)
    assert CAL.is_business_day(day) == (kind in {"working", "working_weekend", "shortened"})


def test_it_lists_the_days_skipped_between_two_instants():
    skipped = CAL.explain_span(msk(2024, 12, 27, 12), msk(2025, 1, 9, 10))
    assert [(d.isoformat(), kind) for d, kind, _ in skipped[:4]] == [
        ("2024-12-28", "working_weekend"),
        ("2024-12-29", "weekend"),
        ("2024-12-30", "holiday"),
        ("2024-12-31", "holiday"),
    ]
    assert [d.day for d, kind, _ in skipped[4:]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert CAL.explain_span(msk(2024, 3, 12), msk(2024, 3, 11)) == []


def test_it_gives_working_hours_of_a_day_in_its_zone():
    assert CAL.working_hours(date(2024, 2, 22)) == (msk(2024, 2, 22, 9), msk(2024, 2, 22, 17))
    assert CAL.working_hours(date(2024, 11, 2)) == (msk(2024, 11, 2, 9), msk(2024, 11, 2, 17))
    assert CAL.working_hours(date(2024, 1, 3)) is None
    assert CAL.business_days_between(date(2024, 4, 26), date(2024, 5, 13)) == 7


def test_it_lets_overrides_win_over_the_production_calendar():
    spec = russian_calendar_spec(
        range(2024, 2025),
        overrides={
            date(2024, 5, 9): (time(10), time(14)),  # duty on a holiday
            date(2024, 3, 12): None,  # office closed on a weekday
            date(2024, 2, 22): NINE_TO_SIX,  # a full day on a pre-holiday day
            date(2024, 3, 16): (time(10), time(12)),  # a Saturday shift
        },
        override_reasons={date(2024, 5, 9): "дежурство"},
    )
    cal = BusinessCalendar(spec)
    assert cal.add_working_time(msk(2024, 5, 8, 16, 30), H) == msk(2024, 5, 9, 10, 30)
    assert cal.day_status(date(2024, 5, 9)) == ("exception_hours", "дежурство")
    assert cal.add_working_time(msk(2024, 3, 11, 17), 2 * H) == msk(2024, 3, 13, 10)
    assert cal.day_status(date(2024, 3, 12)) == ("exception_off", "")
    assert cal.working_hours(date(2024, 2, 22))[1] == msk(2024, 2, 22, 18)
    assert cal.add_business_days(msk(2024, 3, 15, 12), 1, end=EOWH) == msk(2024, 3, 16, 12)


def test_it_counts_every_minute_on_an_always_open_calendar():
    assert ALWAYS.add_working_time(msk(2024, 3, 16, 23, 30), H) == msk(2024, 3, 17, 0, 30)
    assert ALWAYS.add_business_days(msk(2024, 3, 15, 19, 30), 1, end=EOWH) == msk(2024, 3, 17)
    assert ALWAYS.add_business_days(msk(2024, 1, 1, 0), 1, end=EOD) == msk(2024, 1, 3)
    assert ALWAYS.day_status(date(2024, 1, 1)) == ("working", "")
    berlin = BusinessCalendar(CalendarSpec("Europe/Berlin", (None,) * 7, always_open=True))
    spring = datetime(2024, 3, 31, 1, 30, tzinfo=BERLIN)
    assert berlin.add_working_time(spring, H) == datetime(2024, 3, 31, 3, 30, tzinfo=BERLIN)
    fall = datetime(2024, 10, 27, tzinfo=BERLIN), datetime(2024, 10, 28, tzinfo=BERLIN)
    assert berlin.working_time_between(*fall) == 25 * H


def daily(tz_name: str, hours: tuple[time, time]) -> BusinessCalendar:
    return BusinessCalendar(CalendarSpec(tz_name, (hours,) * 7))


def test_it_keeps_wall_clock_hours_across_dst_changes():
    cal = daily("Europe/Berlin", NINE_TO_SIX)
    assert cal.working_hours(date(2024, 3, 31)) == (
        datetime(2024, 3, 31, 9, tzinfo=BERLIN),
        datetime(2024, 3, 31, 18, tzinfo=BERLIN),
    )
    start = datetime(2024, 3, 30, 17, tzinfo=BERLIN)
    assert cal.add_working_time(start, 2 * H) == datetime(2024, 3, 31, 10, tzinfo=BERLIN)
    assert cal.working_time_between(start, datetime(2024, 4, 1, 9, tzinfo=BERLIN)) == 10 * H
    night = daily("Europe/Berlin", (time(0), time(6)))
    assert (
        night.working_time_between(
            datetime(2024, 3, 31, tzinfo=BERLIN), datetime(2024, 4, 1, tzinfo=BERLIN)
        )
        == 5 * H
    )
    assert (
        night.working_time_between(
            datetime(2024, 10, 27, tzinfo=BERLIN), datetime(2024, 10, 28, tzinfo=BERLIN)
        )
        == 7 * H
    )
    nyc = BusinessCalendar(CalendarSpec("America/New_York", (NINE_TO_SIX,) * 5 + (None, None)))
    due = nyc.add_business_days(datetime(2024, 3, 8, 12, tzinfo=NEW_YORK), 1, end=EOWH)
    assert due == datetime(2024, 3, 11, 22, tzinfo=UTC)  # 18:00 EDT, the day after the change
    assert due.utcoffset() == timedelta(hours=-4)


def test_it_snaps_a_boundary_in_a_dst_gap_and_takes_the_first_of_an_overlap():
    cal = daily("Europe/Berlin", (time(2, 30), time(5)))
    opened, closed = cal.working_hours(date(2024, 3, 31))  # 02:30 does not exist that night
    assert (opened, closed) == (
        datetime(2024, 3, 31, 3, tzinfo=BERLIN),
        datetime(2024, 3, 31, 5, tzinfo=BERLIN),
    )
    opened, closed = cal.working_hours(date(2024, 10, 27))  # 02:30 happens twice
    assert opened.utcoffset() == 2 * H  # summer time: the first 02:30
    assert utc(closed) - utc(opened) == timedelta(hours=3, minutes=30)


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: CAL.add_working_time(naive, H),
        lambda naive: CAL.working_time_between(naive, msk(2024, 3, 12)),
        lambda naive: CAL.working_time_between(msk(2024, 3, 12), naive),
        lambda naive: CAL.add_business_days(naive, 1, end=EOWH),
        lambda naive: CAL.explain_span(naive, msk(2024, 3, 12)),
        lambda naive: ALWAYS.add_working_time(naive, H),
    ],
)
def test_it_rejects_naive_datetimes(call):
    with pytest.raises(ValueError, match="aware"):
        call(datetime(2024, 3, 12, 10))  # noqa: DTZ001 - the point of the test


def test_it_rejects_meaningless_arguments():
    with pytest.raises(ValueError, match="at least 1"):
        CAL.add_business_days(msk(2024, 3, 12), 0, end=EOD)
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_time(msk(2024, 3, 12), -H)
    with pytest.raises(ValueError, match="7 entries"):
        CalendarSpec("Europe/Moscow", (NINE_TO_SIX,) * 5)
    with pytest.raises(ValueError, match="start before"):
        CalendarSpec("Europe/Moscow", ((time(18), time(9)),) * 7)
    start = msk(2024, 3, 12, 7)
    assert CAL.add_working_time(start, timedelta(0)) is start
    assert CAL.working_time_between(msk(2024, 3, 13), msk(2024, 3, 12)) == timedelta(0)


def test_it_treats_equal_specs_as_one_cache_key():
    one = russian_calendar_spec(range(2024, 2026))
    two = russian_calendar_spec([2025, 2024])
    assert one == two
    assert hash(one) == hash(two)
    assert one.cache_key == two.cache_key
    assert calendar_for(one) is calendar_for(two)
    assert one.cache_key != russian_calendar_spec(range(2024, 2026), tz_name="Asia/Omsk").cache_key


def test_it_loads_far_years_on_demand():
    cal = BusinessCalendar(russian_calendar_spec())
    # 2099-2100 are provisional (statute only): 31.12 is shortened, 1-8 January are off.
    assert cal.add_business_days(msk(2099, 12, 30, 12), 1, end=EOWH) == msk(2099, 12, 31, 17)
    assert cal.add_business_days(msk(2099, 12, 31, 12), 1, end=EOWH) == msk(2100, 1, 11, 18)
    assert cal.add_working_time(msk(1995, 1, 2), H).year == 1995
    assert cal.working_time_between(msk(1995, 1, 2), msk(2099, 1, 1)) > 100_000 * H
    closed = BusinessCalendar(CalendarSpec("Europe/Moscow", (None,) * 7))
    with pytest.raises(ValueError, match="no working time"):
        closed.add_working_time(msk(2024, 1, 1), H)


# -- properties against a minute-by-minute oracle ---------------------------------------------
#
# The oracle restates the spec's precedence and walks UTC minutes, asking the zone for the
# local wall clock of each. A working day is the minutes whose local date is that day and whose
# wall-clock time is within [start, end). In zones with DST no boundary is drawn strictly
# inside the fall-back hour: there that set would be two pieces, whereas the calendar (by
# design) keeps one interval from the first occurrence. Boundaries in the spring-forward gap
# are drawn (New York's 02:30): both snap to the transition.

ZONES = ["Europe/Moscow", "Asia/Yekaterinburg", "Europe/Berlin", "America/New_York"]
DST_ZONES = {"Europe/Berlin", "America/New_York"}
OVERLAP_MIDDLE = {"Europe/Berlin": 150, "America/New_York": 90}  # 02:30 and 01:30
ANCHORS = [  # UTC instants near DST changes and the New Year
    datetime(2024, 3, 4, tzinfo=UTC),
    datetime(2024, 3, 25, tzinfo=UTC),
    datetime(2024, 10, 21, tzinfo=UTC),
    datetime(2024, 10, 28, tzinfo=UTC),
    datetime(2024, 12, 20, tzinfo=UTC),
]
MINUTE = timedelta(minutes=1)


def minutes(hours: tuple[time, time]) -> tuple[int, int]:
    start, end = (t.hour * 60 + t.minute for t in hours)
    return start, end if end > start else 1440


def oracle_day(spec: CalendarSpec, day: date) -> tuple[int, int] | None:
    if spec.always_open:
        return (0, 1440)
    if day in spec.overrides:
        hours = spec.overrides[day]
        return None if hours is None else minutes(hours)
    if day in spec.non_working_days:
        return None
    hours = spec.weekly_hours[day.weekday()]
    if day in spec.working_weekend_days:
        week = spec.weekly_hours
        hours = week[spec.working_weekend_days[day]] or next((h for h in week if h), None)
    if hours is None:
        return None
    start, end = minutes(hours)
    if day in spec.shortened_days:
        end = max(start, end - spec.shortened_by // MINUTE)
    return start, end


def oracle_working(spec: CalendarSpec, tz: ZoneInfo, instant: datetime) -> bool:
    local = instant.astimezone(tz)
    hours = oracle_day(spec, local.date())
    return hours is not None and hours[0] <= local.hour * 60 + local.minute < hours[1]


def oracle_add(spec, tz, start: datetime, needed: int) -> datetime:
    instant = start.astimezone(UTC)
    while True:
        if oracle_working(spec, tz, instant):
            needed -= 1
            if needed == 0:
                return instant + MINUTE
        instant += MINUTE


def oracle_between(spec, tz, start: datetime, end: datetime) -> int:
    count, instant = 0, start.astimezone(UTC)
    while instant < end:
        count += oracle_working(spec, tz, instant)
        instant += MINUTE
    return count


def boundaries(tz_name: str) -> tuple[list[int], int]:
    """Minutes of the day a boundary may take in this zone, and the shortening in minutes."""
    step, shortened_by = (30, 120) if tz_name in DST_ZONES else (15, 60)
    # Not strictly inside the fall-back hour (see above), not even as a shortened end.
    overlap = OVERLAP_MIDDLE.get(tz_name)
    return [m for m in range(0, 1441, step) if overlap not in (m, m - shortened_by)], shortened_by


@st.composite
def wall_hours(draw, tz_name: str) -> tuple[time, time]:
    allowed, _ = boundaries(tz_name)

    def pick(values: list[int]) -> int:
        night = [m for m in values if 60 <= m <= 240]  # where the clocks change
        return draw(st.sampled_from(values) | st.sampled_from(night or values))

    start = pick(allowed[:-1])
    end = pick([m for m in allowed if m > start])
    return time(start // 60, start % 60), time(end // 60 % 24, end % 60)


def near_anchors():
    """Days where the properties walk: special days there matter."""
    return st.builds(
        lambda anchor, n: anchor.date() + timedelta(days=n),
        st.sampled_from(ANCHORS),
        st.integers(-1, 24),
    )


@st.composite
def specs(draw) -> CalendarSpec:
    tz_name = draw(st.sampled_from(ZONES))
    hours = wall_hours(tz_name)
    weekly = [draw(st.none() | hours) for _ in range(7)]
    if not any(weekly[:5]):
        weekly[0] = NINE_TO_SIX
    day_sets = st.sets(near_anchors(), min_size=1, max_size=8)
    return CalendarSpec(
        tz_name=tz_name,
        weekly_hours=tuple(weekly),
        always_open=draw(st.integers(0, 9)) == 0,
        non_working_days=dict.fromkeys(draw(day_sets), "holiday"),
        working_weekend_days={d: draw(st.integers(0, 4)) for d in draw(day_sets)},
        shortened_days=frozenset(draw(day_sets)),
        shortened_by=timedelta(minutes=boundaries(tz_name)[1]),
        overrides={d: draw(st.none() | hours) for d in draw(day_sets)},
    )


def starts():
    """Minute-aligned instants within two weeks of an anchor, in one of several zones."""
    offset = st.integers(0, 14 * 1440).map(lambda n: n * MINUTE)
    zone = st.sampled_from([UTC, PLUS5, MSK, BERLIN])
    return st.builds(lambda a, o, z: (a + o).astimezone(z), st.sampled_from(ANCHORS), offset, zone)


def weekly_minutes(spec: CalendarSpec) -> int:
    if spec.always_open:
        return 7 * 1440
    return sum(end - start for start, end in (minutes(h) for h in spec.weekly_hours if h))


# How many examples: the profile's (conftest.py: "ci" by default, HYPOTHESIS_PROFILE=dev for a
# quick run while working).
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(spec=specs(), start=starts(), data=st.data())
def test_it_adds_working_time_like_the_oracle(spec, start, data):
    cal = BusinessCalendar(spec)
    per_week = weekly_minutes(spec)
    needed = data.draw(st.integers(1, min(3 * 1440, 2 * per_week)), label="minutes")
    result = cal.add_working_time(start, needed * MINUTE)
    # Compared as instants: Python never calls a time in a DST-repeated hour equal to one in
    # another zone, even when both name the same instant.
    assert result.timestamp() == oracle_add(spec, cal.tz, start, needed).timestamp()
    assert cal.working_time_between(start, result) == needed * MINUTE


@PROPERTY
@given(spec=specs(), start=starts(), span=st.integers(0, 10 * 1440))
def test_it_measures_working_time_like_the_oracle(spec, start, span):
    cal = BusinessCalendar(spec)
    end = start + span * MINUTE
    assert cal.working_time_between(start, end) == oracle_between(spec, cal.tz, start, end) * MINUTE


def assert_day_like_the_oracle(spec: CalendarSpec, day: date) -> None:
    cal = BusinessCalendar(spec)
    local_midnight = datetime.combine(day, time(), cal.tz).astimezone(UTC)
    scan = [local_midnight - 3 * H + i * MINUTE for i in range(30 * 60)]
    expected = [
        u for u in scan if u.astimezone(cal.tz).date() == day and oracle_working(spec, cal.tz, u)
    ]
    hours = cal.working_hours(day)
    if oracle_day(spec, day) is None:
        assert hours is None
    else:
        opened, closed = hours
        assert [u for u in scan if opened <= u < closed] == expected


@PROPERTY
@given(spec=specs(), day=near_anchors())
def test_it_gives_the_oracles_working_hours_of_each_day(spec, day):
    assert_day_like_the_oracle(spec, day)


CLOCK_CHANGES = {
    "Europe/Berlin": [date(2024, 3, 31), date(2024, 10, 27)],
    "America/New_York": [date(2024, 3, 10), date(2024, 11, 3)],
}


@PROPERTY
@given(data=st.data())
def test_it_keeps_the_oracles_hours_on_the_nights_clocks_change(data):
    tz_name = data.draw(st.sampled_from(sorted(CLOCK_CHANGES)))
    hours = data.draw(wall_hours(tz_name))
    day = data.draw(st.sampled_from(CLOCK_CHANGES[tz_name]))
    assert_day_like_the_oracle(CalendarSpec(tz_name, (hours,) * 7), day)


@PROPERTY
@given(spec=specs(), event=starts(), days=st.integers(1, 15))
def test_it_counts_business_days_like_the_oracle(spec, event, days):
    cal = BusinessCalendar(spec)
    day, left = event.astimezone(cal.tz).date(), days
    while left:
        day += timedelta(days=1)
        left -= oracle_day(spec, day) is not None
    assert utc(cal.add_business_days(event, days, end=EOWH)) == utc(cal.working_hours(day)[1])
    after = cal.add_business_days(event, days, end=EOD).astimezone(cal.tz)
    assert (after.date(), after.time()) == (day + timedelta(days=1), time(0))
    # "More than `days` business days": 00:00 of the next business day after the last one.
    day += timedelta(days=1)
    while oracle_day(spec, day) is None:
        day += timedelta(days=1)
    beyond = cal.start_after_business_days(event, days).astimezone(cal.tz)
    assert (beyond.date(), beyond.time()) == (day, time(0))


@settings(deadline=None)
@given(
    spec=specs(),
    start=starts(),
    jitter=st.integers(0, 59_999_999),
    durations=st.lists(st.integers(0, 10**12), min_size=2, max_size=2).map(sorted),
    counts=st.lists(st.integers(1, 60), min_size=2, max_size=2).map(sorted),
)
def test_it_is_exact_and_monotonic(spec, start, jitter, durations, counts):
    cal = BusinessCalendar(spec)
    start += jitter * timedelta(microseconds=1)
    short, long = (timedelta(microseconds=d) for d in durations)
    early, late = cal.add_working_time(start, short), cal.add_working_time(start, long)
    assert cal.working_time_between(start, early) == short
    assert cal.working_time_between(start, late) == long
    assert utc(start) <= utc(early) <= utc(late)
    # Landing exactly on a close gives that close, not the next opening.
    day = start.astimezone(cal.tz).date() + timedelta(days=counts[0])
    hours = cal.working_hours(day)
    if hours and utc(hours[0]) < utc(hours[1]) and not spec.always_open:
        landed = cal.add_working_time(start, cal.working_time_between(start, hours[1]))
        assert utc(landed) == utc(hours[1])
    for end in PeriodEnd:
        first, second = (utc(cal.add_business_days(start, n, end=end)) for n in counts)
        assert utc(start) < first <= second
        assert utc(cal.add_business_days(start + H, counts[0], end=end)) >= first


@pytest.mark.parametrize(
    ("event", "days", "beyond"),
    [
        # Silent since Sun 29.11.2026: ten business days end on Fri 11.12; Mon 14.12 begins.
        (msk(2026, 11, 29, 15), 10, msk(2026, 12, 14)),
        # Wed 16.12.2026: 17.12-30.12, then the New Year holidays; Mon 11.01.2027 begins.
        (msk(2026, 12, 16, 10), 10, msk(2027, 1, 11)),
        (msk(2024, 3, 15, 19, 30), 1, msk(2024, 3, 19)),  # Friday + 1: Tuesday 00:00
    ],
)
def test_it_starts_the_business_day_after_a_period_runs_out(event, days, beyond):
    assert CAL.start_after_business_days(event, days) == beyond
    assert CAL.start_after_business_days(event, days).tzinfo == MSK
