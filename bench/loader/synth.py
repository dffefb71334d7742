"""Timelines and COPY rows of synthetic tickets for the benchmark loader (bench/loader/load.py).

Instants are whole seconds since the epoch (UTC) until a row is written: a million rows of int
arithmetic is fast, datetimes are not. Every timeline follows the lifecycle (docs/regulation.md) and
leaves the marks the periodic jobs would have left by `now`: whatever is due at `now` has been
warned, marked or flagged already, except the silent tickets that are meant to be auto-closed.
Customer periods (confirmation window, silence) are tickets.clock's own rules on the real
default calendar; vendor
targets use nominal spans (business days as 1.4 calendar days), which is enough for a queue.
"""

import bisect
import dataclasses
import datetime
import random
from collections.abc import Callable, Iterator
from operator import itemgetter

from bench.loader.text import TicketText
from sla.calendar import BusinessCalendar
from tickets.clock import SILENCE_BUSINESS_DAYS, confirmation_due_in, silence_ends
from tickets.models import CLOCK_RUNNING_STATES, CloseReason, State
from tickets.numbering import format_number

MINUTE, HOUR, DAY = 60, 3_600, 86_400
CLOSED, VENDOR, WAITING = 0, 1, 2  # kinds of ticket in the plan
RUNNING = CLOCK_RUNNING_STATES  # the resolution clock runs
NULL = "\\N"
VERSIONS = ["4.1.0", "4.1.2", "4.2.0", "4.2.3", "4.3.0", "4.3.1", "5.0.0", "5.0.2", "5.1.0"]
PRIORITIES = (("critical", 5), ("high", 20), ("medium", 45), ("low", 30))

# The COPY column order: these fields of Ticket, by name (a FK by its attname).
COLUMNS = [
    "number",
    "organization_id",
    "customer_id",
    "registered_by_id",
    "channel",
    "license_id",
    "tier_id",
    "priority_id",
    "product_version",
    "subject",
    "description",
    "diagnostics",
    "contact_email",
    "state",
    "close_reason",
    "assignee_id",
    "handling_method",
    "deadlines_provisional",
]
TIMES = [
    "registered_at",
    "updated_at",
    "reacted_at",
    "resolved_at",
    "closed_at",
    "waiting_since",
    "last_customer_activity_at",
    "reaction_due",
    "resolution_due",
    "reaction_met",
    "resolution_met",
    "resolution_paused_at",
    "confirmation_due",
    "auto_close_at",
    "reaction_warn_at",
    "resolution_warn_at",
    "unconfirmed_flagged_at",
    "reaction_warned_at",
    "resolution_warned_at",
    "reaction_breached_at",
    "resolution_breached_at",
    "queue_due",
]


@dataclasses.dataclass(frozen=True)
class Org:
    id: int
    license_id: int
    tier: str
    extended: bool
    customers: tuple[tuple[int, str, str], ...]  # (user id, e-mail, language)


Instant = datetime.datetime


