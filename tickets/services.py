"""The write path for tickets: every change with a business rule goes through here.

Each service checks permission, runs the FSM transition, saves only the changed fields, writes
the audit event, stores notifications and queues side effects after commit. Services raise
domain errors (tickets.errors) or ValidationError; they never return HTTP.
"""

import datetime
import zoneinfo
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from accounts.models import License, normalize_license_key
from sla import services as sla_services
from sla.models import Priority
from tickets import numbering
from tickets.attachments import store_attachments, validate_uploads
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted, ConcurrentUpdate
from tickets.models import (
    Channel,
    Message,
    Notification,
    PriorityChange,
    State,
    Ticket,
    TicketEvent,
)
from tickets.notifications import notify

if TYPE_CHECKING:
    from accounts.models import User

Kind = TicketEvent.Kind
NKind = Notification.Kind

_CONCURRENT_MESSAGE = _(
    "Somebody else changed this ticket a moment ago, so your action was not saved. "
    "The page now shows the ticket as it is; what you typed is kept."
)

# What a person is told when the ticket has moved on under them (state names in the message).
_ACTION_LABELS = {
    "take": _("take this ticket into work"),
    "request_info": _("request information"),
    "provide_info": _("provide information"),
    "resolve": _("resolve this ticket"),
    "confirm": _("confirm the resolution"),
    "dispute": _("dispute the resolution"),
    "withdraw": _("withdraw this ticket"),
    "auto_close": _("close this ticket"),
    "close_confirmed": _("close this ticket"),
}


def _now(now: datetime.datetime | None) -> datetime.datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now


