"""Helpers shared by the ticket services: locking, transitions, audit, notifications."""

import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from sla.models import Priority
from sla.selectors import kept_priority
from tickets import deadlines, signals
from tickets.clock import SILENCE_BUSINESS_DAYS
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted, ConcurrentUpdate
from tickets.models import (
    CloseReason,
    Message,
    Notification,
    State,
    Ticket,
    TicketEvent,
)
from tickets.notifications import notify
from tickets.services.closing import end_pending_agreements

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User


# What a service refuses, by field, for a form to show next to what was typed.
FieldErrors = dict[str, Sequence["StrOrPromise"]]

Kind = TicketEvent.Kind
NKind = Notification.Kind

CONCURRENT_MESSAGE = _(
    "Somebody else changed this ticket a moment ago, so your action was not saved. "
    "The page now shows the ticket as it is; what you typed is kept."
)
# The auto-close (regulation 2.4) won the race: say so rather than "somebody else".
AUTO_CLOSED_MESSAGE_TO_CUSTOMER = ngettext_lazy(
    "This ticket was closed a moment ago because it had no answer from you for more than "
    "%(days)d business day, so your action was not saved. What you typed is kept: file a new "
    "ticket if the problem remains.",
    "This ticket was closed a moment ago because it had no answer from you for more than "
    "%(days)d business days, so your action was not saved. What you typed is kept: file a new "
    "ticket if the problem remains.",
    "days",
)
AUTO_CLOSED_MESSAGE = ngettext_lazy(
    "This ticket was closed a moment ago because the customer had not answered for more than "
    "%(days)d business day, so your action was not saved. What you typed is kept.",
    "This ticket was closed a moment ago because the customer had not answered for more than "
    "%(days)d business days, so your action was not saved. What you typed is kept.",
    "days",
)

# What a person is told when the ticket has moved on under them (state names in the message).
ACTION_LABELS = {
    "take": _("take this ticket into work"),
    "request_info": _("request information"),
    "provide_info": _("provide information"),
    "resolve": _("resolve this ticket"),
    "confirm": _("confirm the resolution"),
    "dispute": _("dispute the resolution"),
    "withdraw": _("withdraw this ticket"),
    "auto_close": _("close this ticket"),
    "close_confirmed": _("close this ticket"),
    "merge": _("merge this ticket into another"),
}


def now_or_current(now: datetime.datetime | None) -> datetime.datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now


def required_text(field: str, value: str, message: "StrOrPromise") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def write_event(
    ticket: Ticket,
    kind: str,
    *,
    actor: "User | None",
    now: datetime.datetime,
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    event = TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
        created_at=now,
    )
    signals.events_recorded.send(sender=TicketEvent, events=[event])
    return event


def _loaded_fields(ticket: Ticket) -> list[Any]:
    """The ticket's fields its row was read with. A deferred one (the search document, which
    the manager never reads) would be fetched by reading it, and Django fetches it through
    refresh_from_db: two queries per ticket, and django-fsm's refresh_from_db switches the
    state field's protection off and on for every thread at once, so that a sweep running
    beside another once failed with "Direct state modification is not allowed"."""
    deferred = ticket.get_deferred_fields()
    return [f for f in Ticket._meta.concrete_fields if f.attname not in deferred]


def snapshot(ticket: Ticket) -> dict[str, Any]:
    return {f.attname: getattr(ticket, f.attname) for f in _loaded_fields(ticket)}


def lock_current(ticket: Ticket, *, actor: "User | None" = None) -> None:
    """Lock the ticket's row and load what it holds now (deadlines, priority, assignee).

    The state the person saw must still be the state in the database: if it moved, somebody
    else acted first, and this attempt is refused as a whole. A ticket the auto-close took
    meanwhile is named as such (to `actor`, the customer, as their own silence).
    """
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if current.state != ticket.state:
        if (
            current.state == State.CLOSED
            and current.close_reason == CloseReason.NO_CUSTOMER_RESPONSE
        ):
            to_customer = actor is not None and not actor.is_engineer
            message = AUTO_CLOSED_MESSAGE_TO_CUSTOMER if to_customer else AUTO_CLOSED_MESSAGE
            raise ConcurrentUpdate(message % {"days": SILENCE_BUSINESS_DAYS})
        raise ConcurrentUpdate(CONCURRENT_MESSAGE)
    # Copied field by field: refresh_from_db would toggle the FSM field's protection on the
    # shared field object, which races between threads (and so would reading a deferred one).
    for field in _loaded_fields(current):
        if field.attname != "state":
            setattr(ticket, field.attname, getattr(current, field.attname))


def lock_in_order(*tickets: Ticket) -> dict[int, Ticket]:
    """Lock the rows of `tickets` in the order of their ids (two merges or links of the same
    pair never wait on each other crosswise) and return them as they are now, by id."""
    ids = sorted({ticket.pk for ticket in tickets})
    locked = Ticket.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {current.pk: current for current in locked}


