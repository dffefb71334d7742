"""Concurrent-edit protection of the ticket page's writing forms (issue 18).

The page's reply, note, information-request, resolution and dispute forms carry a "seen" marker:
the newest message and audit event the person's page showed (`Seen`, "<message id>.<event
id>", ids the page has loaded anyway, so no query). Before the action runs, `check_seen` locks
the ticket's row and reads what other people (or the system) did since: a message, a state
change, an assignment, an agreed priority. If anything, the action is not applied and the
form comes back with the text and the list of changes; the new page carries a new marker, so
sending again goes through. The person's own acts never count. An action the ticket no longer
allows is left to its service, which refuses it with its own message.

Ids grow with time; the writers that matter (transitions, assignments, agreed priorities and,
through this check, the forms' messages) take the ticket's row lock, so what committed before
the lock is seen here.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from sla.models import Priority
from tickets.errors import ChangedMeanwhile
from tickets.models import Message, State, Ticket, TicketEvent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Kind = TicketEvent.Kind
CHANGED_MESSAGE = gettext_lazy(
    "Not sent: the ticket changed while you were writing. Read what changed; your text is kept "
    "in the form, send it again if it still fits."
)
_MARKER = re.compile(r"^(\d{1,18})\.(\d{1,18})$")


@dataclasses.dataclass(frozen=True)
class Seen:
    """The newest message and audit event a page showed (0: none)."""

    message_id: int = 0
    event_id: int = 0

    def __str__(self) -> str:
        return f"{self.message_id}.{self.event_id}"

    @classmethod
    def parse(cls, value: str | None) -> "Seen | None":
        """The marker a form sent back, or None (no marker: the form is not protected)."""
        match = _MARKER.match(value or "")
        return cls(int(match[1]), int(match[2])) if match else None

    @classmethod
    def of(cls, messages: Iterable[Message], events: Iterable[TicketEvent]) -> "Seen":
        """The marker of what a page has loaded (no query)."""
        return cls(max((m.pk for m in messages), default=0), max((e.pk for e in events), default=0))


@dataclasses.dataclass(frozen=True)
class Change:
    """One thing that happened since the page was shown, in words."""

    at: datetime.datetime
    text: "StrOrPromise"


def check_seen(*, actor: User, ticket: Ticket, seen: Seen, transition: str | None = None) -> None:
    """Lock the ticket's row and refuse (ChangedMeanwhile) when others changed it since `seen`,
    unless the action (`transition`, or writing in an open ticket) is no longer possible at
    all: then its service refuses it with its own message. Call inside the action's
    transaction, before the action."""
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not current.is_open:
        return
    if transition is not None and transition not in {
        t.name for t in current.get_available_user_state_transitions(actor)
    }:
        return
    changes = changes_since(actor=actor, ticket=current, seen=seen)
    if changes:
        raise ChangedMeanwhile(CHANGED_MESSAGE, changes)


def changes_since(*, actor: User, ticket: Ticket, seen: Seen) -> list[Change]:
    """What others did to `ticket` after `seen`, as `actor` may read it, oldest first."""
    messages = (
        Message.objects.filter(ticket=ticket, pk__gt=seen.message_id)
        .exclude(author=actor)
        .select_related("author")
    )
    if not actor.is_engineer and not actor.is_staff:
        messages = messages.filter(is_internal=False)
    events = [
        event
        for event in TicketEvent.objects.filter(ticket=ticket, pk__gt=seen.event_id)
        .exclude(actor=actor)
        .select_related("actor")
        if event.from_state != event.to_state
        or event.kind in {Kind.ASSIGN, Kind.TAKE, Kind.PRIORITY_ACCEPTED}
    ]
    changes = [Change(at=m.created_at, text=_message_words(m)) for m in messages]
    changes += _event_changes(events)
    return sorted(changes, key=lambda change: change.at)


def _message_words(message: Message) -> str:
    who = str(message.author)
    if message.is_internal:
        return _("%(who)s wrote an internal note") % {"who": who}
    if message.kind == Message.Kind.REPLY:
        return _("%(who)s replied") % {"who": who}
    return _("%(who)s wrote: %(kind)s") % {"who": who, "kind": message.get_kind_display()}


def _event_changes(events: list[TicketEvent]) -> list[Change]:
    assignees = {e.data.get("to") for e in events if e.kind == Kind.ASSIGN} - {None}
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=assignees)} if assignees else {}
    codes = {e.data.get("to") for e in events if e.kind == Kind.PRIORITY_ACCEPTED} - {None}
    labels = {p.pk: p.label for p in Priority.objects.filter(pk__in=codes)} if codes else {}
    changes = []
    for event in events:
        who = str(event.actor) if event.actor else _("the portal")
        if event.from_state != event.to_state and event.to_state:
            state = State(event.to_state).label
            text = _("State changed to %(state)s (%(who)s)") % {"state": state, "who": who}
            changes.append(Change(at=event.created_at, text=text))
        if event.kind == Kind.TAKE:
            text = _("Assigned to %(engineer)s") % {"engineer": who}
            changes.append(Change(at=event.created_at, text=text))
        elif event.kind == Kind.ASSIGN:
            engineer = people.get(event.data.get("to"), "—")
            text = _("Assigned to %(engineer)s (%(who)s)") % {"engineer": engineer, "who": who}
            changes.append(Change(at=event.created_at, text=text))
        elif event.kind == Kind.PRIORITY_ACCEPTED:
            priority = labels.get(event.data.get("to"), event.data.get("to"))
            text = _("Priority changed to %(priority)s") % {"priority": priority}
            changes.append(Change(at=event.created_at, text=text))
    return changes