def _required_text(field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _event(
    ticket: Ticket,
    kind: str,
    *,
    actor: "User | None",
    now: datetime.datetime,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
        created_at=now,
    )


def _snapshot(ticket: Ticket) -> dict[str, Any]:
    return {f.attname: getattr(ticket, f.attname) for f in Ticket._meta.concrete_fields}


def _lock_current(ticket: Ticket) -> None:
    """Lock the ticket's row and load what it holds now (deadlines, priority, assignee).

    The state the person saw must still be the state in the database: if it moved, somebody
    else acted first, and this attempt is refused as a whole.
    """
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if current.state != ticket.state:
        raise ConcurrentUpdate(_CONCURRENT_MESSAGE)
    # Copied field by field: refresh_from_db would toggle the FSM field's protection on the
    # shared field object, which races between threads.
    for field in Ticket._meta.concrete_fields:
        if field.attname != "state":
            setattr(ticket, field.attname, getattr(current, field.attname))


def _save_changed(ticket: Ticket, before: dict[str, Any]) -> None:
    changed = [name for name, value in before.items() if getattr(ticket, name) != value]
    if not changed:
        return
    try:
        ticket.save(update_fields=changed)
    except ConcurrentTransition as exc:
        raise ConcurrentUpdate(_CONCURRENT_MESSAGE) from exc


def _role_may(ticket: Ticket, name: str, actor: "User") -> bool:
    """Whether `actor`'s role may run transition `name` at all, whatever the current state."""
    return any(
        t.has_perm(ticket, actor) for t in ticket.get_all_state_transitions() if t.name == name
    )


def _check_actor(ticket: Ticket, method: Callable[..., Any], actor: "User | None") -> None:
    """Refuse in the order a person understands: not yours, not your role, not now."""
    name = method.__name__
    label = _ACTION_LABELS.get(name, name)
    if actor is not None:
        _require_visible(ticket, actor)  # first: an outsider learns nothing of the state
        if not _role_may(ticket, name, actor):
            raise ActionNotPermitted(_("You are not allowed to %(action)s.") % {"action": label})
    if not can_proceed(method):
        raise ActionNotAllowedNow(
            _("You cannot %(action)s: the ticket is “%(state)s” now.")
            % {"action": label, "state": ticket.get_state_display()}
        )
    if actor is not None and not has_transition_perm(method, actor):
        raise ActionNotPermitted(_("You are not allowed to %(action)s.") % {"action": label})


def _transition(
    ticket: Ticket,
    name: str,
    *,
    actor: "User | None",
    now: datetime.datetime,
    data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> TicketEvent:
    """Run one FSM transition as `actor` (None: the system), save it, and audit it."""
    _lock_current(ticket)
    method = getattr(ticket, name)
    _check_actor(ticket, method, actor)
    before = _snapshot(ticket)
    from_state = ticket.state
    method(now=now, **kwargs)
    sla_services.apply_clock(ticket, previous_state=from_state, now=now)
    _save_changed(ticket, before)
    return _event(
        ticket, name, actor=actor, now=now, from_state=from_state, to_state=ticket.state, data=data
    )


def _customer_side(ticket: Ticket) -> list["User"]:
    return [ticket.customer]


def _vendor_side(ticket: Ticket) -> list["User"]:
    return [ticket.assignee] if ticket.assignee_id else []


# --- registration -----------------------------------------------------------------------------


def _license_for_filing(*, key: str, organization_id: int, day: datetime.date) -> License:
    normalized = normalize_license_key(key)
    if not normalized:
        raise ValidationError({"license_key": _("Enter the license key.")})
    license_ = License.objects.select_related("tier").filter(key=normalized).first()
    if license_ is None:
        raise ValidationError(
            {
                "license_key": _("No license with the key %(key)s exists. Check the key.")
                % {"key": normalized}
            }
        )
    if license_.organization_id != organization_id:
        raise ValidationError(
            {
                "license_key": _("The license %(key)s does not belong to your organization.")
                % {"key": normalized}
            }
        )
    if day > license_.support_ends_on:
        raise ValidationError(
            {
                "license_key": _(
                    "Support under the license %(key)s ended on %(date)s. Renew it to file tickets."
                )
                % {"key": normalized, "date": license_.support_ends_on.isoformat()}
            }
        )
    if day < license_.support_starts_on:
        raise ValidationError(
            {
                "license_key": _("Support under the license %(key)s starts on %(date)s.")
                % {"key": normalized, "date": license_.support_starts_on.isoformat()}
            }
        )
    return license_


def _priority(value: "Priority | str") -> Priority:
    if isinstance(value, Priority):
        return value
    priority = Priority.objects.filter(pk=value).first()
    if priority is None:
        raise ValidationError({"priority": _("Choose a priority.")})
    return priority


@transaction.atomic
def ticket_register(
    *,
    actor: "User",
    license_key: str,
    product_version: str,
    subject: str,
    description: str,
    diagnostics: str,
    priority: "Priority | str",
    contact_email: str = "",
    customer: "User | None" = None,
    files: Sequence[UploadedFile] = (),
    now: datetime.datetime | None = None,
) -> Ticket:
    """Register a ticket (regulation 2.2–2.3): number it, compute deadlines, mail the number.

    A customer files for their own organization. An engineer may register a ticket on a
    customer's behalf after a hotline call (`customer` required; channel `hotline`).
    Raises ValidationError keyed by field for bad input; nothing is saved then.
    """
    now = _now(now)
    if actor.is_engineer:
        if customer is None or not customer.is_customer:
            raise ValidationError({"customer": _("Choose the customer who called the hotline.")})
        channel = Channel.HOTLINE
    elif actor.is_customer and actor.is_active:
        if customer is not None and customer.pk != actor.pk:
            raise ActionNotPermitted(_("Customers file tickets for themselves."))
        customer, channel = actor, Channel.PORTAL
    else:
        raise ActionNotPermitted(_("Only customers and support engineers can file tickets."))

    errors: dict[str, list[str]] = {}
    fields = {
        "product_version": (product_version, _("Enter the product version.")),
        "subject": (subject, _("Enter a subject.")),
        "description": (description, _("Describe the fault.")),
        "diagnostics": (
            diagnostics,
            _("Describe the primary diagnostics your administrator has already done."),
        ),
    }
    cleaned: dict[str, str] = {}
    for field, (value, message) in fields.items():
        try:
            cleaned[field] = _required_text(field, value, message)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    business_day = now.astimezone(zoneinfo.ZoneInfo(settings.BUSINESS_TIME_ZONE)).date()
    license_ = None
    try:
        license_ = _license_for_filing(
            key=license_key, organization_id=customer.organization_id, day=business_day
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        priority_obj = _priority(priority)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    contact_email = (contact_email or customer.email).strip()
    try:
        validate_email(contact_email)
    except ValidationError:
        errors["contact_email"] = [_("Enter a valid e-mail address.")]
    try:
        validate_uploads(files)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    assert license_ is not None  # noqa: S101 - errors would have been raised above

    ticket = Ticket(
        number=numbering.allocate_number(registered_at=now),
        organization_id=customer.organization_id,
        customer=customer,
        registered_by=actor,
        channel=channel,
        license=license_,
        tier=license_.tier,
        priority=priority_obj,
        contact_email=contact_email,
        registered_at=now,
        updated_at=now,
        last_customer_activity_at=now if channel == Channel.PORTAL else None,
        **cleaned,
    )
    sla_services.apply_deadlines(ticket)
    ticket.save(force_insert=True)
    _event(
        ticket,
        Kind.REGISTERED,
        actor=actor,
        now=now,
        to_state=ticket.state,
        data={"number": ticket.number, "channel": channel, "priority": priority_obj.pk},
    )
    store_attachments(ticket=ticket, uploader=actor, files=files, message=None, now=now)
    notify(
        ticket=ticket,
        kind=NKind.REGISTERED,
        recipients=[customer],
        email_to_contact=True,
        now=now,
    )
    return ticket


# --- conversation -----------------------------------------------------------------------------


def _add_message(
    ticket: Ticket,
    *,
    author: "User",
    kind: str,
    body: str,
    now: datetime.datetime,
    internal: bool = False,
) -> Message:
    return Message.objects.create(
        ticket=ticket, author=author, kind=kind, body=body, is_internal=internal, created_at=now
    )


def _require_visible(ticket: Ticket, actor: "User") -> None:
    if not Ticket.objects.visible_to(actor).filter(pk=ticket.pk).exists():
        raise ActionNotPermitted(_("You are not allowed to act on this ticket."))


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
    now = _now(now)
    validate_uploads(files)
    body = (body or "").strip()
    if not body and not files:
        raise ValidationError({"body": _("Write a message or attach a file.")})
    _require_visible(ticket, actor)
    if not ticket.is_open:
        raise ActionNotAllowedNow(
            _("This ticket is closed. File a new ticket if the problem came back.")
        )
    if actor.is_customer:
        if internal:
            raise ActionNotPermitted(_("Only support engineers write internal notes."))
        if ticket.state == State.AWAITING_CUSTOMER:
            return _provide_info(actor=actor, ticket=ticket, body=body, files=files, now=now)
        message = _add_message(ticket, author=actor, kind=Message.Kind.REPLY, body=body, now=now)
        store_attachments(ticket=ticket, uploader=actor, files=files, message=message, now=now)
        _touch_customer_activity(ticket, now)
        notify(ticket=ticket, kind=NKind.REPLY, recipients=_vendor_side(ticket), now=now)
        return message
    if not actor.is_engineer:
        raise ActionNotPermitted(_("You are not allowed to act on this ticket."))
    message = _add_message(
        ticket, author=actor, kind=Message.Kind.REPLY, body=body, now=now, internal=internal
    )
    store_attachments(ticket=ticket, uploader=actor, files=files, message=message, now=now)
    if not internal:
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
        notify(
            ticket=ticket,
            kind=NKind.REPLY,
            recipients=_customer_side(ticket),
            email_to_contact=True,
            now=now,
        )
    return message


# --- transitions ------------------------------------------------------------------------------


@transaction.atomic
def ticket_take(*, actor: "User", ticket: Ticket, now: datetime.datetime | None = None) -> Ticket:
    """An engineer takes the ticket into work; the first take is the reaction (PRODUCT.md §5)."""
    now = _now(now)
    first = ticket.reacted_at is None
    _transition(ticket, "take", actor=actor, now=now, engineer=actor, data={"first": first})
    return ticket


@transaction.atomic
def ticket_request_info(
    *, actor: "User", ticket: Ticket, body: str, now: datetime.datetime | None = None
) -> Message:
    """Ask the customer for diagnostics (regulation 2.4); the resolution clock pauses."""
    now = _now(now)
    body = _required_text("body", body, _("Say what information is needed."))
    _transition(ticket, "request_info", actor=actor, now=now)
    message = _add_message(ticket, author=actor, kind=Message.Kind.INFO_REQUEST, body=body, now=now)
    notify(
        ticket=ticket,
        kind=NKind.INFO_REQUESTED,
        recipients=_customer_side(ticket),
        email_to_contact=True,
        now=now,
    )
    return message


def _provide_info(
    *,
    actor: "User",
    ticket: Ticket,
    body: str,
    files: Sequence[UploadedFile],
    now: datetime.datetime,
) -> Message:
    _transition(ticket, "provide_info", actor=actor, now=now)
    message = _add_message(ticket, author=actor, kind=Message.Kind.REPLY, body=body, now=now)
    store_attachments(ticket=ticket, uploader=actor, files=files, message=message, now=now)
    notify(ticket=ticket, kind=NKind.INFO_PROVIDED, recipients=_vendor_side(ticket), now=now)
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
    now = _now(now)
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
    now = _now(now)
    result = _required_text("result", result, _("Describe the result for the customer."))
    _transition(ticket, "resolve", actor=actor, now=now)
    message = _add_message(ticket, author=actor, kind=Message.Kind.RESOLUTION, body=result, now=now)
    notify(
        ticket=ticket,
        kind=NKind.RESOLVED,
        recipients=_customer_side(ticket),
        email_to_contact=True,
        now=now,
    )
    return message


@transaction.atomic
def ticket_confirm(
    *, actor: "User", ticket: Ticket, now: datetime.datetime | None = None
) -> Ticket:
    """The customer confirms the resolution: confirmed, then closed (reason `confirmed`)."""
    now = _now(now)
    _transition(ticket, "confirm", actor=actor, now=now)
    _transition(ticket, "close_confirmed", actor=None, now=now)
    notify(ticket=ticket, kind=NKind.CONFIRMED, recipients=_vendor_side(ticket), now=now)
    return ticket


@transaction.atomic
def ticket_dispute(
    *, actor: "User", ticket: Ticket, reason: str, now: datetime.datetime | None = None
) -> Message:
    """The customer refuses the resolution with a reason (мотивированный отказ); work resumes."""
    now = _now(now)
    reason = _required_text(
        "reason", reason, _("Say why the resolution does not solve the problem.")
    )
    _transition(ticket, "dispute", actor=actor, now=now, data={"reason": reason})
    message = _add_message(ticket, author=actor, kind=Message.Kind.DISPUTE, body=reason, now=now)
    notify(ticket=ticket, kind=NKind.DISPUTED, recipients=_vendor_side(ticket), now=now)
    return message


@transaction.atomic
def ticket_withdraw(
    *, actor: "User", ticket: Ticket, reason: str = "", now: datetime.datetime | None = None
) -> Ticket:
    """The customer withdraws the ticket from any open state (close reason `withdrawn`)."""
    now = _now(now)
    reason = (reason or "").strip()
    _transition(ticket, "withdraw", actor=actor, now=now, data={"reason": reason})
    if reason:
        _add_message(ticket, author=actor, kind=Message.Kind.REPLY, body=reason, now=now)
    notify(ticket=ticket, kind=NKind.WITHDRAWN, recipients=_vendor_side(ticket), now=now)
    return ticket


@transaction.atomic
def ticket_auto_close(*, ticket: Ticket, now: datetime.datetime | None = None) -> Ticket:
    """The system closes a ticket the customer left silent (regulation 2.4)."""
    now = _now(now)
    _transition(ticket, "auto_close", actor=None, now=now)
    notify(
        ticket=ticket,
        kind=NKind.AUTO_CLOSED,
        recipients=_customer_side(ticket),
        email_to_contact=True,
        now=now,
    )
    return ticket


@transaction.atomic
def ticket_assign(
    *,
    actor: "User",
    ticket: Ticket,
    engineer: "User",
    now: datetime.datetime | None = None,
) -> Ticket:
    """An engineer hands an open ticket to another engineer (no state change)."""
    now = _now(now)
    if not actor.is_engineer:
        raise ActionNotPermitted(_("Only support engineers assign tickets."))
    if not engineer.is_engineer:
        raise ValidationError({"engineer": _("Choose an active support engineer.")})
    _lock_current(ticket)
    if not ticket.is_open:
        raise ActionNotAllowedNow(_("A closed ticket cannot be assigned."))
    before = _snapshot(ticket)
    previous = ticket.assignee_id
    ticket.assignee = engineer
    ticket.updated_at = now
    _save_changed(ticket, before)
    _event(
        ticket,
        Kind.ASSIGN,
        actor=actor,
        now=now,
        data={"from": previous, "to": engineer.pk},
    )
    if engineer.pk != actor.pk:
        notify(ticket=ticket, kind=NKind.ASSIGNED, recipients=[engineer], now=now)
    return ticket


# --- priority by agreement (regulation 2.3) ---------------------------------------------------


@transaction.atomic
def priority_change_propose(
    *,
    actor: "User",
    ticket: Ticket,
    to_priority: "Priority | str",
    reason: str,
    now: datetime.datetime | None = None,
) -> PriorityChange:
    """One side proposes a new priority with a reason; it applies only if the other side agrees."""
    now = _now(now)
    _require_visible(ticket, actor)
    if not (actor.is_engineer or actor.is_customer):
        raise ActionNotPermitted(_("You are not allowed to act on this ticket."))
    if not ticket.is_open:
        raise ActionNotAllowedNow(_("The priority of a closed ticket cannot change."))
    reason = _required_text("reason", reason, _("Give a reason for the new priority."))
    new = _priority(to_priority)
    if new.pk == ticket.priority_id:
        raise ValidationError({"to_priority": _("The ticket already has this priority.")})
    if PriorityChange.objects.filter(ticket=ticket, status=PriorityChange.Status.PENDING).exists():
        raise ActionNotAllowedNow(_("This ticket already has a pending priority proposal."))
    change = PriorityChange.objects.create(
        ticket=ticket,
        proposed_by=actor,
        from_priority_id=ticket.priority_id,
        to_priority=new,
        reason=reason,
        created_at=now,
    )
    _event(
        ticket,
        Kind.PRIORITY_PROPOSED,
        actor=actor,
        now=now,
        data={"change": change.pk, "from": ticket.priority_id, "to": new.pk, "reason": reason},
    )
    if actor.is_customer:
        _touch_customer_activity(ticket, now)
    other_side = _vendor_side(ticket) if actor.is_customer else _customer_side(ticket)
    notify(
        ticket=ticket,
        kind=NKind.PRIORITY_PROPOSED,
        recipients=other_side,
        email_to_contact=True,
        data={"to": new.pk},
        now=now,
    )
    return change


def _touch_customer_activity(ticket: Ticket, now: datetime.datetime) -> None:
    """The customer acted on the portal: the silence before auto-close starts again."""
    _lock_current(ticket)
    before = _snapshot(ticket)
    ticket.last_customer_activity_at = now
    ticket.updated_at = now
    sla_services.refresh_silence(ticket)
    _save_changed(ticket, before)


@transaction.atomic
def priority_change_answer(
    *,
    actor: "User",
    change: PriorityChange,
    accept: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> PriorityChange:
    """The other side accepts or declines; on acceptance the deadlines are recomputed."""
    now = _now(now)
    ticket = Ticket.objects.select_for_update().get(pk=change.ticket_id)
    change = PriorityChange.objects.select_for_update().get(pk=change.pk)
    _require_visible(ticket, actor)
    if change.status != PriorityChange.Status.PENDING:
        raise ActionNotAllowedNow(_("This proposal has already been answered."))
    proposer_is_vendor = change.proposed_by.is_engineer
    may_answer = actor.is_customer if proposer_is_vendor else actor.is_engineer
    if not may_answer:
        raise ActionNotPermitted(_("The other side answers a priority proposal."))
    if not ticket.is_open:
        raise ActionNotAllowedNow(_("The priority of a closed ticket cannot change."))
    change.status = PriorityChange.Status.ACCEPTED if accept else PriorityChange.Status.DECLINED
    change.decided_by = actor
    change.decided_at = now
    change.decision_note = (note or "").strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if accept:
        before = _snapshot(ticket)
        ticket.priority_id = change.to_priority_id
        # Finished pauses are replayed; a running one stays running (resolution_paused_at).
        sla_services.apply_deadlines(ticket)
        ticket.updated_at = now
        _save_changed(ticket, before)
    _event(
        ticket,
        Kind.PRIORITY_ACCEPTED if accept else Kind.PRIORITY_DECLINED,
        actor=actor,
        now=now,
        data={
            "change": change.pk,
            "from": change.from_priority_id,
            "to": change.to_priority_id,
            "note": change.decision_note,
        },
    )
    if actor.is_customer:
        _touch_customer_activity(ticket, now)
    notify(
        ticket=ticket,
        kind=NKind.PRIORITY_ANSWERED,
        recipients=[change.proposed_by],
        email_to_contact=True,
        data={"accepted": accept, "to": change.to_priority_id},
        now=now,
    )
    return change