class CustomerPeriods:
    """The customer's periods exactly as the portal counts them (tickets.clock's rules): the
    confirmation window and the silence before auto-close. Only an instant's local date
    matters, so each answer is cached per date."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar, self.tz = calendar, calendar.tz
        self._cache: dict[tuple[datetime.date, str], int] = {}

    def _cached(
        self, sec: int, rule: str, compute: Callable[[datetime.datetime], datetime.datetime]
    ) -> int:
        key = (datetime.datetime.fromtimestamp(sec, self.tz).date(), rule)
        hit = self._cache.get(key)
        if hit is None:
            event = datetime.datetime.fromtimestamp(sec, datetime.UTC)
            hit = self._cache[key] = int(compute(event).timestamp())
        return hit

    def confirmation_due(self, sec: int) -> int:
        return self._cached(sec, "confirm", lambda at: confirmation_due_in(self.calendar, at))

    def auto_close_at(self, sec: int) -> int:
        return self._cached(sec, "silence", lambda at: silence_ends(self.calendar, at))


_EPOCH = datetime.date(1970, 1, 1)
_DATES: dict[int, str] = {}


def ts(sec: int | None) -> str:
    """COPY text of an instant (UTC), or NULL."""
    if sec is None:
        return NULL
    day, rest = divmod(sec, DAY)
    date = _DATES.get(day)
    if date is None:
        date = _DATES[day] = (_EPOCH + datetime.timedelta(days=day)).isoformat()
    return f"{date} {rest // HOUR:02d}:{rest // MINUTE % 60:02d}:{rest % MINUTE:02d}+00"


class Synth:
    """Plans the tickets (registration times, kinds, owners), then writes them as COPY rows
    in registration order, so ids and numbers grow with time as the portal's own do."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: int,
        orgs: list[Org],
        engineers: list[int],
        spans: dict[tuple[str, str], tuple[int, int]],
        cutoffs: CustomerPeriods,
        fields: set[str],
    ) -> None:
        self.rng, self.rnd, self.now = rng, rng.random, now
        self.orgs, self.engineers, self.spans, self.cutoffs = orgs, engineers, spans, cutoffs
        weights = [1 / (rank + 5) ** 0.7 for rank in range(len(orgs))]  # a few big accounts
        rng.shuffle(weights)
        self._org_cum = [sum(weights[: i + 1]) for i in range(len(weights))]
        self._prio_cum = [sum(w for _, w in PRIORITIES[: i + 1]) for i in range(len(PRIORITIES))]
        self.text = TicketText(rng)
        self.first = now - 730 * DAY
        self.counts: dict[str, int] = {}
        self.times = [name for name in TIMES if name in fields]  # what this schema has

    # --- the plan ---------------------------------------------------------------------------

    def _org(self) -> int:
        index = bisect.bisect(self._org_cum, self.rnd() * self._org_cum[-1])
        return min(index, len(self.orgs) - 1)

    def _priority(self) -> str:
        index = bisect.bisect(self._prio_cum, self.rnd() * self._prio_cum[-1])
        return PRIORITIES[min(index, len(PRIORITIES) - 1)][0]

    def plan(self, *, tickets: int, vendor_open: int, waiting: int, past_cutoff: int) -> list:
        now, rnd, items = self.now, self.rnd, []
        for _ in range(tickets - vendor_open - waiting):  # more tickets lately: the base grows
            age = 2 * HOUR + int(728 * DAY * rnd() ** 1.3)
            items.append((now - age, CLOSED, self._org(), self._priority(), None))
        for _ in range(vendor_open):
            org, priority = self._org(), self._priority()
            resolution = self.spans[self.orgs[org].tier, priority][1]
            due = now + int((12 * rnd() - 2) * DAY)  # breached, at risk and on time
            registered = min(due - resolution, now - 5 * MINUTE - int(6 * HOUR * rnd()))
            r = rnd()
            state = (
                State.REGISTERED if r < 0.3 else State.IN_PROGRESS if r < 0.9 else State.DISPUTED
            )
            items.append((registered, VENDOR, org, priority, (state, due)))
        past = self._anchor_ranges(now - 3 * DAY, now - MINUTE, "in the 3 days before --now")
        future = self._anchor_ranges(now + HOUR, now + 14 * DAY, "in the 14 days after --now")
        for i in range(waiting):
            items.append(self._plan_waiting(past if i < past_cutoff else future))
        items.sort(key=itemgetter(0))
        return items

    def _anchor_ranges(self, lo: int, hi: int, what: str) -> list[tuple[int, int]]:
        """Spans of the local days from which a silence of 10 business days ends in [lo, hi]."""
        tz, one = self.cutoffs.tz, datetime.timedelta(days=1)
        day = datetime.datetime.fromtimestamp(self.now - 60 * DAY, tz).date()
        last = datetime.datetime.fromtimestamp(self.now, tz).date()
        ranges = []
        while day <= last:
            start = int(datetime.datetime.combine(day, datetime.time(), tz).timestamp())
            end = int(datetime.datetime.combine(day + one, datetime.time(), tz).timestamp()) - 1
            end = min(end, self.now - MINUTE)
            if start <= end and lo <= self.cutoffs.auto_close_at(start) <= hi:
                ranges.append((start, end))
            day += one
        if not ranges:
            raise ValueError(
                f"no silence of {SILENCE_BUSINESS_DAYS} business days ends {what} (holidays)"
            )
        return ranges

    def _plan_waiting(self, ranges: list[tuple[int, int]]) -> tuple:
        rnd = self.rnd
        lo, hi = ranges[int(rnd() * len(ranges))]
        anchor = lo + int(rnd() * (hi - lo + 1))  # silence counts from here
        if rnd() < 0.75:  # the info request or resolution notice came last
            since, last = anchor, anchor - HOUR - int(4 * DAY * rnd())
        else:  # the customer wrote after it, without answering
            since, last = anchor - HOUR - int(3 * DAY * rnd()), anchor
        reacted = min(since, last) - 10 * MINUTE - int(3 * DAY * rnd())
        org, priority = self._org(), self._priority()
        reaction = self.spans[self.orgs[org].tier, priority][0]
        registered = reacted - 5 * MINUTE - int(1.2 * reaction * rnd())
        state = State.RESOLVED if rnd() < 0.6 else State.AWAITING_CUSTOMER
        closes = self.cutoffs.auto_close_at(anchor)
        return (registered, WAITING, org, priority, (state, since, last, reacted, closes))

    # --- the rows ---------------------------------------------------------------------------

    def rows(self, plan: list, *, tail: str = "") -> Iterator[str]:
        """COPY text lines, `tail` (constant columns) appended to each."""
        for seq, (registered, kind, org, priority, extra) in enumerate(plan, 1):
            yield self._row(seq, registered, kind, self.orgs[org], priority, extra) + tail + "\n"

    def _mark(self, at: int | None, stop: int) -> int | None:
        """When a job marked `at` as reached, if it was reached before the clock stopped."""
        if at is None or at > stop:
            return None
        return min(at + int(60 * self.rnd()), self.now)  # the beat runs every minute

    def _row(self, seq: int, registered: int, kind: int, org: Org, priority: str, extra) -> str:
        rnd, now = self.rnd, self.now
        customer, email, lang = org.customers[int(rnd() * len(org.customers))]
        reaction, resolution = self.spans[org.tier, priority]
        hotline = org.extended and rnd() < 0.15
        t = dict.fromkeys(TIMES)
        t["registered_at"] = registered
        t["reaction_due"] = registered + reaction
        t["reaction_warn_at"] = registered + reaction * 4 // 5
        if kind == CLOSED:
            state, reason, worked = self._closed(t, registered, resolution)
        elif kind == VENDOR:
            state, reason, worked = self._vendor(t, registered, resolution, *extra)
        else:
            state, reason, worked = self._waiting(t, registered, resolution, *extra)
        if t["last_customer_activity_at"] is None and not hotline:
            t["last_customer_activity_at"] = registered  # filing on the portal is activity
        t["resolution_warn_at"] = t["resolution_due"] - resolution // 5
        stop = t["reacted_at"] or t["closed_at"] or now
        t["reaction_warned_at"] = self._mark(t["reaction_warn_at"], stop)
        t["reaction_breached_at"] = self._mark(t["reaction_due"], stop)
        if state in RUNNING:
            stop = now
        else:
            stop = t["resolution_paused_at"] or t["resolved_at"] or t["closed_at"]
        t["resolution_warned_at"] = self._mark(t["resolution_warn_at"], stop)
        t["resolution_breached_at"] = self._mark(t["resolution_due"], stop)
        if t["reacted_at"] is not None:
            t["reaction_met"] = t["reacted_at"] <= t["reaction_due"]
        if t["resolved_at"] is not None and state != State.DISPUTED:
            t["resolution_met"] = t["resolved_at"] <= t["resolution_due"]
        self.counts[state] = self.counts.get(state, 0) + 1

        age = (registered - self.first) / (now - self.first)  # customers upgrade late
        version = VERSIONS[max(0, min(len(VERSIONS) - 1, int(age * len(VERSIONS) - 2 * rnd())))]
        subject, description, diagnostics = self.text.make(lang, version)
        engineer = self.engineers[int(rnd() * len(self.engineers))]
        method, r = "", rnd()
        if worked:  # the phone is for Extended support only
            method = "portal" if r < 0.65 else "remote" if r < 0.95 or not org.extended else "phone"
        number = format_number(
            seq, registered_at=datetime.datetime.fromtimestamp(registered, datetime.UTC)
        )
        values = [
            number,
            str(org.id),
            str(customer),
            str(engineer if hotline else customer),
            "hotline" if hotline else "portal",
            str(org.license_id),
            org.tier,
            priority,
            version,
            subject,
            description,
            diagnostics,
            email,
            state,
            reason,
            str(engineer) if worked else NULL,
            method,
            "f",
        ]
        for name in self.times:
            value = t[name]
            if value is None:
                values.append(NULL)
            elif isinstance(value, bool):
                values.append("t" if value else "f")
            else:
                values.append(ts(value))
        return "\t".join(values)

    def _closed(self, t: dict, registered: int, resolution: int) -> tuple[str, str, bool]:
        rnd, now = self.rnd, self.now
        reaction = t["reaction_due"] - registered
        t["resolution_due"] = registered + resolution
        r = rnd()
        reason = (
            CloseReason.CONFIRMED
            if r < 0.85
            else CloseReason.NO_CUSTOMER_RESPONSE
            if r < 0.93
            else CloseReason.WITHDRAWN
        )
        share = 0.05 + 0.75 * rnd() if rnd() < 0.92 else 1 + 1.5 * rnd()
        reacted = registered + int(reaction * share)
        resolved = since = None
        if reason == CloseReason.WITHDRAWN:
            closed = registered + 10 * MINUTE + int(5 * DAY * rnd())
            if reacted >= closed:
                reacted = None
        else:
            share = 0.1 + 0.85 * rnd() if rnd() < 0.88 else 1 + 0.8 * rnd()
            resolved = max(registered + int(resolution * share), reacted + 10 * MINUTE)
            if reason == CloseReason.NO_CUSTOMER_RESPONSE:
                if rnd() < 0.3:  # silent after an info request rather than a resolution
                    since, resolved = reacted + HOUR + int(3 * DAY * rnd()), None
                else:
                    since = resolved
                closed = self.cutoffs.auto_close_at(since) + int(15 * MINUTE * rnd())
                if closed > now - MINUTE:  # its silence has not run out yet: confirmed instead
                    reason, resolved, since = CloseReason.CONFIRMED, resolved or since, None
            if reason == CloseReason.CONFIRMED:
                closed = resolved + 10 * MINUTE + int(2 * DAY * rnd())
        if closed > now - MINUTE:  # a recent ticket: squeeze its life into the time it had
            scale = (now - MINUTE - registered) / (closed - registered)

            def squeeze(sec: int | None) -> int | None:
                return None if sec is None else registered + int((sec - registered) * scale)

            reacted, resolved, closed = squeeze(reacted), squeeze(resolved), now - MINUTE
        t["reacted_at"], t["resolved_at"] = reacted, resolved
        t["closed_at"] = t["updated_at"] = closed
        if since is not None:  # the customer's last word came before the silence
            t["last_customer_activity_at"] = max(registered, since - int(2 * DAY * rnd()))
        else:
            t["last_customer_activity_at"] = closed
        if resolved is not None:
            flag = self._mark(self.cutoffs.confirmation_due(resolved), closed)
            t["unconfirmed_flagged_at"] = flag
        return State.CLOSED, reason, reacted is not None

    def _vendor(
        self, t: dict, registered: int, resolution: int, state: str, due: int
    ) -> tuple[str, str, bool]:
        rnd, now = self.rnd, self.now
        if state == State.REGISTERED:  # never paused: the target alone sets its deadline
            t["resolution_due"] = min(due, registered + resolution)
            t["updated_at"] = registered
            t["queue_due"] = min(t["reaction_due"], t["resolution_due"])  # tickets.clock's rule
            return state, "", False
        t["resolution_due"] = due  # pauses behind it may have moved it on
        reaction = t["reaction_due"] - registered
        reacted = min(registered + int(reaction * (0.05 + 1.2 * rnd())), now - MINUTE)
        t["reacted_at"] = reacted
        if state == State.DISPUTED:
            resolved = reacted + int((now - reacted) * (0.2 + 0.5 * rnd()))
            disputed = resolved + int((now - resolved) * (0.1 + 0.8 * rnd()))
            t["resolved_at"], t["last_customer_activity_at"] = resolved, disputed
            t["unconfirmed_flagged_at"] = self._mark(
                self.cutoffs.confirmation_due(resolved), disputed
            )
            t["updated_at"] = disputed
            t["queue_due"] = min(due, disputed)  # back to the top of the queue
        else:
            t["updated_at"] = reacted + int((now - reacted) * rnd())
            t["queue_due"] = due
        return state, "", True

    def _waiting(
        self,
        t: dict,
        registered: int,
        resolution: int,
        state: str,
        since: int,
        last: int,
        reacted: int,
        closes: int,
    ) -> tuple[str, str, bool]:
        t["resolution_due"] = registered + resolution
        t["reacted_at"], t["waiting_since"], t["last_customer_activity_at"] = reacted, since, last
        t["resolution_paused_at"], t["auto_close_at"] = since, closes
        t["updated_at"] = max(since, last)
        if state == State.RESOLVED:
            t["resolved_at"] = since
            confirm_by = t["confirmation_due"] = self.cutoffs.confirmation_due(since)
            t["unconfirmed_flagged_at"] = self._mark(confirm_by, self.now)
        return state, "", True
