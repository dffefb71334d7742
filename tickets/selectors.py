"""Reads that enforce the visibility rule (PRODUCT.md §3). Views read tickets only through here.

An object the user may not see is reported as missing (Http404), never as forbidden: an
outsider must not learn that another organization's ticket exists.
"""

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from tickets.models import Attachment, Message, Notification, Ticket, TicketEvent

if TYPE_CHECKING:
    from accounts.models import User


def tickets_visible_to(user: "User") -> QuerySet[Ticket]:
    return Ticket.objects.visible_to(user)


def ticket_for_user(*, user: "User", number: str) -> Ticket:
    """The ticket with `number` if `user` may see it; otherwise Http404."""
    ticket = (
        tickets_visible_to(user)
        .select_related("organization", "customer", "assignee", "license", "tier", "priority")
        .filter(number=number)
        .first()
    )
    if ticket is None:
        raise Http404("No such ticket")
    return ticket


def messages_for_user(*, user: "User", ticket: Ticket) -> QuerySet[Message]:
    """The conversation as `user` may read it: customers never see internal notes."""
    messages = ticket.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id"))
    )
    if not user.is_engineer and not user.is_staff:
        messages = messages.filter(is_internal=False)
    return messages


def events_for_user(*, user: "User", ticket: Ticket) -> QuerySet[TicketEvent]:
    # The ticket was fetched through ticket_for_user, so its organization is the user's.
    return ticket.events.select_related("actor")


def attachment_for_user(*, user: "User", pk: int) -> Attachment:
    """An attachment of a visible ticket; one on an internal note only for engineers."""
    attachments = Attachment.objects.select_related("ticket", "message").filter(
        ticket__in=tickets_visible_to(user)
    )
    if not user.is_engineer and not user.is_staff:
        attachments = attachments.exclude(message__is_internal=True)
    attachment = attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


def notifications_for_user(*, user: "User") -> QuerySet[Notification]:
    """A person's own notifications, of tickets they can still see."""
    return (
        Notification.objects.filter(recipient=user, ticket__in=tickets_visible_to(user))
        .select_related("ticket")
        .order_by("-created_at", "-id")
    )
