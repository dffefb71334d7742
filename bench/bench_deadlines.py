"""Deadline computations per second on one core (a script, not a test).

Run from the repository root: `python bench/bench_deadlines.py [N]`. Builds the Moscow
business-hours production calendar (a fresh instance), then times N resolution targets of 20
business days and N reactions of 8 working hours from random instants in 2024-2026.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import holidays

from sla.calendar import BusinessCalendar, PeriodEnd
from sla.production_calendar import russian_calendar_spec

TARGET_RATE = 50_000


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    holidays.Russia(years=2024)  # the package's one-off import work is not ours to time

    started = time.perf_counter()
    spec = russian_calendar_spec()
    spec_s = time.perf_counter() - started
    started = time.perf_counter()
    cal = BusinessCalendar(spec)
    cal.add_business_days(datetime(2025, 6, 1, tzinfo=UTC), 1, end=PeriodEnd.END_OF_DAY)
    first_s = time.perf_counter() - started

    rng = random.Random(20240101)
    lo = datetime(2024, 1, 1, tzinfo=cal.tz).timestamp()
    hi = datetime(2027, 1, 1, tzinfo=cal.tz).timestamp()
    events = [
        datetime.fromtimestamp(rng.uniform(lo, hi), UTC).replace(microsecond=0) for _ in range(n)
    ]
    warm = BusinessCalendar(spec)  # loads 2023-2027 before timing, as a long-lived process has
    warm.add_business_days(events[0], 1, end=PeriodEnd.END_OF_DAY)
    warm.add_business_days(datetime(2026, 12, 31, tzinfo=UTC), 40, end=PeriodEnd.END_OF_DAY)

    add_days, end = warm.add_business_days, PeriodEnd.END_OF_WORKING_HOURS
    started = time.perf_counter()
    for event in events:
        add_days(event, 20, end=end)
    days_rate = n / (time.perf_counter() - started)

    add_time, eight_hours = warm.add_working_time, timedelta(hours=8)
    started = time.perf_counter()
    for event in events:
        add_time(event, eight_hours)
    time_rate = n / (time.perf_counter() - started)

    between = warm.working_time_between
    dues = [add_time(event, eight_hours) for event in events]
    started = time.perf_counter()
    for event, due in zip(events, dues, strict=True):
        between(event, due)
    between_rate = n / (time.perf_counter() - started)

    print(f"spec build (production calendar 1991-2100): {spec_s * 1000:.1f} ms")
    print(f"first deadline on a fresh calendar (loads its year): {first_s * 1000:.1f} ms")
    print(f"deadlines/s (20 business days): {days_rate:,.0f}")
    print(f"working-time adds/s (8 h): {time_rate:,.0f}")
    print(f"working-time spans/s (8 h): {between_rate:,.0f}")
    ok = min(days_rate, time_rate) >= TARGET_RATE
    print(f"target {TARGET_RATE:,}/s: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
