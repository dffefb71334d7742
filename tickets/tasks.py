"""Celery tasks: thin, take ids, call one service, idempotent."""

from celery import shared_task

from tickets.notifications import deliver_email


@shared_task(ignore_result=True)
def deliver_notification(notification_id: int) -> str:
    return deliver_email(notification_id)
