"""Registering tickets (regulation 2.2-2.3)."""

import dataclasses
import datetime
import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import License, User, email_is, normalize_license_key
from helpdesk.compiled import CompiledRead, Slot
from knowledge.models import ChecklistItem, ProductArea
from sla.business_time import business_date
from sla.models import Priority, Tier
from tickets import deadlines, numbering
from tickets.attachments import store_attachments, validate_uploads
from tickets.errors import ActionNotPermitted
from tickets.models import (
    Channel,
    Ticket,
)
from tickets.notifications import notify
from tickets.services import assignment
from tickets.services._base import (
    FieldErrors,
    Kind,
    NKind,
    check_organization_active,
    now_or_current,
    priority_from,
    required_text,
    write_event,
)

T = TypeVar("T")

# A new ticket of these priorities alerts every engineer at once (portal and mail).
ALERT_PRIORITIES = frozenset({"critical", "high"})

# Premium's hotline is for emergencies (Critical) only; Platinum's takes any priority
# (docs/regulation.md). Tier and priority codes are fixed (sla.defaults); their texts are editable.
HOTLINE_EMERGENCIES_ONLY_TIERS = frozenset({"premium"})
HOTLINE_EMERGENCY_PRIORITY = "critical"


# Every filing reads it: compiled once per process (helpdesk/compiled.py). The key is unique:
# no ORDER BY (first() and the model's ordering would add one).
_LICENSE_BY_KEY = CompiledRead(
    lambda key: License.objects.select_related("tier").filter(key=key).order_by()[:1],
    key=Slot("text"),
)


