"""The conversation and the lifecycle transitions of docs/regulation.md, 2.3-2.4."""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tickets.attachments import store_attachments, validate_uploads
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.mentions import engineers_named, handles_in
from tickets.models import (
    InfoNeed,
    Message,
    State,
    Ticket,
)
from tickets.notifications import notify
from tickets.placeholders import refuse_unfilled
from tickets.services import assignment

if TYPE_CHECKING:
    from accounts.models import User


from tickets.services._base import (
    Kind,
    NKind,
    add_message,
    check_organization_active,
    lock_current,
    notify_customer,
    notify_vendor,
    now_or_current,
    require_visible,
    required_text,
    run_transition,
    save_changed,
    snapshot,
    touch_customer_activity,
    write_event,
)


@transaction.atomic
def message_post(
    *,
    actor: "User",
    ticket: Ticket,
    body: str,
    internal: bool = False,
    files: Sequence[UploadedFile] = (),
    now: datetime.datetime | None = None,
) -> Message:
    """A reply in the conversation (with files), or an engineer's internal note.

    A customer's reply while the ticket waits on them is the information they were asked for:
    it moves the ticket back to work (provide_info). Closed tickets take no more messages.
    """
    now = now_or_current(now)
    validate_uploads(files)
    body = (body or "").strip()
    if not body and not files:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    require_visible(ticket, actor)
    check_organization_active(actor)
    if not ticket.is_open:
        raise ActionNotAllowedNow(
            _("This ticket is closed. File a new ticket if the problem came back.")
        )
    if actor.is_customer:
        if internal:
            raise ActionNotPermitted(_("Only support engineers write internal notes."))
        if ticket.state == State.AWAITING_CUSTOMER:
            return _provide_info(actor=actor, ticket=ticket, body=body, files=files, now=now)
        message = add_message(ticket, author=actor, kind=Message.Kind.REPLY, body=body, now=now)
        store_attachments(ticket=ticket, uploader=actor, files=files, message=message, now=now)
        touch_customer_activity(ticket, now)
        notify_vendor(ticket, NKind.REPLY, now=now, actor=actor)
        return message
    if not actor.is_engineer:
        raise ActionNotPermitted(_("You are not allowed to act on this ticket."))
    named = engineers_named(handles_in(body)) if internal else {}
    if not internal:  # a note to colleagues may well talk about placeholders
        refuse_unfilled(body, field="body", ticket=ticket)
    message = add_message(
        ticket,
        author=actor,
        kind=Message.Kind.REPLY,
        body=body,
        now=now,
        internal=internal,
        mentions=list(named),
    )
    store_attachments(ticket=ticket, uploader=actor, files=files, message=message, now=now)
    if named:
        _notify_mentioned(actor=actor, ticket=ticket, message=message, named=named, now=now)
    if not internal:
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
        notify_customer(ticket, NKind.REPLY, now=now, actor=actor)
    return message


def _notify_mentioned(
    *,
    actor: "User",
    ticket: Ticket,
    message: Message,
    named: dict[str, list["User"]],
    now: datetime.datetime,
) -> None:
    """One `mention` notification per colleague named in an internal note (not the author;
    once however often they are named), on the portal and by mail as they chose."""
    people = [person for group in named.values() for person in group if person.pk != actor.pk]
    if people:
        notify(
            actor=actor,
            ticket=ticket,
            kind=NKind.MENTION,
            recipients=people,
            data={"author": str(actor), "message": message.pk},
            now=now,
        )


@transaction.atomic
def ticket_take(*, actor: "User", ticket: Ticket, now: datetime.datetime | None = None) -> Ticket:
    """An engineer takes the ticket into work: the first take is the reaction."""
    now = now_or_current(now)
    first = ticket.reacted_at is None
    run_transition(ticket, "take", actor=actor, now=now, engineer=actor, data={"first": first})
    if first:  # the reaction: the customer is told who took it and the resolution deadline
        notify_customer(ticket, NKind.TAKEN, now=now, actor=actor, data={"engineer": str(actor)})
    return ticket


@transaction.atomic
def ticket_request_info(
    *,
    actor: "User",
    ticket: Ticket,
    body: str,
    needs: Sequence[str] = (),
    now: datetime.datetime | None = None,
) -> Message:
    """Ask the customer for diagnostics (regulation 2.4); the resolution clock pauses.

    `needs` ticks items of InfoNeed (logs, configs, traces …), kept as codes so that each
    reader sees them in their own language; the words are needed when nothing is ticked.
    """
    now = now_or_current(now)
    codes = list(dict.fromkeys(needs))
    if any(code not in InfoNeed.values for code in codes):
        raise ValidationError({"needs": _("Choose what is needed from the list.")})
    body = (body or "").strip()
    if not codes:
        body = required_text("body", body, _("Say what information is needed."))
    refuse_unfilled(body, field="body", ticket=ticket)
    run_transition(ticket, "request_info", actor=actor, now=now)
    message = add_message(
        ticket, author=actor, kind=Message.Kind.INFO_REQUEST, body=body, now=now, needs=codes
    )
    notify_customer(ticket, NKind.INFO_REQUESTED, now=now, actor=actor)
    return message


