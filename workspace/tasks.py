"""The workspace's periodic task: the dashboard's figures, kept warm (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from sla.business_time import business_zone
from workspace import dashboard_snapshot


@shared_task(ignore_result=True)
def refresh_dashboard() -> int:
    """Recompute the figures of what is open now and of the usual periods; returns how many."""
    return dashboard_snapshot.refresh(timezone.now(), business_zone())