def _license_for_filing(*, key: str, organization_id: int | None, day: datetime.date) -> License:
    normalized = normalize_license_key(key)
    if not normalized:
        raise ValidationError({"license_key": _("Enter the license key.")})
    found = _LICENSE_BY_KEY.rows(key=normalized)
    license_ = found[0] if found else None
    if license_ is None or license_.organization_id != organization_id:
        # One message for a key that does not exist and for another organization's: the form
        # must not tell a stranger which keys are real.
        raise ValidationError(
            {
                "license_key": _(
                    "Your organization has no license with the key %(key)s. Check the key."
                )
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


def hotline_for_emergencies_only(tier: Tier) -> bool:
    """Whether the tier's hotline takes Critical problems only (Premium) or any priority."""
    return tier.pk in HOTLINE_EMERGENCIES_ONLY_TIERS


def _hotline_errors(license_: License, priority: Priority | None) -> FieldErrors:
    """The hotline's own rules (docs/regulation.md, 2.1-2.2): Extended support only, and
    Premium's hotline for emergencies (Critical) only; Platinum's takes any priority."""
    if not license_.tier.extended:
        message = _(
            "This license has %(tier)s support, which has no hotline: the customer files "
            "the ticket on the portal."
        ) % {"tier": license_.tier.label}
        return {"license_key": [message]}
    if (
        priority is not None
        and hotline_for_emergencies_only(license_.tier)
        and priority.pk != HOTLINE_EMERGENCY_PRIORITY
    ):
        emergencies_only = _(
            "Premium support's hotline is for Critical problems; the customer files other "
            "tickets on the portal."
        )
        return {"priority": [emergencies_only]}
    return {}


def _filer(actor: "User", customer: "User | None") -> tuple["User", str]:
    """Whose ticket it is and through which channel: a customer files their own on the
    portal; an engineer registers a caller's after a hotline call."""
    if actor.is_engineer:
        if customer is None or not customer.is_customer or not customer.is_active:
            raise ValidationError({"customer": _("Choose the customer who called the hotline.")})
        check_organization_active(customer)
        return customer, Channel.HOTLINE
    if actor.is_customer and actor.is_active:
        if customer is not None and customer.pk != actor.pk:
            raise ActionNotPermitted(_("Customers file tickets for themselves."))
        check_organization_active(actor)
        return actor, Channel.PORTAL
    raise ActionNotPermitted(_("Only customers and support engineers can file tickets."))


def _collect(errors: FieldErrors, check: Callable[[], T]) -> T | None:
    """Run one check; its ValidationError joins `errors` (every problem is told at once)."""
    try:
        return check()
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return None


def _required_texts(errors: FieldErrors, **values: str) -> dict[str, str]:
    messages = {
        "product_version": _("Enter the product version."),
        "subject": _("Enter a subject."),
        "description": _("Describe the fault."),
        "diagnostics": _("Describe the primary diagnostics your administrator has already done."),
    }
    cleaned = {}
    for field, value in values.items():
        text = _collect(errors, functools.partial(required_text, field, value, messages[field]))
        if text is not None:
            cleaned[field] = text
    return cleaned


def _member_contact(email: str, customer: "User") -> str:
    """The contact's address as stored: an active person of the customer's organization.
    The portal mails only them; any other address, however well formed, is refused. The
    customer's own address (the usual choice) needs no query."""
    if customer.is_active and email.strip().lower() == customer.email.lower():
        return customer.email
    organization = customer.organization
    member = (
        organization.members.filter(email_is(email), is_active=True)
        .values_list("email", flat=True)
        .first()
        if organization is not None
        else None
    )
    if member is None:
        raise ValidationError(
            {
                "contact_email": _(
                    "Choose the contact among the active people of %(organization)s."
                )
                % {"organization": customer.organization}
            }
        )
    return member


@dataclasses.dataclass(frozen=True)
class _Filing:
    """A filing whose every field passed its checks."""

    license: License
    priority: Priority
    contact_email: str
    texts: dict[str, str]


def _checked_filing(
    *,
    customer: "User",
    channel: str,
    license_key: str,
    priority: "Priority | str",
    contact_email: str,
    files: Sequence[UploadedFile],
    now: datetime.datetime,
    texts: dict[str, str],
) -> _Filing:
    """Every check of a filing (2.2): all problems are raised together, keyed by field."""
    errors: FieldErrors = {}
    cleaned = _required_texts(errors, **texts)
    day = business_date(now)
    license_ = _collect(
        errors,
        lambda: _license_for_filing(
            key=license_key, organization_id=customer.organization_id, day=day
        ),
    )
    if license_ is not None and not customer.may_file_for(license_):
        errors["license_key"] = [_not_allowed_to_file(license_, customer, channel)]
        license_ = None
    priority_obj = _collect(errors, lambda: priority_from(priority))
    if license_ is not None and channel == Channel.HOTLINE:
        errors.update(_hotline_errors(license_, priority_obj))
    contact = _collect(
        errors, lambda: _member_contact((contact_email or customer.email).strip(), customer)
    )
    _collect(errors, lambda: validate_uploads(files))
    if errors or license_ is None or priority_obj is None or contact is None:
        raise ValidationError(errors)
    return _Filing(license_, priority_obj, contact, cleaned)


def _not_allowed_to_file(license_: License, customer: "User", channel: str) -> str:
    """The organization admin chose which licenses this person files for (issue 15)."""
    if channel == Channel.HOTLINE:
        return _(
            "%(person)s may not file tickets for the license %(key)s: their organization admin "
            "chose other licenses for them."
        ) % {"person": customer, "key": license_.key}
    return _(
        "You may not file tickets for the license %(key)s: your organization admin chose "
        "which licenses you file for. Choose one of yours, or ask them."
    ) % {"key": license_.key}


def _new_ticket(
    filing: _Filing, *, customer: "User", actor: "User", channel: str, now: datetime.datetime
) -> Ticket:
    return Ticket(
        number=numbering.allocate_number(registered_at=now),
        organization_id=customer.organization_id,
        customer=customer,
        registered_by=actor,
        channel=channel,
        license=filing.license,
        tier=filing.license.tier,  # copied: a later contract change moves no deadline
        priority=filing.priority,
        contact_email=filing.contact_email,
        registered_at=now,
        updated_at=now,
        last_customer_activity_at=now if channel == Channel.PORTAL else None,
        **filing.texts,
    )


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
    product_area: ProductArea | None = None,
    checklist: Sequence[int] = (),
) -> Ticket:
    """Register a ticket (regulation 2.2-2.3): number it, compute deadlines, assign it when
    auto-assignment is on (issue 18, `assignment`), mail the number. `checklist`: the ids of
    the ticked items of `product_area`'s diagnostics checklist (issue 17), kept as texts.

    A customer files for their own organization; an engineer registers a caller's ticket
    after a hotline call (`customer` required). Bad input: ValidationError keyed by field.
    """
    now = now_or_current(now)
    customer, channel = _filer(actor, customer)
    filing, ticked = _checked_with_checklist(
        product_area,
        checklist,
        customer=customer,
        channel=channel,
        license_key=license_key,
        priority=priority,
        contact_email=contact_email,
        files=files,
        now=now,
        texts={
            "product_version": product_version,
            "subject": subject,
            "description": description,
            "diagnostics": diagnostics,
        },
    )
    ticket = _new_ticket(filing, customer=customer, actor=actor, channel=channel, now=now)
    ticket.product_area = product_area
    ticket.checklist_done = ticked
    deadlines.apply_deadlines(ticket)
    decision = assignment.assign_new_ticket(ticket, now=now)
    ticket.save(force_insert=True)
    write_event(
        ticket,
        Kind.REGISTERED,
        actor=actor,
        now=now,
        to_state=ticket.state,
        data={"number": ticket.number, "channel": channel, "priority": filing.priority.pk},
    )
    assignment.record_assignment(ticket, decision, now=now)
    store_attachments(ticket=ticket, uploader=actor, files=files, message=None, now=now)
    _announce(ticket, now=now)
    return ticket


def _checked_with_checklist(
    area: ProductArea | None, checklist: Sequence[int], **filing: Any
) -> tuple[_Filing, list[dict[str, str]]]:
    """`_checked_filing` and the ticked checklist, their problems told together."""
    errors: FieldErrors = {}
    ticked = _collect(errors, lambda: _ticked(area, checklist))
    checked = _collect(errors, lambda: _checked_filing(**filing))
    if errors or checked is None or ticked is None:
        raise ValidationError(errors)
    return checked, ticked


def _ticked(area: ProductArea | None, ids: Sequence[int]) -> list[dict[str, str]]:
    """The ticked items of the area's active checklist, as texts in both languages. An item
    of another area (the form shows every area's list without its script) is refused."""
    wanted = {int(pk) for pk in ids}
    if not wanted:
        return []
    items = list(ChecklistItem.objects.filter(pk__in=wanted, active=True).order_by("rank", "id"))
    if area is None or len(items) != len(wanted) or any(i.area_id != area.pk for i in items):
        raise ValidationError(
            {
                "checklist": _(
                    "Tick only the steps listed under the product area you chose, or choose "
                    "the area whose steps you ticked."
                )
            }
        )
    return [{"en": item.text, "ru": item.text_ru} for item in items]


def _announce(ticket: Ticket, *, now: datetime.datetime) -> None:
    """The number goes to the customer's contact at once (2.3); a Critical or High ticket
    alerts every engineer without waiting for the 80 % warning."""
    notify(
        ticket=ticket,
        kind=NKind.REGISTERED,
        recipients=[ticket.customer],
        email_to_contact=True,
        now=now,
    )
    if ticket.priority_id in ALERT_PRIORITIES:
        notify(
            ticket=ticket,
            kind=NKind.URGENT_REGISTERED,
            recipients=User.objects.engineers(),
            now=now,
        )
