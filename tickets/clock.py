"""A ticket's SLA clock as pure steps, and a timeline of events folded through them.

One home for the clock's rules (docs/architecture.md, "Deadlines"): `tickets.deadlines`
copies a ticket's clock fields into a `ClockFields`, runs `clock_after_transition` and copies
the result back; the SLA calculator (`manage.py sla_explain --timeline`, the engineers'
calculator page) folds a list of events through the very same functions with
`fold_timeline`. Nothing here reads the database or the clock: the calendars and the
deadlines under a priority's target (sla.services) are passed in.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, Protocol

from django.utils.translation import gettext as _

from sla.calendar import BusinessCalendar, PeriodEnd
from sla.clock import Pause, resume_deadline
from sla.services import Deadlines
from tickets.models import WAITING_ON_CUSTOMER_STATES, State

REGISTERED = State.REGISTERED
IN_PROGRESS = State.IN_PROGRESS
AWAITING_CUSTOMER = State.AWAITING_CUSTOMER
RESOLVED = State.RESOLVED
DISPUTED = State.DISPUTED
CLOSED = State.CLOSED

# The resolution clock stops while the customer has the move (2.4): an info request is
# pending, or a resolution waits for confirmation.
PAUSED_STATES = frozenset(WAITING_ON_CUSTOMER_STATES)
CONFIRMATION_BUSINESS_DAYS = 1  # regulation 2.4
SILENCE_BUSINESS_DAYS = 10  # regulation 2.4: "более 10 рабочих дней"


class Calendars(Protocol):
    """The calendars a step may need, asked for only when it needs them."""

    def resolution(self) -> BusinessCalendar | None:
        """The resolution target's calendar (None: no target configured)."""

    def customer(self) -> BusinessCalendar:
        """The calendar of the customer's periods (confirmation, silence)."""


@dataclasses.dataclass(frozen=True)
class ClockFields:
    """The fields of a ticket the SLA clock reads and writes (same names as on the ticket)."""

    state: str
    registered_at: datetime.datetime
    reacted_at: datetime.datetime | None = None
    resolved_at: datetime.datetime | None = None
    waiting_since: datetime.datetime | None = None
    last_customer_activity_at: datetime.datetime | None = None
    reaction_due: datetime.datetime | None = None
    reaction_warn_at: datetime.datetime | None = None
    resolution_due: datetime.datetime | None = None
    resolution_warn_at: datetime.datetime | None = None
    resolution_paused_at: datetime.datetime | None = None
    reaction_met: bool | None = None
    resolution_met: bool | None = None
    confirmation_due: datetime.datetime | None = None
    auto_close_at: datetime.datetime | None = None
    queue_due: datetime.datetime | None = None


CLOCK_FIELDS = tuple(field.name for field in dataclasses.fields(ClockFields))


def met(done: datetime.datetime | None, due: datetime.datetime | None) -> bool | None:
    """Whether something done at `done` met `due` (None while either is unknown)."""
    if done is None or due is None:
        return None
    return done <= due


def confirmation_due_in(
    calendar: BusinessCalendar, resolved_at: datetime.datetime
) -> datetime.datetime:
    """End (24:00) of the 1st business day after the resolution notice (2.4; art. 194 §1)."""
    return calendar.add_business_days(
        resolved_at, CONFIRMATION_BUSINESS_DAYS, end=PeriodEnd.END_OF_DAY
    )


def silence_cutoff_in(
    calendars: Calendars,
    waiting_since: datetime.datetime | None,
    last_activity: datetime.datetime | None,
) -> datetime.datetime | None:
    """When a ticket waiting on the customer has been silent for more than 10 business days.

    Counted from the later of the moment it began waiting and the customer's last activity:
    the 10 business days after that day run out at 24:00 of the 10th, and "more than" that is
    reached when the 11th business day begins, at its 00:00 in the calendar's zone (never on a
    day off). See docs/regulation.md, clause 2.4.
    """
    anchors = [moment for moment in (waiting_since, last_activity) if moment is not None]
    if not anchors:
        return None
    return silence_ends(calendars.customer(), max(anchors))


def silence_ends(calendar: BusinessCalendar, anchor: datetime.datetime) -> datetime.datetime:
    """00:00 of the 11th business day after `anchor`'s date: "more than 10 business days"."""
    return calendar.start_after_business_days(anchor, SILENCE_BUSINESS_DAYS)


