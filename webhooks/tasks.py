"""Thin Celery tasks: ids in, one function called."""

from celery import shared_task


@shared_task(ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    from webhooks.delivery import deliver, enqueue

    pause = deliver(delivery_id)
    if pause is not None:
        enqueue([delivery_id], countdown=pause.total_seconds() + 1)


@shared_task(ignore_result=True)
def sweep_webhooks() -> int:
    """The beat's catch-up: deliveries due but never handed to a worker (a lost message)."""
    from django.utils import timezone

    from webhooks.delivery import due_deliveries, enqueue

    ids = due_deliveries(timezone.now())
    enqueue(ids)
    return len(ids)
