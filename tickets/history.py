"""The audit history in words: what each event's data means to the engineer reading it.

Events keep ids and codes (they must outlive renames); this turns them into names with one
query for all the people and the priorities the whole history mentions.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import reference
from accounts.models import User
from knowledge import selectors as knowledge_selectors
from sla import selectors as sla_selectors
from sla.models import Priority
from tickets.models import HandlingMethod, HotlineCall, State, Ticket, TicketEvent
from tickets.templatetags.portal import when

Kind = TicketEvent.Kind
PRIORITY_KINDS = {Kind.PRIORITY_PROPOSED, Kind.PRIORITY_ACCEPTED, Kind.PRIORITY_DECLINED}
SESSION_KINDS = {Kind.SESSION_PROPOSED, Kind.SESSION_ACCEPTED, Kind.SESSION_DECLINED}
ASSIGN_KINDS = {Kind.ASSIGN, Kind.AUTO_ASSIGN}
DEADLINES = {"reaction": gettext_lazy("reaction"), "resolution": gettext_lazy("resolution")}


# Labels by code, read with a dict lookup: `get_kind_display` builds a hashable copy of every
# choice on each call, which a history of 30 events paid 90 times per page.
_KIND_LABELS = dict(Kind.choices)
STATE_LABELS = dict(State.choices)


@dataclass(frozen=True)
class HistoryEntry:
    event: TicketEvent
    details: str

    @property
    def title(self) -> str:
        return str(_KIND_LABELS.get(self.event.kind, self.event.kind))

    @property
    def states(self) -> str:
        """ "In progress → Resolved", or nothing when the event changed no state."""
        before, after = self.event.from_state, self.event.to_state
        if not before or before == after:
            return ""
        return f"{STATE_LABELS.get(before, before)} → {STATE_LABELS.get(after, after)}"


def names_only_kept_people(events: Iterable[TicketEvent]) -> bool:
    """Whether everyone `events` name in their details is an active engineer, whose name
    each process keeps (reference.engineers): no one describe() would read."""
    named = _named_people(events)
    return not named or named <= {pk for pk, _name in reference.engineers.get()}


def _named_people(events: Iterable[TicketEvent]) -> set[int]:
    return {e.data.get("to") for e in events if e.kind in ASSIGN_KINDS} - {None}


def describe(
    events: Iterable[TicketEvent], *, priorities: dict[str, str] | None = None
) -> list[HistoryEntry]:
    """`priorities` (code -> label), when the caller has them already (the ticket page has
    every priority its agreements name), saves reading them."""
    events = list(events)
    user_ids = _named_people(events)
    # Tickets are handed to engineers: their names are kept per process; only someone no
    # longer an active engineer is read.
    people = {pk: name for pk, name in reference.engineers.get() if pk in user_ids}
    if user_ids - people.keys():
        others = User.objects.filter(pk__in=user_ids - people.keys())
        people |= {u.pk: str(u) for u in others}
    # A handful of rows, read only when the history names a priority.
    if priorities is None and any(e.kind in PRIORITY_KINDS for e in events):
        priorities = {p.pk: p.label for p in Priority.objects.all()}
    return [HistoryEntry(e, _details(e, people, priorities or {})) for e in events]


def _details(event: TicketEvent, people: dict[int, str], priorities: dict[str, str]) -> str:
    data = event.data or {}
    if event.kind == Kind.ASSIGN:
        return _("to %(name)s") % {"name": people.get(data.get("to"), "—")}
    if event.kind == Kind.AUTO_ASSIGN:
        return auto_assignment_details(data, people)
    if event.kind == Kind.HANDLING_METHOD:
        method = data.get("to", "")
        return HandlingMethod(method).label if method in HandlingMethod.values else method
    if event.kind in PRIORITY_KINDS:
        before, after = data.get("from", ""), data.get("to", "")
        return f"{priorities.get(before, before)} → {priorities.get(after, after)}"
    if event.kind in {Kind.SLA_WARNING, Kind.SLA_BREACH}:
        return str(DEADLINES.get(data.get("deadline"), data.get("deadline", "")))
    if event.kind in {Kind.DISPUTE, Kind.WITHDRAW} and data.get("reason"):
        return data["reason"]
    if event.kind == Kind.REGISTERED and data.get("channel") == "hotline":
        return _("after a hotline call")
    if event.kind in SESSION_KINDS and data.get("starts_at"):
        return _session_details(data)
    if event.kind in {Kind.PRIORITY_WITHDRAWN, Kind.SESSION_WITHDRAWN}:
        if data.get("reason") == "ticket_closed":
            return _("the ticket was closed before an answer")
        return _("replaced by a new proposal") if data.get("reason") == "replaced" else ""
    if event.kind == Kind.MERGE:
        return _("into %(number)s") % {"number": data.get("into", "")}
    if event.kind in {Kind.MERGED_FROM, Kind.LINKED, Kind.UNLINKED}:
        return data.get("ticket", "")
    if event.kind == Kind.HOTLINE_CALL:
        outcome = data.get("outcome", "")
        return str(HotlineCall.Outcome(outcome).label) if outcome in HotlineCall.Outcome else ""
    return ""


def _scope(data: dict) -> str:
    """ "Platinum / Database", or the tier alone for a ticket without a product area."""
    tiers = {tier.pk: tier.label for tier in sla_selectors.tiers.get()}
    tier = tiers.get(data.get("tier", ""), data.get("tier", ""))
    # From the areas each process keeps: a query per event was an N+1 in a long history.
    areas = {area.pk: area for area in knowledge_selectors.kept_areas.get()}
    area = areas.get(data["area"]) if data.get("area") else None
    return f"{tier} / {area.label}" if area is not None else tier


def auto_assignment_details(data: dict, people: dict[int, str]) -> str:
    """Why the system gave the ticket to this engineer, or to nobody (issue 18)."""
    scope = _scope(data)
    name = people.get(data.get("to"), "—")
    if data.get("rule") == "least_work":
        text = _(
            "to %(name)s, the least open work: open tickets %(open)s; engineers at work who "
            "handle %(scope)s: %(count)s"
        )
        return text % {
            "name": name,
            "open": data.get("open", 0),
            "count": data.get("candidates", 0),
            "scope": scope,
        }
    if data.get("rule") == "on_duty":
        return _(
            "to %(name)s, the 24×7 on-duty engineer: an urgent ticket outside the working "
            "hours of everyone who handles %(scope)s"
        ) % {"name": name, "scope": scope}
    reasons = {
        "nobody_handles": _("left unassigned: no active engineer handles %(scope)s"),
        "nobody_at_work": _(
            "left unassigned: nobody who handles %(scope)s is within working hours now"
        ),
        "no_on_duty": _(
            "left unassigned: nobody who handles %(scope)s is at work, and no 24×7 on-duty "
            "engineer handles the tier"
        ),
    }
    return reasons.get(data.get("reason", ""), _("left unassigned")) % {"scope": scope}


def _session_details(data: dict) -> str:
    method = data.get("method", "")
    label = HandlingMethod(method).label if method in HandlingMethod.values else method
    starts = datetime.datetime.fromisoformat(data["starts_at"])
    text = f"{label}, {when(starts)}"
    return f"{text}: {data['note']}" if data.get("note") else text


# What the customer's side reads of the audit (issue 17): state changes, agreements, deadlines
# missed. Assignments, warnings meant for engineers and hotline logs stay with engineers; an
# internal note is a message, never an event, so none can appear here. A merge names a ticket
# of the same organization; links may name another organization's, so they stay with engineers.
CUSTOMER_KINDS = frozenset(
    {
        Kind.REGISTERED,
        Kind.TAKE,
        Kind.REQUEST_INFO,
        Kind.PROVIDE_INFO,
        Kind.RESOLVE,
        Kind.CONFIRM,
        Kind.CLOSE_CONFIRMED,
        Kind.DISPUTE,
        Kind.AUTO_CLOSE,
        Kind.WITHDRAW,
        Kind.MERGE,
        Kind.MERGED_FROM,
        Kind.UNCONFIRMED,
        Kind.SLA_BREACH,
        Kind.HANDLING_METHOD,
        *PRIORITY_KINDS,
        Kind.PRIORITY_WITHDRAWN,
        *SESSION_KINDS,
        Kind.SESSION_WITHDRAWN,
    }
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    title: str
    details: str
    tone: str = ""  # "ok" for a deadline met, "missed" for one missed


def customer_timeline(
    ticket: Ticket, events: Iterable[TicketEvent], *, priorities: dict[str, str] | None = None
) -> list[TimelineEntry]:
    """The ticket's history as the customer reads it: the events of CUSTOMER_KINDS in words,
    and the deadlines met (a breach is an event already), oldest first."""
    shown = [e for e in events if e.kind in CUSTOMER_KINDS]
    entries = [
        TimelineEntry(
            at=entry.event.created_at,
            title=_state_title(entry.event),
            details=entry.details,
            tone="missed" if entry.event.kind == Kind.SLA_BREACH else "",
        )
        for entry in describe(shown, priorities=priorities)
    ]
    if ticket.reaction_met and ticket.reacted_at:
        entries.append(TimelineEntry(ticket.reacted_at, _("Reaction in time"), "", "ok"))
    if ticket.resolution_met and ticket.resolved_at:
        entries.append(TimelineEntry(ticket.resolved_at, _("Resolution in time"), "", "ok"))
    return sorted(entries, key=lambda entry: entry.at)


def _state_title(event: TicketEvent) -> str:
    # From the label maps, not get_FOO_display(): that builds a dict of every choice on each
    # call, and the customer's ticket page spent ~10 ms of its time there (issue 14).
    title = str(_KIND_LABELS.get(event.kind, event.kind))
    before, after = event.from_state, event.to_state
    if before and after and before != after:
        return f"{title}: {STATE_LABELS.get(before, before)} → {STATE_LABELS.get(after, after)}"
    return title
