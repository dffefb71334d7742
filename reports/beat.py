"""The monthly SLA reports' periodic task (CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def monthly_reports() -> dict[str, int]:
    """Build and mail last month's reports from the first business day on (reports.monthly)."""
    from reports.monthly import monthly_reports_run

    return monthly_reports_run(now=timezone.now())
