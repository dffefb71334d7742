"""How the work is done (regulation 2.3, docs/regulation.md): the handling method and the records of
remote sessions and phone consultations. The SLA does not depend on the method, so nothing here
touches the clock.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import HandlingMethod, Message, SessionProposal, Ticket
from tickets.services._base import (
    Kind,
    NKind,
    add_message,
    lock_current,
    notify_customer,
    now_or_current,
    required_text,
    save_changed,
    snapshot,
    write_event,
)

if TYPE_CHECKING:
    from accounts.models import User

# The conversation entry that records each kind of contact outside the portal.
CONTACT_KINDS = {
    HandlingMethod.REMOTE: Message.Kind.REMOTE_SESSION,
    HandlingMethod.PHONE: Message.Kind.PHONE_CONSULTATION,
}


def _check_method(ticket: Ticket, method: str, field: str) -> HandlingMethod:
    if method not in HandlingMethod.values:
        raise ValidationError({field: _("Choose a handling method.")})
    if method == HandlingMethod.PHONE and not ticket.tier.extended:
        raise ValidationError(
            {field: _("Phone consultations are part of Extended support (Premium, Platinum) only.")}
        )
    return HandlingMethod(method)


def _check_engineer_on_open(actor: "User", ticket: Ticket) -> None:
    if not actor.is_engineer:
        raise ActionNotPermitted(_("Only support engineers record how the work is done."))
    lock_current(ticket)
    if not ticket.is_open:
        raise ActionNotAllowedNow(_("This ticket is closed."))


def _set_method(
    ticket: Ticket, method: HandlingMethod, *, actor: "User", now: datetime.datetime
) -> None:
    before = snapshot(ticket)
    previous = ticket.handling_method
    ticket.handling_method = method
    ticket.updated_at = now
    save_changed(ticket, before)
    write_event(
        ticket, Kind.HANDLING_METHOD, actor=actor, now=now, data={"from": previous, "to": method}
    )


@transaction.atomic
def ticket_set_handling_method(
    *, actor: "User", ticket: Ticket, method: str, now: datetime.datetime | None = None
) -> Ticket:
    """Record the handling method chosen with the customer (portal, remote session, phone)."""
    now = now_or_current(now)
    _check_engineer_on_open(actor, ticket)
    chosen = _check_method(ticket, method, "method")
    if ticket.handling_method == chosen:
        raise ValidationError({"method": _("This handling method is already recorded.")})
    _set_method(ticket, chosen, actor=actor, now=now)
    return ticket


def _held_session(
    ticket: Ticket, method: HandlingMethod, now: datetime.datetime
) -> SessionProposal | None:
    """The agreed session a record is about: the latest one that has begun by `now`, or, if
    the contact came earlier than agreed, the next one."""
    agreed = SessionProposal.objects.select_for_update().filter(
        ticket=ticket, method=method, status=SessionProposal.Status.ACCEPTED
    )
    begun = agreed.filter(starts_at__lte=now).order_by("-starts_at", "-id").first()
    return begun or agreed.order_by("starts_at", "id").first()


@transaction.atomic
def ticket_record_contact(
    *,
    actor: "User",
    ticket: Ticket,
    method: str,
    summary: str,
    now: datetime.datetime | None = None,
) -> Message:
    """Record a remote session or a phone consultation, with its summary, in the conversation.

    The customer sees the record (it is part of the ticket's history with them). A ticket with
    no handling method recorded yet takes this contact's method. The agreed session of this
    method that this record is about (see _held_session) is marked held and linked to it.
    """
    now = now_or_current(now)
    _check_engineer_on_open(actor, ticket)
    chosen = _check_method(ticket, method, "method")
    if chosen not in CONTACT_KINDS:
        raise ValidationError({"method": _("Choose a remote session or a phone consultation.")})
    summary = required_text("summary", summary, _("Summarize what was done and found."))
    message = add_message(ticket, author=actor, kind=CONTACT_KINDS[chosen], body=summary, now=now)
    session = _held_session(ticket, chosen, now)
    if session is not None:
        session.status = SessionProposal.Status.DONE
        session.record = message
        session.save(update_fields=["status", "record"])
    if not ticket.handling_method:
        _set_method(ticket, chosen, actor=actor, now=now)
    else:
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    notify_customer(ticket, NKind.REPLY, now=now, actor=actor)
    return message
