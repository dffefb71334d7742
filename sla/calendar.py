"""Business calendars: working time and business days on aware datetimes (pure Python).

A calendar is built from a `CalendarSpec` (time zone, weekly hours, holidays, transferred days,
shortened pre-holiday days, admin overrides). All public methods take and return *aware*
datetimes; a naive datetime is a `ValueError`. Nothing here reads the clock or imports Django.

Speed matters (every ticket list recomputes deadlines), so each calendar lazily precomputes,
for a contiguous range of years, the UTC open/close instant of every business day as integer
microseconds plus the cumulative working time before each day, and answers every question
with `bisect` on those arrays. Integers keep `working_time_between(s, add_working_time(s, d))
== d` exact to the microsecond.

Wall-clock semantics: a business day is one interval, from the first instant at which the local
clock reads its start time to the first instant at which it reads its end time. A boundary that
falls in a DST gap snaps to the transition instant; one that falls in a DST overlap is taken at
its first occurrence.
"""

from __future__ import annotations

import enum
import hashlib
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "BusinessCalendar",
    "CalendarSpec",
    "FrozenMap",
    "PeriodEnd",
    "calendar_for",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORD = date(1970, 1, 1).toordinal()
_US = timedelta(microseconds=1)
_DAY_US = 86_400_000_000
_SEC_US = 1_000_000
# Years a calendar will load past the one asked for before concluding that it has no working
# time at all (a spec with every day off would otherwise search forever).
_MAX_SEARCH_YEARS = 200


class PeriodEnd(enum.Enum):
    """Where a period counted in business days ends on its last day (Civil Code art. 194)."""

    END_OF_WORKING_HOURS = "end_of_working_hours"  # an act of the vendor, an organization (§1)
    END_OF_DAY = "end_of_day"  # an act of the customer: 24:00 of the last day


