"""Links between related tickets, of any organizations (issue 18).

Engineers link and unlink; a link is symmetric, stored once as the ordered pair of ids
(`TicketLink.low` < `TicketLink.high`). Each ticket gets an audit event naming the other one
(engineers' history only: a customer must not learn of another organization's ticket). Who sees
which link is selectors.related_tickets_for_user.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tickets.errors import ActionNotPermitted
from tickets.models import Ticket, TicketLink
from tickets.services._base import (
    Kind,
    lock_in_order,
    now_or_current,
    require_visible,
    write_event,
)

if TYPE_CHECKING:
    from accounts.models import User


def _check(actor: "User", ticket: Ticket, other: Ticket) -> tuple[int, int]:
    require_visible(ticket, actor)
    if not actor.is_engineer:
        raise ActionNotPermitted(_("Only support engineers link related tickets."))
    if other.pk == ticket.pk:
        raise ValidationError({"number": _("A ticket cannot be linked to itself.")})
    low, high = sorted((ticket.pk, other.pk))
    return low, high


def _events(
    kind: str, ticket: Ticket, other: Ticket, *, actor: "User", now: datetime.datetime
) -> None:
    write_event(ticket, kind, actor=actor, now=now, data={"ticket": other.number})
    write_event(other, kind, actor=actor, now=now, data={"ticket": ticket.number})


@transaction.atomic
def ticket_link(
    *, actor: "User", ticket: Ticket, other: Ticket, now: datetime.datetime | None = None
) -> TicketLink:
    """Link `ticket` and `other` as related (any states, any organizations); refused for the
    ticket itself and for a pair already linked."""
    now = now_or_current(now)
    low, high = _check(actor, ticket, other)
    lock_in_order(ticket, other)  # two engineers linking the same pair: one waits, then is told
    already = _("%(number)s is linked to this ticket already.") % {"number": other.number}
    if TicketLink.objects.filter(low_id=low, high_id=high).exists():
        raise ValidationError({"number": already})
    try:
        with transaction.atomic():
            link = TicketLink.objects.create(
                low_id=low, high_id=high, created_by=actor, created_at=now
            )
    except IntegrityError as exc:  # a ticket deleted meanwhile; the pair is checked above
        raise ValidationError({"number": already}) from exc
    _events(Kind.LINKED, ticket, other, actor=actor, now=now)
    return link


@transaction.atomic
def ticket_unlink(
    *, actor: "User", ticket: Ticket, other: Ticket, now: datetime.datetime | None = None
) -> None:
    """Remove the link between `ticket` and `other`; refused if they are not linked."""
    now = now_or_current(now)
    low, high = _check(actor, ticket, other)
    lock_in_order(ticket, other)
    deleted, _rows = TicketLink.objects.filter(low_id=low, high_id=high).delete()
    if not deleted:
        raise ValidationError(
            {"number": _("%(number)s is not linked to this ticket.") % {"number": other.number}}
        )
    _events(Kind.UNLINKED, ticket, other, actor=actor, now=now)
