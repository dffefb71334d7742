"""The audit history in words: what each event's data means to the engineer reading it.

Events keep ids and codes (they must outlive renames); this turns them into names with one
query for all the people and the priorities the whole history mentions.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from sla.models import Priority
from tickets.models import HandlingMethod, TicketEvent

Kind = TicketEvent.Kind
PRIORITY_KINDS = {Kind.PRIORITY_PROPOSED, Kind.PRIORITY_ACCEPTED, Kind.PRIORITY_DECLINED}
DEADLINES = {"reaction": gettext_lazy("reaction"), "resolution": gettext_lazy("resolution")}


@dataclass(frozen=True)
class HistoryEntry:
    event: TicketEvent
    details: str


def describe(events: Iterable[TicketEvent]) -> list[HistoryEntry]:
    events = list(events)
    user_ids = {e.data.get("to") for e in events if e.kind == Kind.ASSIGN}
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=user_ids - {None})}
    priorities = {p.pk: p.label for p in Priority.objects.all()}  # a handful of rows
    return [HistoryEntry(e, _details(e, people, priorities)) for e in events]


def _details(event: TicketEvent, people: dict[int, str], priorities: dict[str, str]) -> str:
    data = event.data or {}
    if event.kind == Kind.ASSIGN:
        return _("to %(name)s") % {"name": people.get(data.get("to"), "—")}
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
    return ""