def auto_close_at_of(clock: ClockFields, calendars: Calendars) -> datetime.datetime | None:
    """When the ticket would close for silence (None unless it waits on the customer)."""
    if clock.state in WAITING_ON_CUSTOMER_STATES:
        return silence_cutoff_in(calendars, clock.waiting_since, clock.last_customer_activity_at)
    return None


def queue_due_of(
    clock: ClockFields, *, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """The nearest deadline the vendor still has to meet: the queue sorts on it.

    Registered: the reaction (or resolution, if sooner); in progress: the resolution; a
    disputed ticket goes back to the top (the moment of the dispute, if that is sooner);
    while the customer has the move, or once closed: None (the end of the queue).
    """
    if clock.state == REGISTERED:
        dues = [due for due in (clock.reaction_due, clock.resolution_due) if due]
        return min(dues) if dues else None
    if clock.state == IN_PROGRESS:
        return clock.resolution_due
    if clock.state == DISPUTED:
        dues = [due for due in (clock.resolution_due, now or clock.queue_due) if due]
        return min(dues) if dues else None
    return None


def with_deadlines(clock: ClockFields, deadlines: Deadlines) -> ClockFields:
    """The clock with deadlines set from scratch (registration, an agreed priority change).

    The reaction's verdict is recomputed; the resolution's only once there is one to give
    (resolved, or given before).
    """
    resolution_met = clock.resolution_met
    if clock.state == RESOLVED or resolution_met is not None:
        resolution_met = met(clock.resolved_at, deadlines.resolution_due)
    clock = dataclasses.replace(
        clock,
        reaction_due=deadlines.reaction_due,
        resolution_due=deadlines.resolution_due,
        reaction_warn_at=deadlines.reaction_warn_at,
        resolution_warn_at=deadlines.resolution_warn_at,
        reaction_met=met(clock.reacted_at, deadlines.reaction_due),
        resolution_met=resolution_met,
    )
    return dataclasses.replace(clock, queue_due=queue_due_of(clock))


def with_customer_activity(
    clock: ClockFields, *, now: datetime.datetime, calendars: Calendars
) -> ClockFields:
    """The customer acted on the portal: the silence before auto-close starts again."""
    clock = dataclasses.replace(clock, last_customer_activity_at=now)
    return dataclasses.replace(clock, auto_close_at=auto_close_at_of(clock, calendars))


def clock_after_transition(
    clock: ClockFields, *, previous_state: str, now: datetime.datetime, calendars: Calendars
) -> ClockFields:
    """The clock after a transition from `previous_state` to `clock.state` at `now`.

    Entering a paused state stops the resolution clock; leaving it for work resumes it with
    the working time that was left. Reaching `resolved` records whether the resolution target
    was met and opens the confirmation window; a dispute reopens that verdict.
    """
    state = clock.state
    changes: dict[str, Any] = {}
    if state in PAUSED_STATES and previous_state not in PAUSED_STATES:
        changes["resolution_paused_at"] = now
    elif previous_state in PAUSED_STATES and state not in PAUSED_STATES:
        paused_at = clock.resolution_paused_at
        if state != CLOSED and clock.resolution_due and paused_at:
            calendar = calendars.resolution()
            if calendar is not None:
                pause = {"paused_at": paused_at, "resumed_at": now}
                changes["resolution_due"] = resume_deadline(
                    calendar, due=clock.resolution_due, **pause
                )
                if clock.resolution_warn_at is not None:
                    changes["resolution_warn_at"] = resume_deadline(
                        calendar, due=clock.resolution_warn_at, **pause
                    )
        changes["resolution_paused_at"] = None
    clock = dataclasses.replace(clock, **changes)
    changes = {}
    if clock.reaction_met is None:
        changes["reaction_met"] = met(clock.reacted_at, clock.reaction_due)
    if state == RESOLVED:
        changes["resolution_met"] = met(clock.resolved_at, clock.resolution_due)
        changes["confirmation_due"] = confirmation_due_in(
            calendars.customer(), clock.resolved_at or now
        )
    elif previous_state == RESOLVED:
        changes["confirmation_due"] = None
        if state == DISPUTED:  # the result was refused: whether it was in time is open again
            changes["resolution_met"] = None
    clock = dataclasses.replace(clock, **changes)
    clock = dataclasses.replace(clock, auto_close_at=auto_close_at_of(clock, calendars))
    return dataclasses.replace(clock, queue_due=queue_due_of(clock, now=now))


def pauses_of(events: Iterable[tuple[str, str, datetime.datetime]]) -> list[Pause]:
    """Resolution-clock pauses from (from_state, to_state, when) transitions in time order."""
    pauses: list[Pause] = []
    started: datetime.datetime | None = None
    for from_state, to_state, when in events:
        if to_state in PAUSED_STATES and started is None:
            started = when
        elif from_state in PAUSED_STATES and to_state not in PAUSED_STATES and started:
            pauses.append(Pause(start=started, end=when))
            started = None
    if started is not None:
        pauses.append(Pause(start=started, end=None))
    return pauses


# --- a timeline of events -----------------------------------------------------------------

REGISTER = "registered"  # the event (its state has the same code)
PRIORITY_CHANGE = "priority_change"
CUSTOMER_ACTIVITY = "customer_activity"

# The transitions of tickets.models.Ticket the clock cares about: event -> (sources, target).
MOVES: dict[str, tuple[frozenset[str], str]] = {
    "take": (frozenset({REGISTERED, DISPUTED}), IN_PROGRESS),
    "request_info": (frozenset({IN_PROGRESS}), AWAITING_CUSTOMER),
    "provide_info": (frozenset({AWAITING_CUSTOMER}), IN_PROGRESS),
    "resolve": (frozenset({IN_PROGRESS}), RESOLVED),
    "dispute": (frozenset({RESOLVED}), DISPUTED),
}
EVENT_KINDS = (REGISTER, *MOVES, PRIORITY_CHANGE, CUSTOMER_ACTIVITY)


@dataclasses.dataclass(frozen=True)
class TimelineEvent:
    kind: str
    at: datetime.datetime
    priority: str = ""  # the new priority, for priority_change


class TimelineError(ValueError):
    """An event the engine cannot apply; `index` is its place in the list (0 = the first)."""

    def __init__(self, reason: str, *, index: int, kind: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.index = index
        self.kind = kind

    def __str__(self) -> str:
        return _("Event %(number)d (%(kind)s): %(reason)s") % {
            "number": self.index + 1,
            "kind": self.kind or "?",
            "reason": self.reason,
        }


@dataclasses.dataclass(frozen=True)
class TimelineResult:
    clock: ClockFields
    priority: str  # after the last agreed change
    pauses: tuple[Pause, ...]  # of the resolution clock; the last one may still run (end None)
    provisional: bool


def _moved(clock: ClockFields, kind: str, at: datetime.datetime) -> ClockFields:
    """The ticket's own fields after transition `kind`, as tickets.models.Ticket sets them."""
    target = MOVES[kind][1]
    if kind == "take":
        return dataclasses.replace(clock, state=target, reacted_at=clock.reacted_at or at)
    if kind == "request_info":
        return dataclasses.replace(clock, state=target, waiting_since=at)
    if kind == "resolve":
        return dataclasses.replace(clock, state=target, resolved_at=at, waiting_since=at)
    # provide_info, dispute: the customer's move is activity on the portal
    return dataclasses.replace(
        clock, state=target, waiting_since=None, last_customer_activity_at=at
    )


def _check_time(event: TimelineEvent, index: int) -> None:
    if not isinstance(event.at, datetime.datetime) or event.at.utcoffset() is None:
        raise TimelineError(_("its instant needs a UTC offset."), index=index, kind=event.kind)


def fold_timeline(
    events: Sequence[TimelineEvent],
    *,
    priority: str,
    priorities: Collection[str],
    deadlines: Callable[[str, datetime.datetime, Sequence[Pause]], Deadlines],
    calendars: Callable[[str], Calendars],
) -> TimelineResult:
    """Fold `events` through the clock's steps, as the ticket services would apply them.

    The first event is `registered` (with the priority `priority`); each transition must be
    allowed in the state the previous ones left (take: registered, disputed → in_progress;
    request_info: in_progress → awaiting_customer; provide_info: awaiting_customer →
    in_progress; resolve: in_progress → resolved; dispute: resolved → disputed);
    `customer_activity` restarts the silence without a state change; `priority_change` sets
    the deadlines anew under the new priority from registration, replaying finished pauses.
    `deadlines(priority, registered_at, finished_pauses)` and `calendars(priority)` give the
    target's arithmetic. Events must be in time order, and none may come once the ticket would
    have closed for silence. Raises TimelineError naming the first event that breaks a rule.
    """
    _check_events(events)
    fold = _Fold(
        registered_at=events[0].at,
        priority=priority,
        priorities=priorities,
        deadlines=deadlines,
        calendars=calendars,
    )
    for index, event in enumerate(events[1:], start=1):
        fold.apply(event, index)
    return fold.result()


def _check_events(events: Sequence[TimelineEvent]) -> None:
    """Every event known and dated with an offset, and the first one `registered`."""
    if not events:
        raise TimelineError(_("the timeline is empty; start it with “registered”."), index=0)
    for index, event in enumerate(events):
        if event.kind not in EVENT_KINDS:
            raise TimelineError(
                _("unknown event; known: %(kinds)s.") % {"kinds": ", ".join(EVENT_KINDS)},
                index=index,
                kind=event.kind,
            )
        _check_time(event, index)
    if events[0].kind != REGISTER:
        raise TimelineError(
            _("the first event must be “registered”."), index=0, kind=events[0].kind
        )


class _Fold:
    """The clock of one timeline while its events are applied one by one."""

    def __init__(
        self,
        *,
        registered_at: datetime.datetime,
        priority: str,
        priorities: Collection[str],
        deadlines: Callable[[str, datetime.datetime, Sequence[Pause]], Deadlines],
        calendars: Callable[[str], Calendars],
    ) -> None:
        self.priority, self.priorities = priority, priorities
        self.deadlines, self.calendars = deadlines, calendars
        self.registered_at = self.previous_at = registered_at
        clock = ClockFields(
            state=REGISTERED, registered_at=registered_at, last_customer_activity_at=registered_at
        )
        current = deadlines(priority, registered_at, [])
        self.clock = with_deadlines(clock, current)
        self.provisional = current.provisional
        self.transitions: list[tuple[str, str, datetime.datetime]] = [
            ("", REGISTERED, registered_at)
        ]

    def apply(self, event: TimelineEvent, index: int) -> None:
        self._check_moment(event, index)
        self.previous_at = event.at
        if event.kind == REGISTER:
            raise self._fail(
                event, index, _("a ticket is registered only once, by the first event.")
            )
        if event.kind == CUSTOMER_ACTIVITY:
            calendars = self.calendars(self.priority)
            self.clock = with_customer_activity(self.clock, now=event.at, calendars=calendars)
        elif event.kind == PRIORITY_CHANGE:
            self._change_priority(event, index)
        else:
            self._move(event, index)

    def result(self) -> TimelineResult:
        return TimelineResult(
            clock=self.clock,
            priority=self.priority,
            pauses=tuple(pauses_of(self.transitions)),
            provisional=self.provisional,
        )

    @staticmethod
    def _fail(event: TimelineEvent, index: int, reason: str) -> TimelineError:
        return TimelineError(reason, index=index, kind=event.kind)

    def _check_moment(self, event: TimelineEvent, index: int) -> None:
        if event.at < self.previous_at:
            raise self._fail(
                event,
                index,
                _("it is earlier than the event before it (%(before)s); list events in time order.")
                % {"before": self.previous_at.isoformat()},
            )
        closes = self.clock.auto_close_at
        if closes is not None and event.at >= closes:
            raise self._fail(
                event,
                index,
                _("the ticket would already have been closed for silence at %(at)s.")
                % {"at": closes.isoformat()},
            )

    def _change_priority(self, event: TimelineEvent, index: int) -> None:
        if event.priority not in self.priorities:
            known = ", ".join(self.priorities)
            raise self._fail(
                event, index, _("say the new priority, one of: %(known)s.") % {"known": known}
            )
        if event.priority == self.priority:
            raise self._fail(event, index, _("the ticket already has this priority."))
        self.priority = event.priority
        finished = [pause for pause in pauses_of(self.transitions) if pause.end]
        current = self.deadlines(self.priority, self.registered_at, finished)
        self.clock = with_deadlines(self.clock, current)
        self.provisional = current.provisional

    def _move(self, event: TimelineEvent, index: int) -> None:
        sources, _target = MOVES[event.kind]
        if self.clock.state not in sources:
            raise self._fail(
                event,
                index,
                _("not allowed while the ticket is “%(state)s” (allowed from: %(sources)s).")
                % {
                    "state": State(self.clock.state).label,
                    "sources": ", ".join(str(State(s).label) for s in sorted(sources)),
                },
            )
        previous_state = self.clock.state
        clock = _moved(self.clock, event.kind, event.at)
        self.clock = clock_after_transition(
            clock,
            previous_state=previous_state,
            now=event.at,
            calendars=self.calendars(self.priority),
        )
        self.transitions.append((previous_state, self.clock.state, event.at))
