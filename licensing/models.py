"""The license base's own records: how a license's tier changed, and which support-end
reminders were sent (issue 15). Licenses and organizations themselves are accounts'."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import License


class TierChange(models.Model):
    """One change of a license's support tier; written by licensing.history alone."""

    class Source(models.TextChoices):
        IMPORT = "import", _("Import")
        ADMIN = "admin", _("Edited in admin")

    license = models.ForeignKey(
        License,
        verbose_name=_("license"),
        on_delete=models.CASCADE,
        related_name="tier_changes",
    )
    from_tier = models.ForeignKey(
        "sla.Tier", verbose_name=_("from tier"), on_delete=models.PROTECT, related_name="+"
    )
    to_tier = models.ForeignKey(
        "sla.Tier", verbose_name=_("to tier"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")
        ordering = ["-changed_at", "-id"]
        indexes = [
            # The history inline of a license, latest first.
            models.Index(fields=["license", "-changed_at"], name="tierchange_license_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.license_id}: {self.from_tier_id} → {self.to_tier_id}"


class SupportReminder(models.Model):
    """A support-end reminder that went out: one per license, support period and stage.

    The row is the claim (INSERT … ON CONFLICT DO NOTHING in licensing.reminders): only the
    run that inserted it sends the mail, so each reminder goes out once. A renewed license
    (another end date) is reminded again.
    """

    license = models.ForeignKey(
        License,
        verbose_name=_("license"),
        on_delete=models.CASCADE,
        related_name="support_reminders",
    )
    support_ends_on = models.DateField(_("support ends on"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("support-end reminder")
        verbose_name_plural = _("support-end reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["license", "support_ends_on", "days_before"],
                name="supportreminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.license_id} · {self.support_ends_on} · {self.days_before}"
