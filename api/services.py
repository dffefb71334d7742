"""Making and revoking personal API tokens: the only writes of the api app."""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from api.models import LOOKUP_LENGTH, ApiToken, new_raw_token, token_digest

# A token lives at most a year: a forgotten integration stops instead of working for ever.
MAX_LIFETIME_DAYS = 365


@dataclasses.dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown once, never stored


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    name: str,
    scope: str,
    lifetime_days: int,
    now: datetime.datetime | None = None,
) -> NewToken:
    """A token acting as `actor` within `scope`, valid for `lifetime_days` days."""
    now = now or timezone.now()
    errors: dict[str, list] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Name the token after what will use it.")]
    if scope not in ApiToken.Scope.values:
        errors["scope"] = [_("Choose what the token may do.")]
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        errors["lifetime_days"] = [
            _("A token lives from 1 to %(days)d days.") % {"days": MAX_LIFETIME_DAYS}
        ]
    if errors:
        raise ValidationError(errors)
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        lookup=raw[:LOOKUP_LENGTH],
        digest=token_digest(raw),
        scope=scope,
        created_at=now,
        expires_at=now + datetime.timedelta(days=lifetime_days),
    )
    return NewToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(*, actor: User, pk: int, now: datetime.datetime | None = None) -> bool:
    """Revoke one of `actor`'s own tokens; False if they have no such live token."""
    now = now or timezone.now()
    return bool(
        ApiToken.objects.filter(user=actor, pk=pk, revoked_at__isnull=True).update(revoked_at=now)
    )


def live_tokens(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
