"""The beat's monthly job: on the first business day of a month, build every active
organization's report of the previous month and mail it to its organization admins.

"First business day" is the default SLA calendar's (sla.selectors.customer_calendar: the
Russian production calendar and the admins' exceptions), so after the New Year holidays the
reports come on the first working day of January. The job runs hourly and is idempotent: a
report is built once (unique per organization and month) and mailed once (`mailed_at`, set by
a conditional UPDATE in the transaction that stores the notifications); a run after downtime
catches up, any day after the first business day of the month.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization, User
from reports.build import month_start, previous_month, sla_report_build
from reports.models import SlaReport
from sla import selectors
from tickets.models import Notification
from tickets.notifications import store_notifications


def first_business_day(month: datetime.date) -> datetime.date:
    calendar = selectors.customer_calendar()
    day = month
    while not calendar.is_business_day(day):
        day += datetime.timedelta(days=1)
    return day


def due_month(now: datetime.datetime) -> datetime.date | None:
    """The month whose reports are due at `now`: the previous one, from the first business
    day of this month on; None before it."""
    today = timezone.localdate(now, selectors.customer_calendar().tz)
    if today < first_business_day(month_start(today)):
        return None
    return previous_month(today)


def report_path(report: SlaReport) -> str:
    return reverse("reports:detail", args=[report.organization_id, f"{report.month:%Y-%m}"])


def report_mail(report: SlaReport, *, now: datetime.datetime) -> int:
    """Tell the organization admins of `report` (once: the first caller claims it)."""
    with transaction.atomic():
        claimed = SlaReport.objects.filter(pk=report.pk, mailed_at__isnull=True).update(
            mailed_at=now
        )
        if not claimed:
            return 0
        admins = User.objects.filter(
            organization_id=report.organization_id, is_organization_admin=True, is_active=True
        ).order_by("pk")
        data = {
            "organization": report.data.get("organization", ""),
            "organization_id": report.organization_id,
            "month": report.month.isoformat(),
            "path": report_path(report),
            "title": report.data.get("organization", ""),
        }
        rows = [
            Notification(
                recipient=admin,
                email=admin.email,
                language=admin.language,
                ticket=None,
                kind=Notification.Kind.SLA_REPORT,
                data=data,
                created_at=now,
                email_status=Notification.EmailStatus.PENDING,
                email_next_attempt_at=now,
            )
            for admin in admins
        ]
        store_notifications(rows)
        return len(rows)


def monthly_reports_run(*, now: datetime.datetime) -> dict[str, int]:
    """Build and mail the reports due at `now` (see the module's docstring)."""
    month = due_month(now)
    if month is None:
        return {"built": 0, "mailed": 0}
    built = mailed = 0
    missing = (
        Organization.objects.filter(is_active=True)
        .exclude(sla_reports__month=month)
        .order_by("pk")
        .iterator()
    )
    for organization in missing:
        sla_report_build(organization=organization, month=month, now=now)
        built += 1
    # Also the reports an engineer opened early (built on demand), not mailed yet.
    unmailed = SlaReport.objects.filter(
        month=month, mailed_at__isnull=True, organization__is_active=True
    ).order_by("pk")
    for report in unmailed.iterator():
        mailed += report_mail(report, now=now)
    return {"built": built, "mailed": mailed}
