"""The license base's periodic task (CELERY_BEAT_SCHEDULE in settings): support-end reminders."""

from celery import shared_task
from django.utils import timezone


@shared_task(ignore_result=True)
def support_reminders() -> dict[str, int]:
    """Remind of support periods ending in 30 and 7 days, each once (licensing.reminders)."""
    from licensing.reminders import support_reminders_send

    return support_reminders_send(now=timezone.now())