class FrozenMap(Mapping):
    """An immutable, hashable mapping, so that a `CalendarSpec` can be a cache key."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping | None = None) -> None:
        self._data = dict(data or {})
        self._hash: int | None = None

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: Any, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        return isinstance(other, Mapping) and self._data == dict(other)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


Hours = tuple[time, time]


def _check_hours(hours: Any, what: str) -> Hours | None:
    if hours is None:
        return None
    start, end = hours
    if not (isinstance(start, time) and isinstance(end, time)):
        raise TypeError(f"{what}: working hours must be a (time, time) pair or None")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError(f"{what}: working hours are local wall-clock times, without tzinfo")
    # end == 00:00 means 24:00, the end of the day.
    if not (start < end or end == time(0)):
        raise ValueError(f"{what}: working hours must start before they end: {start}-{end}")
    return (start, end)


@dataclass(frozen=True)
class CalendarSpec:
    """Everything that defines a business calendar; immutable and hashable.

    `weekly_hours` has 7 entries, Monday first: a `(start, end)` pair of local times or None
    for a day off (`end == time(0)` means 24:00). Precedence for a day: `overrides` (None = day
    off, a pair = working with those hours), then `non_working_days`, then
    `working_weekend_days` (the day works with the hours of the given weekday), then the
    weekly hours. A day in `shortened_days` ends `shortened_by` earlier unless overridden.
    `always_open` (24x7) ignores all of that: every minute counts, every day is a business day.
    """

    tz_name: str
    weekly_hours: tuple[Hours | None, ...]
    always_open: bool = False
    non_working_days: Mapping[date, str] = field(default_factory=FrozenMap)
    working_weekend_days: Mapping[date, int] = field(default_factory=FrozenMap)
    shortened_days: frozenset[date] = frozenset()
    shortened_by: timedelta = timedelta(hours=1)
    overrides: Mapping[date, Hours | None] = field(default_factory=FrozenMap)
    override_reasons: Mapping[date, str] = field(default_factory=FrozenMap)

    def __post_init__(self) -> None:
        ZoneInfo(self.tz_name)  # fail early on an unknown zone
        weekly = tuple(self.weekly_hours)
        if len(weekly) != 7:
            raise ValueError("weekly_hours needs 7 entries, Monday first")
        weekly = tuple(_check_hours(h, f"weekday {i}") for i, h in enumerate(weekly))
        overrides = {d: _check_hours(h, f"override {d}") for d, h in self.overrides.items()}
        for day, weekday in self.working_weekend_days.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"working weekend day {day}: weekday must be 0-6")
        if self.shortened_by < timedelta(0):
            raise ValueError("shortened_by must not be negative")
        setattr_ = object.__setattr__
        setattr_(self, "weekly_hours", weekly)
        setattr_(self, "non_working_days", FrozenMap(self.non_working_days))
        setattr_(self, "working_weekend_days", FrozenMap(self.working_weekend_days))
        setattr_(self, "shortened_days", frozenset(self.shortened_days))
        setattr_(self, "overrides", FrozenMap(overrides))
        setattr_(self, "override_reasons", FrozenMap(self.override_reasons))

    @cached_property
    def cache_key(self) -> str:
        """A digest of the whole spec, stable across processes (usable in a shared cache)."""

        def hours(h: Hours | None) -> str:
            return "-" if h is None else f"{h[0].isoformat()}/{h[1].isoformat()}"

        parts = [
            self.tz_name,
            ",".join(hours(h) for h in self.weekly_hours),
            str(self.always_open),
            ";".join(f"{d}={n}" for d, n in sorted(self.non_working_days.items())),
            ";".join(f"{d}={w}" for d, w in sorted(self.working_weekend_days.items())),
            ";".join(str(d) for d in sorted(self.shortened_days)),
            str(self.shortened_by // _US),
            ";".join(f"{d}={hours(h)}" for d, h in sorted(self.overrides.items())),
            ";".join(f"{d}={n}" for d, n in sorted(self.override_reasons.items())),
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _time_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _SEC_US + t.microsecond


def _span_us(hours: Hours) -> tuple[int, int]:
    start, end = _time_us(hours[0]), _time_us(hours[1])
    return start, (end if end > start else _DAY_US)  # end 00:00 = 24:00


def _utc_us(dt: datetime) -> int:
    """Microseconds since the epoch of an aware datetime; ValueError if it is naive."""
    try:
        return (dt - _EPOCH) // _US
    except TypeError:
        raise ValueError(f"an aware datetime is required, got {dt!r}") from None


class _State:
    """The precomputed arrays for a contiguous range of years (replaced, never mutated)."""

    __slots__ = ("lo", "hi", "base", "mid", "ords", "opens", "closes", "cum", "close_dt", "mid_dt")

    def __init__(self, lo: int, hi: int, years: dict[int, tuple[list, list]], end: int) -> None:
        self.lo, self.hi = lo, hi
        self.base = date(lo, 1, 1).toordinal()
        mid: list[int] = []
        ords: list[int] = []
        opens: list[int] = []
        closes: list[int] = []
        for year in range(lo, hi + 1):
            year_mid, year_days = years[year]
            mid.extend(year_mid)
            for ordinal, opened, closed in year_days:
                ords.append(ordinal)
                opens.append(opened)
                closes.append(closed)
        mid.append(end)  # 24:00 of the last day
        cum = [0] * (len(ords) + 1)
        total = 0
        for i in range(len(ords)):
            total += closes[i] - opens[i]
            cum[i + 1] = total
        self.mid, self.ords, self.opens, self.closes, self.cum = mid, ords, opens, closes, cum
        # Aware datetimes of closes and midnights, converted on first use and then shared.
        self.close_dt: list[datetime | None] = [None] * len(closes)
        self.mid_dt: list[datetime | None] = [None] * len(mid)


class BusinessCalendar:
    """Working-time and business-day arithmetic for one `CalendarSpec` (thread-safe)."""

    __slots__ = ("spec", "tz", "_week", "_short_us", "_years", "_state", "_lock")

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        self.tz = ZoneInfo(spec.tz_name)
        self._week = [None if h is None else _span_us(h) for h in spec.weekly_hours]
        self._short_us = spec.shortened_by // _US
        self._years: dict[int, tuple[list, list]] = {}
        self._state: _State | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<BusinessCalendar {self.spec.tz_name} {self.spec.cache_key[:8]}>"

    # -- days -----------------------------------------------------------------------------

    def _day_hours(self, day: date) -> tuple[int, int] | None:
        """Working span of a day in microseconds after local midnight, or None (day off)."""
        spec = self.spec
        if spec.always_open:
            return (0, _DAY_US)
        if day in spec.overrides:
            hours = spec.overrides[day]
            return None if hours is None else _span_us(hours)
        if day in spec.non_working_days:
            return None
        weekday = spec.working_weekend_days.get(day)
        if weekday is None:
            span = self._week[day.weekday()]
        else:
            # A working weekend day keeps the hours of the weekday it replaces; if this
            # calendar does not work that weekday, it takes the first working weekday's.
            span = self._week[weekday] or next((s for s in self._week if s), None)
        if span is not None and day in spec.shortened_days:
            start, end = span
            span = (start, max(start, end - self._short_us))
        return span

    def is_business_day(self, day: date) -> bool:
        """Whether `day` (a local date of this calendar) is a business day."""
        return self._day_hours(day) is not None

    def working_hours(self, day: date) -> tuple[datetime, datetime] | None:
        """The working period of `day` as aware datetimes in the calendar's zone, or None."""
        span = self._day_hours(day)
        if span is None:
            return None
        opened = self._wall_to_us(day, span[0])
        closed = max(opened, self._wall_to_us(day, span[1]))
        return self._to_dt(opened), self._to_dt(closed)

    def is_working_at(self, instant: datetime) -> bool:
        """Whether `instant` (aware) falls within this calendar's working hours."""
        if self.spec.always_open:
            return True
        hours = self.working_hours(instant.astimezone(self.tz).date())
        return hours is not None and hours[0] <= instant < hours[1]

    def day_status(self, day: date) -> tuple[str, str]:
        """(kind, reason) of a day, to explain deadlines to people.

        kind is one of: working, weekend, holiday (any day in non_working_days: art. 112
        holidays and transferred days off, reason = its name), shortened (reason
        "pre-holiday"), working_weekend (reason "pre-holiday" if also shortened),
        exception_off and exception_hours (admin overrides, reason = the override's reason).
        """
        spec = self.spec
        if spec.always_open:
            return ("working", "")
        if day in spec.overrides:
            kind = "exception_off" if spec.overrides[day] is None else "exception_hours"
            return (kind, spec.override_reasons.get(day, ""))
        if day in spec.non_working_days:
            return ("holiday", spec.non_working_days[day])
        shortened = "pre-holiday" if day in spec.shortened_days else ""
        if day in spec.working_weekend_days:
            return ("working_weekend", shortened)
        if self._week[day.weekday()] is None:
            return ("weekend", "")
        return ("shortened", shortened) if shortened else ("working", "")

    def explain_span(self, start: datetime, end: datetime) -> list[tuple[date, str, str]]:
        """The days from `start`'s to `end`'s local date (inclusive) that are not plain
        working days, as (day, kind, reason): which days were skipped or special, and why."""
        _utc_us(start), _utc_us(end)  # reject naive datetimes
        day, last = start.astimezone(self.tz).date(), end.astimezone(self.tz).date()
        result = []
        while day <= last:
            kind, reason = self.day_status(day)
            if kind != "working":
                result.append((day, kind, reason))
            day += timedelta(days=1)
        return result

    # -- precomputation ---------------------------------------------------------------------

    def _wall_to_us(self, day: date, offset_us: int) -> int:
        """UTC microseconds of the first instant at which the local clock reads `day` plus
        `offset_us` (up to 24:00): a time in a DST gap snaps to the transition instant, a time
        in an overlap is its first occurrence."""
        naive = datetime.combine(day, time()) + timedelta(microseconds=offset_us)
        first = _utc_us(naive.replace(tzinfo=self.tz))
        second = _utc_us(naive.replace(tzinfo=self.tz, fold=1))
        if first <= second:  # unambiguous, or an overlap (fold 0 is the earlier one)
            return first
        lo, hi = second, first  # a gap: wall(lo) < naive <= wall(hi); find the transition
        while hi - lo > 1:
            probe = (lo + hi) // 2
            if (_EPOCH + probe * _US).astimezone(self.tz).replace(tzinfo=None) >= naive:
                hi = probe
            else:
                lo = probe
        return hi

    def _build_year(self, year: int) -> tuple[list, list]:
        """(local midnights as UTC µs, [(ordinal, open µs, close µs) per business day])."""
        if not 1 <= year <= 9998:
            raise ValueError(f"year {year} is out of range for a business calendar")
        start = date(year, 1, 1)
        days = (date(year + 1, 1, 1) - start).days
        wall_to_us, day_hours = self._wall_to_us, self._day_hours
        mids = [wall_to_us(start + timedelta(days=i), 0) for i in range(days + 1)]
        business = []
        last_close = mids[0]
        for i in range(days):
            day = start + timedelta(days=i)
            span = day_hours(day)
            if span is None:
                continue
            wall = (day.toordinal() - _EPOCH_ORD) * _DAY_US
            offset, next_offset = wall - mids[i], wall + _DAY_US - mids[i + 1]
            if offset == next_offset:  # no clock change that day: plain arithmetic
                opened, closed = wall + span[0] - offset, wall + span[1] - offset
            else:
                opened, closed = wall_to_us(day, span[0]), wall_to_us(day, span[1])
            opened = max(opened, last_close)
            closed = last_close = max(closed, opened)
            business.append((day.toordinal(), opened, closed))
        return mids[:-1], business

    def _ensure(self, lo: int, hi: int) -> _State:
        """The state covering at least years lo..hi (extending the loaded range if needed)."""
        state = self._state
        if state is not None and state.lo <= lo and hi <= state.hi:
            return state
        with self._lock:
            state = self._state
            if state is not None:
                lo, hi = min(lo, state.lo), max(hi, state.hi)
            for year in range(lo, hi + 1):
                if year not in self._years:
                    self._years[year] = self._build_year(year)
            end = self._wall_to_us(date(hi, 12, 31), _DAY_US)
            state = self._state = _State(lo, hi, self._years, end)
            return state

    def _state_for(self, *instants: int) -> _State:
        """The state whose range contains the local days of all given UTC instants."""
        state = self._state
        if state is not None and all(state.mid[0] <= u < state.mid[-1] for u in instants):
            return state
        years = [self._to_dt(u).year for u in instants]
        return self._ensure(min(years), max(years))

    def _extend_forward(self, state: _State, origin_year: int, years: int = 1) -> _State:
        if state.hi + years > origin_year + _MAX_SEARCH_YEARS:
            raise ValueError("this calendar has no working time in the searched range")
        return self._ensure(state.lo, state.hi + years)

    def _to_dt(self, us: int) -> datetime:
        seconds, micro = divmod(us, _SEC_US)
        result = datetime.fromtimestamp(seconds, self.tz)
        return result.replace(microsecond=micro) if micro else result

    # -- working time ---------------------------------------------------------------------

    @staticmethod
    def _worked(state: _State, us: int) -> int:
        """Working time (µs) from the start of the loaded range up to instant `us`."""
        j = bisect_right(state.closes, us)  # the first business day still open after `us`
        if j == len(state.ords):
            return state.cum[j]
        opened = state.opens[j]
        return state.cum[j] + (us - opened if us > opened else 0)

    def add_working_time(self, start: datetime, duration: timedelta) -> datetime:
        """The instant at which `duration` of working time has elapsed, counting from `start`.

        Counting begins at the next opening if `start` is outside working hours. A result that
        lands exactly on the end of a working period is that end (17:00 + 1 h on a 9-18 day is
        18:00, not 09:00 next day). `duration == 0` returns `start` unchanged; a negative
        duration is a ValueError. On an always-open calendar this is plain `start + duration`
        in absolute time. The result is aware, in the calendar's zone.
        """
        us = _utc_us(start)
        need = duration // _US
        if need <= 0:
            if need < 0:
                raise ValueError("duration must not be negative")
            return start
        if self.spec.always_open:
            return self._to_dt(us + need)
        state = self._state_for(us)
        origin = state.hi
        while True:
            target = self._worked(state, us) + need
            cum = state.cum
            m = bisect_left(cum, target) - 1  # the business day in which `target` is reached
            if m < len(state.ords):
                return self._to_dt(state.opens[m] + target - cum[m])
            state = self._extend_forward(state, origin, 1 + need // (_DAY_US * 200))

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end); zero if `end <= start`."""
        s, e = _utc_us(start), _utc_us(end)
        if e <= s:
            return timedelta(0)
        if self.spec.always_open:
            return (e - s) * _US
        state = self._state_for(s, e)
        return (self._worked(state, e) - self._worked(state, s)) * _US

    # -- business days ----------------------------------------------------------------------

    def add_business_days(self, event: datetime, days: int, *, end: PeriodEnd) -> datetime:
        """The end of a period of `days` business days after `event` (Civil Code arts. 191-194).

        The period starts the day after the event's local date and ends on the `days`-th
        business day after it: at that day's end of working hours (a shortened day or an
        override ends accordingly) for END_OF_WORKING_HOURS, at 24:00 (00:00 of the next day)
        for END_OF_DAY. On an always-open calendar every day is a business day and both ends
        are 24:00. `days` must be >= 1. The result is aware, in the calendar's zone.
        """
        if days < 1:
            raise ValueError("a period in business days must be at least 1 day")
        state, target = self._nth_business_day(event, days)
        if end is PeriodEnd.END_OF_WORKING_HOURS:
            cache, index, instant = state.close_dt, target, state.closes
        elif end is PeriodEnd.END_OF_DAY:
            cache, index, instant = state.mid_dt, state.ords[target] - state.base + 1, state.mid
        else:
            raise TypeError("end must be a PeriodEnd")
        result = cache[index]
        if result is None:
            result = cache[index] = self._to_dt(instant[index])
        return result

    def start_after_business_days(self, event: datetime, days: int) -> datetime:
        """00:00 of the first business day after a period of `days` business days has run out.

        "More than `days` business days after `event`": the period (arts. 191-194) starts the
        day after the event and its `days`-th business day ends at 24:00; the first moment that
        is more than that, on a working day, is the start of the (`days` + 1)-th business day.
        So it never falls on a day off. The result is aware, in the calendar's zone.
        """
        if days < 0:
            raise ValueError("days must not be negative")
        state, target = self._nth_business_day(event, days + 1)
        index = state.ords[target] - state.base
        result = state.mid_dt[index]
        if result is None:
            result = state.mid_dt[index] = self._to_dt(state.mid[index])
        return result

    def _nth_business_day(self, event: datetime, nth: int) -> tuple[_State, int]:
        """The loaded state and the index in it of the `nth` business day after `event`'s date."""
        us = _utc_us(event)
        state = self._state_for(us)
        origin = state.hi
        while True:
            ordinal = state.base + bisect_right(state.mid, us) - 1  # the event's local date
            target = bisect_right(state.ords, ordinal) + nth - 1
            if target < len(state.ords):
                return state, target
            state = self._extend_forward(state, origin, 1 + nth // 200)

    def business_days_between(self, first: date, last: date) -> int:
        """How many business days lie in (first, last]: after `first`, up to `last` inclusive
        (0 if `last <= first`). `add_business_days` counts the same way."""
        if last <= first:
            return 0
        state = self._ensure(first.year - 1, last.year + 1)
        return bisect_right(state.ords, last.toordinal()) - bisect_right(
            state.ords, first.toordinal()
        )


@lru_cache(maxsize=64)
def calendar_for(spec: CalendarSpec) -> BusinessCalendar:
    """A calendar shared per spec (specs are hashable), so precomputed years are reused."""
    return BusinessCalendar(spec)
