"""The periodic task the beat runs (CELERY_BEAT_SCHEDULE in settings): one sweep a minute."""

import datetime
import time

from celery import shared_task
from django.utils import timezone

from tickets import jobs

SWEEP = "sweep"


@shared_task(ignore_result=True)
def sweep(now_iso: str | None = None) -> dict[str, int]:
    """Every periodic job once (docs/architecture.md, "Jobs"); the same as `manage.py sla_sweep`.

    A finished sweep is recorded (tickets.models.SweepRun) for /readyz and /metrics.
    """
    started_at = timezone.now()
    clock = time.monotonic()
    now = datetime.datetime.fromisoformat(now_iso) if now_iso else started_at
    report = jobs.sweep(now=now)
    jobs.record_sweep(
        name=SWEEP, started_at=started_at, duration=time.monotonic() - clock, report=report
    )
    return report
