"""Celery tasks: thin, take ids, call one service, idempotent."""

import datetime

from celery import shared_task
from django.utils import timezone

from tickets import jobs
from tickets.notifications import deliver_emails


@shared_task(ignore_result=True)
def deliver_notifications(
    notification_ids: list[int], lease_iso: str | None = None
) -> dict[str, int]:
    """Send the e-mail of each notification that is still due, over one SMTP connection.

    Each row is claimed on its own just before its mail goes out; `lease_iso` is the
    reservation of the beat's sweep that queued them (None: queued on commit).
    """
    lease = datetime.datetime.fromisoformat(lease_iso) if lease_iso else None
    return deliver_emails(notification_ids, lease=lease)


@shared_task(ignore_result=True)
def sweep(now_iso: str | None = None) -> dict[str, int]:
    """The periodic jobs of PRODUCT.md §7 (the same as `manage.py sla_sweep`)."""
    now = datetime.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    return jobs.sweep(now=now)
