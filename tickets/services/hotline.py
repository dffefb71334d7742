"""The hotline log (docs/regulation.md): every call an engineer takes is logged, with its caller,
organization, time, outcome and the ticket registered or linked.

Who may call for what is ticket_register's business (Extended support; Premium's hotline for
Critical problems only): registering a ticket during a call goes through it, and the call is
logged in the same transaction, so a refused registration logs nothing.
"""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sla.models import Priority
from tickets.errors import ActionNotPermitted
from tickets.models import Channel, HotlineCall, Ticket
from tickets.services._base import FieldErrors, Kind, now_or_current, write_event
from tickets.services.registration import ticket_register

if TYPE_CHECKING:
    from accounts.models import License, Organization, User

Outcome = HotlineCall.Outcome

# Outcomes that name the ticket the call was about; the others stand alone.
TICKET_OUTCOMES = frozenset({Outcome.REGISTERED, Outcome.LINKED})


def _field_length(errors: FieldErrors, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = [
            _("Keep it under %(limit)d characters.") % {"limit": limit},
        ]


def _check_caller(caller: "User | None", caller_name: str, caller_phone: str) -> FieldErrors:
    if caller is not None:
        if not (caller.is_customer and caller.is_active):
            return {"caller": [_("Choose an active customer account as the caller.")]}
        return {}
    if not (caller_name or caller_phone):
        return {
            "caller_name": [
                _("Enter the caller's name or phone, or choose the caller among the customers.")
            ]
        }
    return {}


def _check_ticket(
    *, outcome: str, ticket: Ticket | None, actor: "User", caller: "User | None"
) -> FieldErrors:
    if outcome not in TICKET_OUTCOMES:
        if ticket is not None:
            return {"ticket": [_("Choose “About an existing ticket” to link the call to it.")]}
        return {}
    if ticket is None:
        return {"ticket": [_("Enter the number of the ticket the call is about.")]}
    if outcome == Outcome.REGISTERED:
        registered_here = (
            ticket.channel == Channel.HOTLINE
            and ticket.registered_by_id == actor.pk
            and (caller is None or ticket.customer_id == caller.pk)
            and not HotlineCall.objects.filter(ticket=ticket, outcome=Outcome.REGISTERED).exists()
        )
        if not registered_here:
            return {
                "ticket": [
                    _(
                        "This ticket was not registered during this call: log the call as "
                        "“About an existing ticket”."
                    )
                ]
            }
    return {}


def _organization_of(
    *,
    caller: "User | None",
    organization: "Organization | None",
    license: "License | None",
    ticket: Ticket | None,
) -> tuple["Organization | None", FieldErrors]:
    """The call's organization: the known caller's fixes it; else the one chosen, the
    license's or the ticket's. The license and the ticket must be that organization's."""
    if caller is not None and caller.organization_id:
        if organization is not None and organization.pk != caller.organization_id:
            return organization, {
                "organization": [
                    _("The caller belongs to %(organization)s.")
                    % {"organization": caller.organization}
                ]
            }
        organization = caller.organization
    if organization is None and license is not None:
        organization = license.organization
    if organization is None and ticket is not None:
        organization = ticket.organization
    errors: FieldErrors = {}
    if license is not None and organization and license.organization_id != organization.pk:
        errors["license"] = [
            _("This license does not belong to %(organization)s.") % {"organization": organization}
        ]
    if ticket is not None and organization and ticket.organization_id != organization.pk:
        errors["ticket"] = [
            _("Ticket %(number)s does not belong to %(organization)s.")
            % {"number": ticket.number, "organization": organization}
        ]
    return organization, errors


def _call_errors(
    *,
    outcome: str,
    called_at: datetime.datetime,
    now: datetime.datetime,
    caller: "User | None",
    caller_name: str,
    caller_phone: str,
    ticket: Ticket | None,
    actor: "User",
    notes: str,
) -> FieldErrors:
    """What is wrong with a call's own fields, by field (all at once)."""
    errors: FieldErrors = {}
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose the outcome of the call.")]
    if called_at > now:
        errors["called_at"] = [_("The call cannot be later than now.")]
    errors.update(_check_caller(caller, caller_name, caller_phone))
    _field_length(errors, "caller_name", caller_name, 200)
    _field_length(errors, "caller_phone", caller_phone, 40)
    errors.update(_check_ticket(outcome=outcome, ticket=ticket, actor=actor, caller=caller))
    if outcome == Outcome.OTHER and not notes:
        errors["notes"] = [_("Say in the notes what the call was about.")]
    return errors


def _organization_or_raise(
    errors: FieldErrors,
    *,
    caller: "User | None",
    organization: "Organization | None",
    license: "License | None",
    ticket: Ticket | None,
) -> "Organization | None":
    """The call's organization, once every problem found so far and its own are raised."""
    organization, organization_errors = _organization_of(
        caller=caller, organization=organization, license=license, ticket=ticket
    )
    for field, messages in organization_errors.items():
        errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    return organization


@transaction.atomic
def hotline_call_log(
    *,
    actor: "User",
    outcome: str,
    called_at: datetime.datetime | None = None,
    caller: "User | None" = None,
    caller_name: str = "",
    caller_phone: str = "",
    organization: "Organization | None" = None,
    license: "License | None" = None,
    ticket: Ticket | None = None,
    notes: str = "",
    now: datetime.datetime | None = None,
) -> HotlineCall:
    """Log one hotline call taken by `actor` (an engineer); see _call_errors and
    _organization_of for what a call must say. `registered` needs the ticket registered during
    this call (hotline_call_register); a named ticket gets a `hotline_call` audit event.
    Raises ActionNotPermitted, or ValidationError keyed by field."""
    now = now_or_current(now)
    if not actor.is_engineer:
        raise ActionNotPermitted(_("Only support engineers log hotline calls."))
    called_at = called_at or now
    if timezone.is_naive(called_at):
        raise ValueError("called_at must be an aware datetime")
    caller_name, caller_phone, notes = (
        (v or "").strip() for v in (caller_name, caller_phone, notes)
    )

    errors = _call_errors(
        outcome=outcome,
        called_at=called_at,
        now=now,
        caller=caller,
        caller_name=caller_name,
        caller_phone=caller_phone,
        ticket=ticket,
        actor=actor,
        notes=notes,
    )
    organization = _organization_or_raise(
        errors, caller=caller, organization=organization, license=license, ticket=ticket
    )

    call = HotlineCall.objects.create(
        engineer=actor,
        called_at=called_at,
        caller=caller,
        caller_name=caller_name or (str(caller) if caller else ""),
        caller_phone=caller_phone,
        organization=organization,
        license=license,
        outcome=outcome,
        ticket=ticket,
        notes=notes,
    )
    _audit_on_ticket(call, actor=actor, now=now)
    return call


def _audit_on_ticket(call: HotlineCall, *, actor: "User", now: datetime.datetime) -> None:
    """A call about a ticket is part of the ticket's history."""
    if call.ticket is None:
        return
    data = {"call": call.pk, "outcome": call.outcome, "called_at": call.called_at.isoformat()}
    write_event(call.ticket, Kind.HOTLINE_CALL, actor=actor, now=now, data=data)


@transaction.atomic
def hotline_call_register(
    *,
    actor: "User",
    caller: "User | None",
    license: "License | None",
    product_version: str,
    subject: str,
    description: str,
    diagnostics: str,
    priority: "Priority | str",
    contact_email: str = "",
    files: Sequence[UploadedFile] = (),
    called_at: datetime.datetime | None = None,
    caller_phone: str = "",
    notes: str = "",
    now: datetime.datetime | None = None,
) -> HotlineCall:
    """Register a ticket for the caller (tickets.services.ticket_register, channel `hotline`)
    and log the call with the outcome `registered`, in one transaction: if either is refused,
    neither is saved. Errors are keyed by field; the license's is `license`."""
    now = now_or_current(now)
    if not actor.is_engineer:
        raise ActionNotPermitted(_("Only support engineers log hotline calls."))
    errors: FieldErrors = {}
    if caller is None:
        errors["caller"] = [_("Choose the customer who called.")]
    if license is None:
        errors["license"] = [_("Choose the license the caller names.")]
    if caller is not None:
        try:
            ticket = ticket_register(
                actor=actor,
                customer=caller,
                license_key=license.key if license else "",
                product_version=product_version,
                subject=subject,
                description=description,
                diagnostics=diagnostics,
                priority=priority,
                contact_email=contact_email,
                files=files,
                now=now,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = {"license_key": "license", "customer": "caller"}.get(field, field)
                errors.setdefault(target, messages)
    if errors:
        raise ValidationError(errors)
    return hotline_call_log(
        actor=actor,
        outcome=Outcome.REGISTERED,
        called_at=called_at,
        caller=caller,
        caller_phone=caller_phone,
        license=ticket.license,
        ticket=ticket,
        notes=notes,
        now=now,
    )
