"""Personal API tokens (docs/architecture.md, "API").

A token is shown once, when it is made; only its SHA-256 is stored (a token is a long random
secret, so a fast hash is enough: nothing to guess from it), with its first characters to find
and name it. It acts as its person, within its scope, until it expires or is revoked.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# "hd_" + 40 URL-safe characters: recognizable in a leaked log, 240 bits of randomness.
TOKEN_PREFIX = "hd_"  # noqa: S105  (a marker, not a secret)
LOOKUP_LENGTH = 11  # "hd_" + 8 characters, stored to name the token and find its row


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Read")
        READ_WRITE = "read_write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    lookup = models.CharField(_("beginning"), max_length=LOOKUP_LENGTH, db_index=True)
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "-created_at"],
                name="api_token_live_by_user",
                condition=Q(revoked_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.lookup}…)"

    @property
    def writes(self) -> bool:
        return self.scope == self.Scope.READ_WRITE
