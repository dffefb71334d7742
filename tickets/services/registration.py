"""Registering tickets (regulation 2.2-2.3)."""

import datetime
import zoneinfo
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import License, User, normalize_license_key
from sla.models import Priority, Tier
from tickets import deadlines, numbering
from tickets.attachments import store_attachments, validate_uploads
from tickets.errors import ActionNotPermitted
from tickets.models import (
    Channel,
    Ticket,
)
from tickets.notifications import notify
from tickets.services._base import (
    FieldErrors,
    Kind,
    NKind,
    now_or_current,
    priority_from,
    required_text,
    write_event,
)

# A new ticket of these priorities alerts every engineer at once (portal and mail).
ALERT_PRIORITIES = frozenset({"critical", "high"})

# Premium's hotline is for emergencies (Critical) only; Platinum's takes any priority
# (docs/regulation.md). Tier and priority codes are fixed (sla.defaults); their texts are editable.
HOTLINE_EMERGENCIES_ONLY_TIERS = frozenset({"premium"})
HOTLINE_EMERGENCY_PRIORITY = "critical"


def _license_for_filing(*, key: str, organization_id: int | None, day: datetime.date) -> License:
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
    customer's behalf after a hotline call (`customer` required; channel `hotline`; Extended
    support only, and on Premium for a Critical problem only).
    Raises ValidationError keyed by field for bad input; nothing is saved then.
    """
    now = now_or_current(now)
    if actor.is_engineer:
        if customer is None or not customer.is_customer or not customer.is_active:
            raise ValidationError({"customer": _("Choose the customer who called the hotline.")})
        channel = Channel.HOTLINE
    elif actor.is_customer and actor.is_active:
        if customer is not None and customer.pk != actor.pk:
            raise ActionNotPermitted(_("Customers file tickets for themselves."))
        customer, channel = actor, Channel.PORTAL
    else:
        raise ActionNotPermitted(_("Only customers and support engineers can file tickets."))

    errors: FieldErrors = {}
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
            cleaned[field] = required_text(field, value, message)
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
    priority_obj = None
    try:
        priority_obj = priority_from(priority)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if license_ is not None and channel == Channel.HOTLINE:
        errors.update(_hotline_errors(license_, priority_obj))
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
    assert priority_obj is not None  # noqa: S101

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
    deadlines.apply_deadlines(ticket)
    ticket.save(force_insert=True)
    write_event(
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
    if priority_obj.pk in ALERT_PRIORITIES:  # no waiting for the 80 % warning
        notify(
            ticket=ticket,
            kind=NKind.URGENT_REGISTERED,
            recipients=User.objects.engineers(),
            now=now,
        )
    return ticket
