"""Invitations an organization admin sends to colleagues (issue 15).

The link in the mail carries the invitation's id signed with the portal's secret
(django.core.signing): it cannot be guessed or changed, works until `expires_at`, and once:
accepting it stamps `accepted_at` under the row's lock.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self, now: datetime.datetime) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account made"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open invitation per address and organization (revoke it to send another).
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                name="invitation_open_once",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
            ),
        ]
        indexes = [
            # The colleagues page: an organization's invitations, latest first.
            models.Index(fields=["organization", "-created_at"], name="invitation_org_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization_id}"

    def state(self, now: datetime.datetime) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "pending"
