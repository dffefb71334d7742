"""The outbox: events of tickets (tickets.signals) become webhook events and one delivery row
per subscribed endpoint, in the transaction of the change; the sending is queued after commit.

Only endpoints whose owner still may see every ticket (an active engineer or admin) get them.
"""

import functools
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from accounts.reference import Kept
from tickets.models import Message, Ticket, TicketEvent
from tickets.signals import events_recorded, message_posted
from webhooks.models import EventKind, WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.payloads import message_payload, ticket_event_payload


def kinds_of(event: TicketEvent) -> list[str]:
    kinds = []
    if event.kind == TicketEvent.Kind.REGISTERED:
        kinds.append(EventKind.TICKET_REGISTERED)
    elif event.to_state and event.from_state and event.to_state != event.from_state:
        kinds.append(EventKind.STATE_CHANGED)
    if event.kind == TicketEvent.Kind.SLA_WARNING:
        kinds.append(EventKind.DEADLINE_WARNING)
    elif event.kind == TicketEvent.Kind.SLA_BREACH:
        kinds.append(EventKind.DEADLINE_BREACHED)
    return kinds


def _subscriptions() -> list[tuple[int, list[str]]]:
    endpoints = WebhookEndpoint.objects.filter(is_active=True, owner__is_active=True).filter(
        Q(owner__role="engineer") | Q(owner__is_staff=True)
    )
    return list(endpoints.values_list("pk", "kinds"))


subscriptions = Kept(_subscriptions)
"""(id, kinds) of the active endpoints of owners who see every ticket, kept per process until
an endpoint, an engineer or an admin changes anywhere (accounts/reference.py; webhooks.apps):
every ticket event asked for them, a new ticket's filing included (issue 14)."""


def subscribed(kinds: Iterable[str]) -> dict[str, list[int]]:
    """The active endpoints of each kind, of owners who see every ticket: no query while kept."""
    wanted = set(kinds)
    by_kind: dict[str, list[int]] = {kind: [] for kind in wanted}
    for pk, endpoint_kinds in subscriptions.get():
        for kind in wanted.intersection(endpoint_kinds or ()):
            by_kind[kind].append(pk)
    return by_kind


def record(items: list[tuple[str, Ticket, Callable[[], dict]]]) -> list[int]:
    """Store the events (their payloads built only for a subscribed kind) and deliveries;
    queue the deliveries after commit."""
    if not items:
        return []
    by_kind = subscribed(kind for kind, _ticket, _data in items)
    now = timezone.now()
    events, deliveries = [], []
    for kind, ticket, data in items:
        endpoints = by_kind.get(kind) or []
        if not endpoints:
            continue
        event = WebhookEvent(kind=kind, ticket=ticket, created_at=now, payload={})
        event.payload = {
            "id": str(event.id),
            "type": kind,
            "created_at": now.isoformat(),
            "data": data(),
        }
        events.append(event)
        deliveries += [
            WebhookDelivery(event=event, endpoint_id=pk, next_attempt_at=now, created_at=now)
            for pk in endpoints
        ]
    if not events:
        return []
    WebhookEvent.objects.bulk_create(events)
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: enqueue(ids))
    return ids


def enqueue(ids: list[int]) -> None:
    from webhooks.delivery import enqueue as enqueue_deliveries

    enqueue_deliveries(ids)


@receiver(events_recorded, dispatch_uid="webhooks.ticket_events")
def on_ticket_events(sender: type, events: list[TicketEvent], **kwargs: object) -> None:
    items = [
        (kind, event.ticket, functools.partial(ticket_event_payload, event, kind))
        for event in events
        for kind in kinds_of(event)
    ]
    record(items)


@receiver(message_posted, dispatch_uid="webhooks.message_posted")
def on_message_posted(sender: type, message: Message, **kwargs: object) -> None:
    record(
        [(EventKind.MESSAGE_POSTED, message.ticket, functools.partial(message_payload, message))]
    )
