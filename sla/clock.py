"""Pause-aware SLA deadlines (pure functions on aware datetimes; no Django, no clock).

The resolution clock stops while a ticket waits on the customer (awaiting_customer, resolved)
and resumes with the working time that was left (docs/architecture.md). A deadline is therefore the
base due (from registration) pushed forward by the working time each pause took out of the
running clock. Pausing at or after the due does not undo the breach: a breached deadline stays
where it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sla.calendar import BusinessCalendar

__all__ = ["Pause", "elapsed_fraction", "remaining_at", "replay_deadline", "resume_deadline"]


def _utc(value: datetime, name: str) -> datetime:
    """`value` in UTC; ValueError if it is naive. Comparisons go through UTC because Python
    compares two datetimes of one zone by wall clock, which misorders a DST overlap."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Pause:
    """A stop of the SLA clock from `start` to `end` (None: still stopped)."""

    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        start = _utc(self.start, "Pause.start")
        if self.end is not None and _utc(self.end, "Pause.end") < start:
            raise ValueError("a pause cannot end before it starts")


def resume_deadline(
    cal: BusinessCalendar, *, due: datetime, paused_at: datetime, resumed_at: datetime
) -> datetime:
    """The deadline after a pause from `paused_at` to `resumed_at`.

    The working time left at the pause, `working_time_between(paused_at, due)`, is counted
    again from `resumed_at`. A pause at or after `due` leaves `due` unchanged (a breached
    deadline stays breached). When no working time was left (paused in the non-working stretch
    just before `due`), the deadline is the later of `due` and `resumed_at`: the pause cost
    nothing, and the clock cannot run out before it restarts.
    """
    due_utc, paused_utc = _utc(due, "due"), _utc(paused_at, "paused_at")
    resumed_utc = _utc(resumed_at, "resumed_at")
    if resumed_utc < paused_utc:
        raise ValueError("resumed_at is before paused_at")
    if paused_utc >= due_utc:
        return due
    remaining = cal.working_time_between(paused_at, due)
    if not remaining:
        return max(due_utc, resumed_utc).astimezone(cal.tz)
    return cal.add_working_time(resumed_at, remaining)


def replay_deadline(
    cal: BusinessCalendar, *, base_due: datetime, pauses: Sequence[Pause]
) -> datetime | None:
    """The deadline given the due computed at registration and the pauses, in time order.

    Each closed pause that started before the current due moves it with `resume_deadline`;
    later pauses change nothing (the deadline was already breached). Returns None while the
    clock is stopped: the last pause is open and started before the current due. Pauses must be
    in order and must not overlap; only the last one may be open.
    """
    _utc(base_due, "base_due")
    due = base_due
    previous_end: datetime | None = None
    for index, pause in enumerate(pauses):
        start = _utc(pause.start, "Pause.start")
        if previous_end is not None and start < previous_end:
            raise ValueError("pauses must be in time order and must not overlap")
        if pause.end is None:
            if index != len(pauses) - 1:
                raise ValueError("only the last pause may be open")
            return None if start < due.astimezone(UTC) else due
        due = resume_deadline(cal, due=due, paused_at=pause.start, resumed_at=pause.end)
        previous_end = _utc(pause.end, "Pause.end")
    return due


def remaining_at(cal: BusinessCalendar, *, due: datetime, at: datetime) -> timedelta:
    """Working time left at `at` until `due`; negative (the working time overdue) after it."""
    if _utc(at, "at") <= _utc(due, "due"):
        return cal.working_time_between(at, due)
    return -cal.working_time_between(due, at)


def elapsed_fraction(
    cal: BusinessCalendar, *, start: datetime, due: datetime, at: datetime
) -> float:
    """Share of the working time from `start` to `due` that has passed at `at` (for the 80 %
    warning): 0.0 at or before `start`, 1.0 at `due`, above 1.0 when overdue. When there is no
    working time between `start` and `due` it is 0.0 before `due` and 1.0 from `due` on."""
    total = cal.working_time_between(start, due)
    at_utc, due_utc = _utc(at, "at"), _utc(due, "due")
    if not total:
        return 1.0 if at_utc >= due_utc else 0.0
    if at_utc <= due_utc:
        return cal.working_time_between(start, at) / total
    return (total + cal.working_time_between(due, at)) / total