def _provide_info(
    *,
    actor: "User",
    ticket: Ticket,
    body: str,
    files: Sequence[UploadedFile],
    now: datetime.datetime,
) -> Message:
    run_transition(ticket, "provide_info", actor=actor, now=now)
    message = add_message(ticket, author=actor, kind=Message.Kind.REPLY, body=body, now=now)
    store_attachments(ticket=ticket, uploader=actor, files=files, message=message, now=now)
    notify_vendor(ticket, NKind.INFO_PROVIDED, now=now, actor=actor)
    return message


@transaction.atomic
def ticket_provide_info(
    *,
    actor: "User",
    ticket: Ticket,
    body: str,
    files: Sequence[UploadedFile] = (),
    now: datetime.datetime | None = None,
) -> Message:
    """The customer answers an info request; the ticket goes back to work, the clock resumes."""
    now = now_or_current(now)
    validate_uploads(files)
    body = (body or "").strip()
    if not body and not files:
        raise ValidationError({"body": _("Write what you are providing or attach the files.")})
    return _provide_info(actor=actor, ticket=ticket, body=body, files=files, now=now)


@transaction.atomic
def ticket_resolve(
    *, actor: "User", ticket: Ticket, result: str, now: datetime.datetime | None = None
) -> Message:
    """Deliver a result the customer can check; the confirmation window opens (2.4)."""
    now = now_or_current(now)
    result = required_text("result", result, _("Describe the result for the customer."))
    refuse_unfilled(result, field="result", ticket=ticket)
    run_transition(ticket, "resolve", actor=actor, now=now)
    message = add_message(ticket, author=actor, kind=Message.Kind.RESOLUTION, body=result, now=now)
    notify_customer(ticket, NKind.RESOLVED, now=now, actor=actor)
    return message


@transaction.atomic
def ticket_confirm(
    *, actor: "User", ticket: Ticket, now: datetime.datetime | None = None
) -> Ticket:
    """The customer confirms the resolution: confirmed, then closed (reason `confirmed`)."""
    now = now_or_current(now)
    run_transition(ticket, "confirm", actor=actor, now=now)
    run_transition(ticket, "close_confirmed", actor=None, now=now)
    notify_vendor(ticket, NKind.CONFIRMED, now=now, actor=actor)
    # The closing mail: the customer's side may rate the help (issue 17, CSAT). No actor: the
    # customer who confirmed gets it too.
    notify_customer(ticket, NKind.CLOSED, now=now)
    return ticket


@transaction.atomic
def ticket_dispute(
    *,
    actor: "User",
    ticket: Ticket,
    reason: str,
    files: Sequence[UploadedFile] = (),
    now: datetime.datetime | None = None,
) -> Message:
    """The customer refuses the resolution with a reason (мотивированный отказ); work resumes."""
    now = now_or_current(now)
    reason = required_text(
        "reason", reason, _("Say why the resolution does not solve the problem.")
    )
    validate_uploads(files)
    run_transition(ticket, "dispute", actor=actor, now=now, data={"reason": reason})
    message = add_message(ticket, author=actor, kind=Message.Kind.DISPUTE, body=reason, now=now)
    store_attachments(ticket=ticket, uploader=actor, files=files, message=message, now=now)
    notify_vendor(ticket, NKind.DISPUTED, now=now, actor=actor)
    return message


@transaction.atomic
def ticket_withdraw(
    *, actor: "User", ticket: Ticket, reason: str = "", now: datetime.datetime | None = None
) -> Ticket:
    """The customer withdraws the ticket from any open state (close reason `withdrawn`)."""
    now = now_or_current(now)
    reason = (reason or "").strip()
    run_transition(ticket, "withdraw", actor=actor, now=now, data={"reason": reason})
    if reason:
        add_message(ticket, author=actor, kind=Message.Kind.WITHDRAWAL, body=reason, now=now)
    notify_vendor(ticket, NKind.WITHDRAWN, now=now, actor=actor)
    return ticket


@transaction.atomic
def ticket_assign(
    *,
    actor: "User",
    ticket: Ticket,
    engineer: "User",
    now: datetime.datetime | None = None,
) -> Ticket:
    """An engineer hands an open ticket to another engineer (no state change) who handles
    its tier and product area (duty.rules.handling_refusal; the bulk assignment and the API
    come here too)."""
    now = now_or_current(now)
    if not actor.is_engineer:
        raise ActionNotPermitted(_("Only support engineers assign tickets."))
    if not engineer.is_engineer:
        raise ValidationError({"engineer": _("Choose an active support engineer.")})
    lock_current(ticket)
    if not ticket.is_open:
        raise ActionNotAllowedNow(_("A closed ticket cannot be assigned."))
    refusal = assignment.handling_refusal_for(ticket, engineer)
    if refusal:
        raise ValidationError({"engineer": refusal})
    before = snapshot(ticket)
    previous = ticket.assignee_id
    ticket.assignee = engineer
    ticket.updated_at = now
    save_changed(ticket, before)
    write_event(
        ticket,
        Kind.ASSIGN,
        actor=actor,
        now=now,
        data={"from": previous, "to": engineer.pk},
    )
    if engineer.pk != actor.pk:
        notify(ticket=ticket, kind=NKind.ASSIGNED, recipients=[engineer], now=now)
    return ticket
