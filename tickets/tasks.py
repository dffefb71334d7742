"""Celery tasks: thin, take ids, call one function, idempotent.

Imported at the top by the code that queues them (`deliver_notifications as
deliver_notifications_task`); they import what they run inside their bodies. The periodic
sweep is tickets/beat.py: it runs the jobs, which queue these, so keeping it apart keeps the
imports free of cycles.
"""

import datetime

from celery import shared_task


@shared_task(ignore_result=True)
def deliver_notifications(
    notification_ids: list[int], lease_iso: str | None = None
) -> dict[str, int]:
    """Send the e-mail of each notification that is still due, over one SMTP connection.

    Each row is claimed on its own just before its mail goes out; `lease_iso` is the
    reservation of the beat's sweep that queued them (None: queued on commit).
    """
    from tickets import mail

    lease = datetime.datetime.fromisoformat(lease_iso) if lease_iso else None
    return mail.deliver_emails(notification_ids, lease=lease)
