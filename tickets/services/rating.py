"""The customer's satisfaction with a closed ticket (CSAT, issue 17).

A ticket closed by confirmation or for silence may be rated 1-5 with a comment, once, by a
customer of its organization: on the portal, or through the signed link of the closing mail
(`tickets.rating_links`, signed, with a maximum age).
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import CloseReason, State, Ticket, TicketRating
from tickets.services._base import now_or_current

if TYPE_CHECKING:
    from accounts.models import User

RATED_CLOSE_REASONS = (CloseReason.CONFIRMED, CloseReason.NO_CUSTOMER_RESPONSE)


def may_be_rated(ticket: Ticket) -> bool:
    return ticket.state == State.CLOSED and ticket.close_reason in RATED_CLOSE_REASONS


@transaction.atomic
def ticket_rate(
    *,
    actor: "User",
    ticket: Ticket,
    score: int | str | None,
    comment: str = "",
    via: str = TicketRating.Via.PORTAL,
    now: datetime.datetime | None = None,
) -> TicketRating:
    """Record the customer's rating of a closed ticket: once, 1-5, a comment optional."""
    now = now_or_current(now)
    if not (
        actor.is_active and actor.is_customer and actor.organization_id == ticket.organization_id
    ):
        raise ActionNotPermitted(_("Only the customer's side rates a ticket."))
    try:
        value = int(score or 0)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk").get()
    if not may_be_rated(ticket):
        raise ActionNotAllowedNow(_("A ticket is rated once it is closed after its resolution."))
    if TicketRating.objects.filter(ticket=ticket).exists():
        raise ActionNotAllowedNow(_("This ticket is rated already: a ticket is rated once."))
    try:
        with transaction.atomic():
            return TicketRating.objects.create(
                ticket=ticket,
                rated_by=actor,
                score=value,
                comment=(comment or "").strip(),
                via=via,
                created_at=now,
            )
    except IntegrityError as error:  # rated a moment ago through the other way
        raise ActionNotAllowedNow(
            _("This ticket is rated already: a ticket is rated once.")
        ) from error
