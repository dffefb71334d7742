"""What a webhook event says: enough to act on, with the ticket's API address for the rest."""

from typing import Any

from django.conf import settings

from api.serializers import ticket_path
from tickets.models import Message, Ticket, TicketEvent


def ticket_summary(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "state": ticket.state,
        "priority": ticket.priority_id,
        "tier": ticket.tier_id,
        "organization": ticket.organization_id,
        "assignee": ticket.assignee_id,
        "url": settings.SITE_URL + ticket_path(ticket.number),
    }


def ticket_event_payload(event: TicketEvent, kind: str) -> dict[str, Any]:
    return {
        "ticket": ticket_summary(event.ticket),
        "event": event.kind,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor": event.actor_id,
        "details": event.data,
        "at": event.created_at.isoformat(),
    }


def message_payload(message: Message) -> dict[str, Any]:
    return {
        "ticket": ticket_summary(message.ticket),
        "message": {
            "id": message.pk,
            "kind": message.kind,
            "author": message.author_id,
            "internal": message.is_internal,
            "body": message.body,
            "at": message.created_at.isoformat(),
        },
    }
