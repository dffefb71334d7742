"""Specs of sla.clock: deadlines that stop while the ticket waits on the customer. No database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla.calendar import BusinessCalendar, CalendarSpec, PeriodEnd
from sla.clock import Pause, elapsed_fraction, remaining_at, replay_deadline, resume_deadline
from sla.production_calendar import russian_calendar_spec

MSK = ZoneInfo("Europe/Moscow")
H = timedelta(hours=1)
CAL = BusinessCalendar(russian_calendar_spec(range(2023, 2028)))
ALWAYS = BusinessCalendar(CalendarSpec("Europe/Moscow", (None,) * 7, always_open=True))


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


@pytest.mark.parametrize(
    ("cal", "due", "paused_at", "resumed_at", "expected"),
    [
        # A pause over the weekend costs nothing.
        (CAL, msk(2024, 3, 18, 12), msk(2024, 3, 15, 18, 30), msk(2024, 3, 18, 8), None),
        # A pause in working hours gives back the working time it took: Fri 16:00-17:00.
        (
            CAL,
            msk(2024, 3, 18, 12),
            msk(2024, 3, 15, 16),
            msk(2024, 3, 15, 17),
            msk(2024, 3, 18, 13),
        ),
        # Over the New Year block only 27.12 17-18 and the working Saturday 28.12 count: 10 h.
        (
            CAL,
            msk(2025, 1, 10, 12),
            msk(2024, 12, 27, 17),
            msk(2025, 1, 9, 9),
            msk(2025, 1, 13, 13),
        ),
        # Paused after the deadline: a breach stays a breach.
        (CAL, msk(2024, 3, 18, 12), msk(2024, 3, 18, 14), msk(2024, 3, 19, 10), None),
        # No working time was left (a customer period ends at 24:00): the due holds...
        (CAL, msk(2024, 3, 19), msk(2024, 3, 18, 19), msk(2024, 3, 18, 20), None),
        # ...or, if the clock restarts after it, the deadline is the restart.
        (CAL, msk(2024, 3, 19), msk(2024, 3, 18, 19), msk(2024, 3, 19, 10), msk(2024, 3, 19, 10)),
        # 24x7: an hour's pause is an hour more.
        (
            ALWAYS,
            msk(2024, 3, 16, 12),
            msk(2024, 3, 16, 10),
            msk(2024, 3, 16, 11),
            msk(2024, 3, 16, 13),
        ),
        # Input in UTC, result in the calendar's zone.
        (
            CAL,
            datetime(2024, 3, 18, 9, tzinfo=UTC),
            datetime(2024, 3, 15, 13, tzinfo=UTC),
            datetime(2024, 3, 15, 14, tzinfo=UTC),
            msk(2024, 3, 18, 13),
        ),
    ],
)
def test_it_resumes_the_clock_with_the_working_time_left(cal, due, paused_at, resumed_at, expected):
    result = resume_deadline(cal, due=due, paused_at=paused_at, resumed_at=resumed_at)
    assert result == (due if expected is None else expected)
    assert result.utcoffset() is not None


def test_it_replays_several_pauses_like_incremental_resumes():
    base_due = CAL.add_business_days(msk(2024, 3, 11, 10), 3, end=PeriodEnd.END_OF_WORKING_HOURS)
    assert base_due == msk(2024, 3, 14, 18)
    pauses = [
        Pause(msk(2024, 3, 11, 15), msk(2024, 3, 12, 10)),  # 3 h + 1 h of working time
        Pause(msk(2024, 3, 13, 17), msk(2024, 3, 13, 20)),  # 1 h
        Pause(msk(2024, 3, 21, 9), msk(2024, 3, 21, 12)),  # after the due: changes nothing
    ]
    step = base_due
    for pause in pauses:
        step = resume_deadline(CAL, due=step, paused_at=pause.start, resumed_at=pause.end)
    assert replay_deadline(CAL, base_due=base_due, pauses=pauses) == step == msk(2024, 3, 15, 14)
    assert replay_deadline(CAL, base_due=base_due, pauses=[]) == base_due


def test_it_stops_the_clock_while_a_pause_is_open():
    base_due = msk(2024, 3, 14, 18)
    closed = Pause(msk(2024, 3, 11, 15), msk(2024, 3, 12, 10))
    assert (
        replay_deadline(CAL, base_due=base_due, pauses=[closed, Pause(msk(2024, 3, 13, 9))]) is None
    )
    # A ticket put on hold after its deadline stays breached.
    assert replay_deadline(CAL, base_due=base_due, pauses=[Pause(msk(2024, 3, 15, 9))]) == base_due


@pytest.mark.parametrize(
    "call",
    [
        lambda: replay_deadline(
            CAL,
            base_due=msk(2024, 3, 14, 18),
            pauses=[
                Pause(msk(2024, 3, 12), msk(2024, 3, 13)),
                Pause(msk(2024, 3, 11), msk(2024, 3, 12)),
            ],
        ),
        lambda: replay_deadline(
            CAL,
            base_due=msk(2024, 3, 14, 18),
            pauses=[Pause(msk(2024, 3, 11)), Pause(msk(2024, 3, 12))],
        ),
        lambda: resume_deadline(
            CAL, due=msk(2024, 3, 14), paused_at=msk(2024, 3, 12), resumed_at=msk(2024, 3, 11)
        ),
        lambda: Pause(msk(2024, 3, 12), msk(2024, 3, 11)),
        lambda: Pause(datetime(2024, 3, 12)),  # noqa: DTZ001 - naive on purpose
        lambda: remaining_at(CAL, due=msk(2024, 3, 12), at=datetime(2024, 3, 12)),  # noqa: DTZ001
    ],
)
def test_it_rejects_inconsistent_or_naive_input(call):
    with pytest.raises(ValueError, match="aware|order|open|before"):
        call()


def test_it_tells_the_working_time_left_and_overdue():
    due = msk(2024, 3, 18, 12)
    assert remaining_at(CAL, due=due, at=msk(2024, 3, 15, 17)) == 4 * H
    assert remaining_at(CAL, due=due, at=msk(2024, 3, 18, 14)) == -2 * H
    assert remaining_at(CAL, due=due, at=due) == timedelta(0)


def test_it_tells_the_share_of_working_time_used():
    start, due = msk(2024, 3, 18, 9), msk(2024, 3, 18, 18)
    assert elapsed_fraction(
        CAL, start=start, due=due, at=msk(2024, 3, 18, 16, 12)
    ) == pytest.approx(0.8)
    assert elapsed_fraction(CAL, start=start, due=due, at=msk(2024, 3, 17, 12)) == 0.0
    assert elapsed_fraction(CAL, start=start, due=due, at=msk(2024, 3, 19, 10)) == pytest.approx(
        10 / 9
    )
    weekend = msk(2024, 3, 16, 10), msk(2024, 3, 17, 10)
    assert elapsed_fraction(CAL, start=weekend[0], due=weekend[1], at=msk(2024, 3, 16, 12)) == 0.0
    assert elapsed_fraction(CAL, start=weekend[0], due=weekend[1], at=msk(2024, 3, 18, 12)) == 1.0


@settings(deadline=None)
@given(
    cal=st.sampled_from([CAL, ALWAYS]),
    start_minutes=st.integers(0, 60 * 24 * 60),
    budget_minutes=st.integers(1, 5 * 9 * 60),
    gaps=st.lists(st.tuples(st.integers(0, 3 * 1440), st.integers(0, 3 * 1440)), max_size=5),
)
def test_it_gives_back_exactly_the_working_time_spent_paused(
    cal, start_minutes, budget_minutes, gaps
):
    registered = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=start_minutes)
    budget = timedelta(minutes=budget_minutes)
    due = base_due = cal.add_working_time(registered, budget)
    pauses, paused, cursor = [], timedelta(0), registered
    for before, length in gaps:
        pause = Pause(
            cursor + timedelta(minutes=before), cursor + timedelta(minutes=before + length)
        )
        if pause.start.astimezone(UTC) < due.astimezone(UTC):
            paused += cal.working_time_between(pause.start, pause.end)
        due = resume_deadline(cal, due=due, paused_at=pause.start, resumed_at=pause.end)
        pauses.append(pause)
        cursor = pause.end
    assert replay_deadline(cal, base_due=base_due, pauses=pauses) == due
    assert due.astimezone(UTC) >= base_due.astimezone(UTC)
    # The clock ran for exactly the budget: everything else was paused.
    assert cal.working_time_between(registered, due) - paused == budget
