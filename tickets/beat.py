"""The periodic task the beat runs (CELERY_BEAT_SCHEDULE in settings): one sweep a minute."""

import datetime

from celery import shared_task
from django.utils import timezone

from tickets import jobs


@shared_task(ignore_result=True)
def sweep(now_iso: str | None = None) -> dict[str, int]:
    """Every periodic job once (docs/architecture.md, "Jobs"); the same as `manage.py sla_sweep`."""
    now = datetime.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    return jobs.sweep(now=now)
