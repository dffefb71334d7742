"""An engineer turns a ticket's resolution into a draft article of the knowledge base."""

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from knowledge.models import Article, ProductArea
from knowledge.services import article_save
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import Message, Ticket
from tickets.services._base import now_or_current

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def ticket_to_article(
    *, actor: "User", ticket: Ticket, now: datetime.datetime | None = None
) -> Article:
    """A draft with the ticket's subject, its fault and its latest resolution (never an
    internal note), in the ticket's product area and its customer's language. The engineer
    edits it (names, addresses) before publishing."""
    now = now_or_current(now)
    if not (actor.is_active and actor.is_engineer):
        raise ActionNotPermitted(_("Only support engineers write articles."))
    resolution = (
        ticket.messages.filter(kind=Message.Kind.RESOLUTION, is_internal=False)
        .order_by("-created_at", "-id")
        .first()
    )
    if resolution is None:
        raise ActionNotAllowedNow(_("This ticket has no resolution yet to make an article of."))
    area = ticket.product_area or ProductArea.objects.first()
    if area is None:
        raise ActionNotAllowedNow(_("Add a product area in the administration first."))
    language = ticket.customer.language if ticket.customer.language in ("ru", "en") else "ru"
    headings = {"ru": ("Проблема", "Решение"), "en": ("Problem", "Solution")}[language]
    body = (
        f"## {headings[0]}\n\n{ticket.description.strip()}\n\n"
        f"## {headings[1]}\n\n{resolution.body.strip()}\n"
    )
    return article_save(
        actor=actor,
        title=ticket.subject,
        body=body,
        area=area,
        language=language,
        now=now,
        source_ticket=ticket.number,
    )
