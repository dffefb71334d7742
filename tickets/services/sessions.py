"""Remote sessions and phone consultations agreed with the customer (regulation 2.3: the way
the work is done is chosen "по согласованию с Заказчиком", docs/regulation.md, 2.3-2.4).

An engineer proposes a method and a time window; the other side accepts, declines with a
reason, or proposes another time (a new pending proposal that replaces the old one, which the
first side then answers in turn). The side of each proposal is fixed when it is made: only the
other side answers, whatever becomes of the proposer's account. Accepting records the handling
method. A ticket has at most one pending proposal: a new proposal by the side that made the
pending one withdraws it (the engineer changed their mind about the time); a proposal while the
other side's is pending is refused, because that one waits for an answer first.

The SLA does not depend on any of this: nothing here touches the clock.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import HandlingMethod, SessionProposal, Side, Ticket, side_of
from tickets.notifications import notify
from tickets.services._base import (
    Kind,
    NKind,
    customer_side,
    lock_current,
    now_or_current,
    require_visible,
    required_text,
    touch_customer_activity,
    write_event,
)
from tickets.services.handling import _check_method, _set_method

if TYPE_CHECKING:
    from accounts.models import User

Status = SessionProposal.Status

# A longer stretch is not one session but several: propose them one by one.
MAX_SESSION_LENGTH = datetime.timedelta(hours=8)
SESSION_METHODS = (HandlingMethod.REMOTE, HandlingMethod.PHONE)
PHONE_MAX_LENGTH = int(SessionProposal._meta.get_field("phone").max_length or 0)


def _check_window(
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    now: datetime.datetime,
) -> tuple[datetime.datetime, datetime.datetime]:
    if starts_at is None:
        raise ValidationError({"starts_at": _("Enter when the session starts.")})
    if ends_at is None:
        raise ValidationError({"ends_at": _("Enter when the session ends.")})
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("session times must be aware datetimes")
    if starts_at <= now:
        raise ValidationError({"starts_at": _("The session must start in the future.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if ends_at - starts_at > MAX_SESSION_LENGTH:
        raise ValidationError(
            {
                "ends_at": _("A session lasts at most %(hours)d hours.")
                % {"hours": MAX_SESSION_LENGTH // datetime.timedelta(hours=1)}
            }
        )
    return starts_at, ends_at


def _check_phone(method: str, phone: str) -> str:
    phone = " ".join((phone or "").split())
    if method == HandlingMethod.PHONE and not phone:
        raise ValidationError({"phone": _("Enter the phone number the engineer will call.")})
    if len(phone) > PHONE_MAX_LENGTH:
        raise ValidationError(
            {"phone": _("A phone number is at most %(n)d characters.") % {"n": PHONE_MAX_LENGTH}}
        )
    return phone


def _check_open(ticket: Ticket) -> None:
    if not ticket.is_open:
        raise ActionNotAllowedNow(_("This ticket is closed: no session can be agreed on it."))


def _locked(proposal: SessionProposal) -> tuple[Ticket, SessionProposal]:
    """The ticket's row, then the proposal's, locked in that order (as every service does)."""
    ticket = Ticket.objects.select_for_update().select_related("tier").get(pk=proposal.ticket_id)
    proposal = SessionProposal.objects.select_for_update().get(pk=proposal.pk)
    return ticket, proposal


def _check_other_side(actor: "User", ticket: Ticket, proposal: SessionProposal) -> None:
    """Only the other side answers; the side was fixed when the proposal was made."""
    require_visible(ticket, actor)  # first: an outsider learns nothing of the proposal
    may_answer = actor.is_customer if proposal.side == Side.VENDOR else actor.is_engineer
    if not may_answer:
        raise ActionNotPermitted(_("The other side answers a session proposal."))
    if proposal.status != Status.PENDING:
        raise ActionNotAllowedNow(_("This session proposal has already been answered."))
    _check_open(ticket)


def _vendor_recipients(ticket: Ticket, proposal: SessionProposal) -> list["User"]:
    """The engineer to tell: the assignee, or, if nobody has the ticket, the engineer who took
    part in this agreement (who proposed or answered it, or an earlier time it replaces)."""
    if ticket.assignee is not None:
        return [ticket.assignee]
    step: SessionProposal | None = proposal
    while step is not None:
        for person in (step.proposed_by, step.answered_by):
            if person is not None and person.is_engineer:
                return [person]
        step = step.replaces
    return []


def _other_side(actor: "User", ticket: Ticket, proposal: SessionProposal) -> list["User"]:
    if side_of(actor) == Side.CUSTOMER:
        return _vendor_recipients(ticket, proposal)
    return customer_side(ticket)


def _window_data(proposal: SessionProposal) -> dict[str, str | int]:
    return {
        "proposal": proposal.pk,
        "method": proposal.method,
        "starts_at": proposal.starts_at.isoformat(),
        "ends_at": proposal.ends_at.isoformat(),
    }


def _create(
    *,
    actor: "User",
    ticket: Ticket,
    method: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    phone: str,
    note: str,
    now: datetime.datetime,
    replaces: SessionProposal | None = None,
) -> SessionProposal:
    proposal = SessionProposal.objects.create(
        ticket=ticket,
        method=method,
        starts_at=starts_at,
        ends_at=ends_at,
        phone=phone,
        note=note,
        proposed_by=actor,
        side=side_of(actor),
        replaces=replaces,
        created_at=now,
    )
    data = _window_data(proposal)
    if replaces is not None:
        data["replaces"] = replaces.pk
    write_event(ticket, Kind.SESSION_PROPOSED, actor=actor, now=now, data=data)
    if actor.is_customer:
        touch_customer_activity(ticket, now)
    notify(
        actor=actor,
        ticket=ticket,
        kind=NKind.SESSION_PROPOSED,
        recipients=_other_side(actor, ticket, replaces or proposal),
        email_to_contact=True,
        data=data,
        now=now,
    )
    return proposal


def _withdraw_own_pending(ticket: Ticket, *, actor: "User", now: datetime.datetime) -> None:
    """A new proposal replaces the proposer's side's pending one; the other side's pending
    proposal must be answered first."""
    pending = SessionProposal.objects.select_for_update().filter(
        ticket=ticket, status=Status.PENDING
    )
    for previous in pending:
        if previous.side != side_of(actor):
            raise ActionNotAllowedNow(
                _("The customer proposed another time: accept it, decline it or suggest a time.")
            )
        previous.status = Status.WITHDRAWN
        previous.answered_by = actor
        previous.answered_at = now
        previous.save(update_fields=["status", "answered_by", "answered_at"])
        write_event(
            ticket,
            Kind.SESSION_WITHDRAWN,
            actor=actor,
            now=now,
            data={"proposal": previous.pk, "reason": "replaced"},
        )


@transaction.atomic
def session_propose(
    *,
    actor: "User",
    ticket: Ticket,
    method: str,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    phone: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> SessionProposal:
    """An engineer proposes a remote session or a phone consultation in a time window.

    The window starts in the future, ends after it starts and lasts at most
    MAX_SESSION_LENGTH; phone consultations are for Extended tiers only and need the number
    the engineer will call. Open tickets only. The engineers' own pending proposal is withdrawn
    by the new one; while the customer's counter-proposal is pending, it must be answered
    first (ActionNotAllowedNow). The customer is told on the portal and by mail.
    """
    now = now_or_current(now)
    require_visible(ticket, actor)
    if not actor.is_engineer:
        raise ActionNotPermitted(
            _("Support engineers propose sessions; you can answer a proposal or suggest a time.")
        )
    lock_current(ticket)
    _check_open(ticket)
    chosen = _check_method(ticket, method, "method")
    if chosen not in SESSION_METHODS:
        raise ValidationError({"method": _("Choose a remote session or a phone consultation.")})
    starts_at, ends_at = _check_window(starts_at, ends_at, now)
    phone = _check_phone(chosen, phone)
    _withdraw_own_pending(ticket, actor=actor, now=now)
    return _create(
        actor=actor,
        ticket=ticket,
        method=chosen,
        starts_at=starts_at,
        ends_at=ends_at,
        phone=phone,
        note=(note or "").strip(),
        now=now,
    )


@transaction.atomic
def session_answer(
    *,
    actor: "User",
    proposal: SessionProposal,
    accept: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> SessionProposal:
    """The other side accepts the proposed session or declines it with a reason.

    Accepting a window that has already begun is refused (suggest another time instead); an
    accepted session records its method as the ticket's handling method. On acceptance both
    sides are told, and the mail carries the calendar invitation (tickets.invitations); a
    decline is told to the proposing side.
    """
    now = now_or_current(now)
    ticket, proposal = _locked(proposal)
    _check_other_side(actor, ticket, proposal)
    if accept:
        if proposal.starts_at <= now:
            raise ActionNotAllowedNow(
                _("The proposed time has already come: suggest another time instead.")
            )
        note = (note or "").strip()
    else:
        note = required_text("note", note, _("Say why the proposed session does not suit."))
    proposal.status = Status.ACCEPTED if accept else Status.DECLINED
    proposal.answered_by = actor
    proposal.answered_at = now
    proposal.answer_note = note
    proposal.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
    write_event(
        ticket,
        Kind.SESSION_ACCEPTED if accept else Kind.SESSION_DECLINED,
        actor=actor,
        now=now,
        data={**_window_data(proposal), "note": note},
    )
    if accept and ticket.handling_method != proposal.method:
        _set_method(ticket, HandlingMethod(proposal.method), actor=actor, now=now)
    if actor.is_customer:
        touch_customer_activity(ticket, now)
    recipients = _other_side(actor, ticket, proposal)
    if accept:  # the invitation goes to both calendars, the answerer's too
        recipients = [*customer_side(ticket), *_vendor_recipients(ticket, proposal)]
    notify(
        actor=actor,
        ticket=ticket,
        kind=NKind.SESSION_ANSWERED,
        recipients=recipients,
        email_to_contact=True,
        data={**_window_data(proposal), "accepted": accept},
        now=now,
    )
    return proposal


@transaction.atomic
def session_counter(
    *,
    actor: "User",
    proposal: SessionProposal,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> SessionProposal:
    """The other side proposes another time for the same method and phone number.

    The old proposal becomes `countered`; the new one is pending, `replaces` the old one and
    belongs to the counter-proposer's side, so the first side answers it.
    """
    now = now_or_current(now)
    ticket, proposal = _locked(proposal)
    _check_other_side(actor, ticket, proposal)
    starts_at, ends_at = _check_window(starts_at, ends_at, now)
    note = (note or "").strip()
    proposal.status = Status.COUNTERED
    proposal.answered_by = actor
    proposal.answered_at = now
    proposal.answer_note = note
    proposal.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
    return _create(
        actor=actor,
        ticket=ticket,
        method=proposal.method,
        starts_at=starts_at,
        ends_at=ends_at,
        phone=proposal.phone,
        note=note,
        now=now,
        replaces=proposal,
    )
