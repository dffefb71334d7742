"""Registering, enabling and removing webhook endpoints (engineers and admins)."""

import datetime
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tickets.errors import ActionNotPermitted
from webhooks.models import EventKind, WebhookEndpoint


def may_manage(user: User) -> bool:
    return user.is_engineer or user.is_staff


def endpoints_of(user: User):
    """An admin sees every endpoint, an engineer their own, anyone else none."""
    if user.is_staff:
        return WebhookEndpoint.objects.all()
    if user.is_engineer:
        return WebhookEndpoint.objects.filter(owner=user)
    return WebhookEndpoint.objects.none()


def _check(url: str, kinds: Any) -> dict[str, list]:
    errors: dict[str, list] = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = [_("Enter the receiver's http:// or https:// address.")]
    if (
        not isinstance(kinds, list)
        or not kinds
        or not all(isinstance(kind, str) and kind in EventKind.values for kind in kinds)
    ):
        errors["kinds"] = [
            _("Choose the events to send: %(kinds)s.") % {"kinds": ", ".join(EventKind.values)}
        ]
    return errors


@transaction.atomic
def endpoint_register(
    *,
    actor: User,
    url: str,
    kinds: list[str],
    secret: str = "",
    now: datetime.datetime | None = None,
) -> WebhookEndpoint:
    """A new endpoint of `actor`; a secret is made when none is given (at least 16 characters)."""
    if not may_manage(actor):
        raise ActionNotPermitted(_("Only support engineers and administrators register webhooks."))
    errors = _check(url, kinds)
    if secret and len(secret) < 16:
        errors["secret"] = [_("A signing secret has at least 16 characters.")]
    if errors:
        raise ValidationError(errors)
    return WebhookEndpoint.objects.create(
        owner=actor,
        url=url,
        kinds=sorted(set(kinds)),
        secret=secret or secrets.token_urlsafe(32),
        created_at=now or timezone.now(),
    )


@transaction.atomic
def endpoint_enable(*, actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Send to a disabled endpoint again, with its failures forgotten."""
    endpoint.is_active = True
    endpoint.disabled_at = None
    endpoint.consecutive_failures = 0
    endpoint.save(update_fields=["is_active", "disabled_at", "consecutive_failures"])
    return endpoint


@transaction.atomic
def endpoint_delete(*, actor: User, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()
