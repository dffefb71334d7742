"""Celery tasks: thin, take ids, call one service, idempotent."""

import datetime

from celery import shared_task
from django.utils import timezone

from tickets import jobs
from tickets.notifications import deliver_email


@shared_task(ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """Send the e-mail of each notification that is still due (claimed one by one)."""
    outcomes: dict[str, int] = {}
    for pk in notification_ids:
        outcome = deliver_email(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@shared_task(ignore_result=True)
def sweep(now_iso: str | None = None) -> dict[str, int]:
    """The periodic jobs of PRODUCT.md §7 (the same as `manage.py sla_sweep`)."""
    now = datetime.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    return jobs.sweep(now=now)
