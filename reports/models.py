"""The monthly SLA report of an organization, stored once built (issue 15)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization


class SlaReport(models.Model):
    """One organization's month: the figures as built (reports.build), read by every view of
    the report, so it is never recomputed for a page, a PDF or a CSV."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="sla_reports",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    # The tables, the charts' figures and the first breaches: what the page and the PDF read.
    data = models.JSONField(_("figures"))
    # Every breach of the month, the most overdue first (reports.build): only the CSV reads
    # them, so the page and the PDF defer this field (a bad month has thousands).
    breaches = models.JSONField(_("breaches"), default=list, blank=True)
    built_at = models.DateTimeField(_("built"))
    # Set when the organization admins were told (reports.monthly), in the same transaction
    # as their notifications: each report is mailed once.
    mailed_at = models.DateTimeField(_("mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA report")
        verbose_name_plural = _("SLA reports")
        ordering = ["organization", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="slareport_once"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="slareport_month_first_day"
            ),
        ]
        # The month list of an organization is served by the unique index (organization, month).

    def __str__(self) -> str:
        return f"{self.organization} · {self.month:%Y-%m}"