def save_changed(ticket: Ticket, before: dict[str, Any]) -> None:
    changed = [name for name, value in before.items() if getattr(ticket, name) != value]
    if not changed:
        return
    try:
        ticket.save(update_fields=changed)
    except ConcurrentTransition as exc:
        raise ConcurrentUpdate(CONCURRENT_MESSAGE) from exc


def role_may(ticket: Ticket, name: str, actor: "User") -> bool:
    """Whether `actor`'s role may run transition `name` at all, whatever the current state."""
    return any(
        t.has_perm(ticket, actor) for t in ticket.get_all_state_transitions() if t.name == name
    )


def check_actor(ticket: Ticket, method: Callable[..., Any], actor: "User | None") -> None:
    """Refuse in the order a person understands: not yours, not your role, not now."""
    name = method.__name__
    label = ACTION_LABELS.get(name, name)
    if actor is not None:
        require_visible(ticket, actor)  # first: an outsider learns nothing of the state
        check_organization_active(actor)
        if not role_may(ticket, name, actor):
            raise ActionNotPermitted(_("You are not allowed to %(action)s.") % {"action": label})
    if not can_proceed(method):
        raise ActionNotAllowedNow(
            _("You cannot %(action)s: the ticket is “%(state)s” now.")
            % {"action": label, "state": ticket.get_state_display()}
        )
    if actor is not None and not has_transition_perm(method, actor):
        raise ActionNotPermitted(_("You are not allowed to %(action)s.") % {"action": label})


def run_transition(
    ticket: Ticket,
    name: str,
    *,
    actor: "User | None",
    now: datetime.datetime,
    data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> TicketEvent:
    """Run one FSM transition as `actor` (None: the system), save it, and audit it."""
    lock_current(ticket, actor=actor)
    method = getattr(ticket, name)
    check_actor(ticket, method, actor)
    before = snapshot(ticket)
    from_state = ticket.state
    method(now=now, **kwargs)
    deadlines.apply_clock(ticket, previous_state=from_state, now=now)
    save_changed(ticket, before)
    event = write_event(
        ticket, name, actor=actor, now=now, from_state=from_state, to_state=ticket.state, data=data
    )
    if ticket.state == State.CLOSED:
        end_pending_agreements(tickets=[ticket], now=now, actor=actor)
    return event


def customer_side(ticket: Ticket) -> list["User"]:
    return [ticket.customer]


def vendor_side(ticket: Ticket) -> list["User"]:
    return [ticket.assignee] if ticket.assignee is not None else []


def notify_customer(
    ticket: Ticket,
    kind: str,
    *,
    now: datetime.datetime,
    data: dict[str, Any] | None = None,
    actor: "User | None" = None,
) -> None:
    """Tell the customer side: on the portal, and by mail to the ticket's contact (2.3)."""
    notify(
        actor=actor,
        ticket=ticket,
        kind=kind,
        recipients=customer_side(ticket),
        email_to_contact=True,
        data=data,
        now=now,
    )


def notify_vendor(
    ticket: Ticket,
    kind: str,
    *,
    now: datetime.datetime,
    data: dict[str, Any] | None = None,
    actor: "User | None" = None,
) -> None:
    """Tell the vendor side: the assignee (nobody while the ticket is unassigned)."""
    notify(
        actor=actor, ticket=ticket, kind=kind, recipients=vendor_side(ticket), data=data, now=now
    )


def add_message(
    ticket: Ticket,
    *,
    author: "User",
    kind: str,
    body: str,
    now: datetime.datetime,
    internal: bool = False,
    needs: Sequence[str] = (),
    mentions: Sequence[str] = (),
) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        author=author,
        kind=kind,
        body=body,
        is_internal=internal,
        needs=list(needs),
        mentions=list(mentions),
        created_at=now,
    )
    signals.message_posted.send(sender=Message, message=message)
    return message


def check_organization_active(customer: "User") -> None:
    """A deactivated organization's people file and write nothing (their support ended)."""
    organization = customer.organization
    if customer.is_customer and organization is not None and not organization.is_active:
        raise ActionNotPermitted(
            _(
                "%(organization)s is deactivated on the portal: its people cannot file "
                "tickets or write in them any more."
            )
            % {"organization": organization}
        )


def require_visible(ticket: Ticket, actor: "User") -> None:
    if not Ticket.objects.visible_to(actor).filter(pk=ticket.pk).exists():
        raise ActionNotPermitted(_("You are not allowed to act on this ticket."))


def touch_customer_activity(ticket: Ticket, now: datetime.datetime) -> None:
    """The customer acted on the portal: the silence before auto-close starts again."""
    lock_current(ticket)
    before = snapshot(ticket)
    ticket.last_customer_activity_at = now
    ticket.updated_at = now
    deadlines.refresh_silence(ticket)
    save_changed(ticket, before)


def priority_from(value: "Priority | str") -> Priority:
    if isinstance(value, Priority):
        return value
    priority = kept_priority(value)  # reference data kept per process: no query
    if priority is None:
        raise ValidationError({"priority": _("Choose a priority.")})
    return priority
