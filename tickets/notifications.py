"""Storing notifications with the change that caused them, and delivering their e-mail.

`notify` runs inside the caller's transaction, so a notification exists exactly when its cause
does. The e-mail goes out after commit through a Celery task; if the broker is down the row
stays pending and the beat's retry sweep sends it later. Delivery claims a row with a
conditional UPDATE, so two workers never send the same mail twice.
"""

import datetime
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tickets.models import Message, Notification, Ticket

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# How long a claimed row is left alone: a worker that crashed mid-send releases it this way.
CLAIM_TIMEOUT = datetime.timedelta(minutes=5)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff after the n-th failed attempt: base, 2 × base … at most an hour."""
    seconds = settings.EMAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 3600))


def build_notifications(
    *,
    ticket: Ticket,
    kind: str,
    recipients: Iterable["User"] = (),
    email_to_contact: bool = False,
    data: dict | None = None,
    now: datetime.datetime,
) -> list[Notification]:
    """Unsaved notifications of `ticket` for `recipients`, one per active person.

    Customer-facing notifications go to the ticket's customer on the portal and by e-mail to
    the contact address given in the ticket (regulation 2.3).
    """
    rows: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        email = user.email
        if email_to_contact and user.pk == ticket.customer_id:
            email = ticket.contact_email
        rows.append(
            Notification(
                recipient=user,
                email=email,
                language=user.language,
                ticket=ticket,
                kind=kind,
                data=data or {},
                created_at=now,
                email_status=Notification.EmailStatus.PENDING,
                email_next_attempt_at=now,
            )
        )
    return rows


def store_notifications(rows: list[Notification]) -> list[Notification]:
    """Save notifications in the caller's transaction and send their e-mail after commit."""
    Notification.objects.bulk_create(rows, batch_size=1000)
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))
    return rows


def notify(**kwargs: Any) -> list[Notification]:
    """build_notifications + store_notifications, for one ticket event."""
    return store_notifications(build_notifications(**kwargs))


DELIVERY_CHUNK = 200


def enqueue_delivery(ids: list[int]) -> None:
    """Hand the e-mails to the worker; a dead broker only delays them (the beat retries)."""
    from tickets.tasks import deliver_notifications

    for start in range(0, len(ids), DELIVERY_CHUNK):
        chunk = ids[start : start + DELIVERY_CHUNK]
        try:
            deliver_notifications.delay(chunk)
        except Exception:  # any broker failure: the rows stay pending for the retry sweep
            logger.warning("Broker unavailable; %d notifications left pending", len(ids) - start)
            return


def ticket_url(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("tickets:detail", args=[ticket.number])


# The conversation entry an e-mail quotes, so the reader need not open the portal to know what
# was asked or answered (public entries only: a mail never carries an internal note).
QUOTED_MESSAGE = {
    Notification.Kind.REPLY: None,  # the latest public entry, whatever its kind
    Notification.Kind.INFO_REQUESTED: Message.Kind.INFO_REQUEST,
    Notification.Kind.INFO_PROVIDED: None,
    Notification.Kind.RESOLVED: Message.Kind.RESOLUTION,
    Notification.Kind.DISPUTED: Message.Kind.DISPUTE,
}


def quoted_message(notification: Notification) -> Message | None:
    if notification.kind not in QUOTED_MESSAGE:
        return None
    messages = notification.ticket.messages.filter(
        is_internal=False, created_at__lte=notification.created_at
    )
    kind = QUOTED_MESSAGE[notification.kind]
    if kind is not None:
        messages = messages.filter(kind=kind)
    return messages.order_by("-created_at", "-id").first()


def render_email(notification: Notification) -> EmailMultiAlternatives:
    ticket = notification.ticket
    recipient = notification.recipient
    zone = recipient.time_zone if recipient else settings.BUSINESS_TIME_ZONE
    with translation.override(notification.language), timezone.override(zone):
        context = {
            "notification": notification,
            "ticket": ticket,
            "ticket_url": ticket_url(ticket),
            "kind_label": notification.get_kind_display(),
            "data": notification.data,
            "quoted": quoted_message(notification),
        }
        subject = f"[{ticket.number}] {notification.get_kind_display()}: {ticket.subject}"
        text = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        to=[notification.email],
        headers={"Auto-Submitted": "auto-generated", "X-Ticket-Number": ticket.number},
    )
    message.attach_alternative(html, "text/html")
    return message


def deliver_email(notification_id: int, *, now: datetime.datetime | None = None) -> str:
    """Send one notification's e-mail if it is due; returns what happened.

    Claims the row by pushing its next attempt forward in one conditional UPDATE: only the
    worker whose UPDATE matched sends. Success marks it sent; failure schedules a retry with
    backoff, and after settings.EMAIL_MAX_ATTEMPTS marks it failed (visible in admin).
    """
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id,
        email_status=Notification.EmailStatus.PENDING,
        email_next_attempt_at__lte=now,
    ).update(
        email_next_attempt_at=now + CLAIM_TIMEOUT,
        email_attempts=F("email_attempts") + 1,
    )
    if not claimed:
        return "not due"
    notification = Notification.objects.select_related("ticket", "recipient").get(
        pk=notification_id
    )
    try:
        render_email(notification).send()
    except Exception as exc:
        gave_up = notification.email_attempts >= settings.EMAIL_MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            email_status=(
                Notification.EmailStatus.FAILED if gave_up else Notification.EmailStatus.PENDING
            ),
            email_next_attempt_at=None
            if gave_up
            else now + retry_delay(notification.email_attempts),
            email_last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        logger.warning("E-mail of notification %s failed: %s", notification_id, exc)
        return "failed" if gave_up else "retry"
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT,
        email_sent_at=now,
        email_next_attempt_at=None,
        email_last_error="",
    )
    return "sent"


def due_email_ids(*, now: datetime.datetime, limit: int = 500) -> list[int]:
    """Pending e-mails whose (next) attempt is due: the beat's retry sweep sends these."""
    return list(
        Notification.objects.filter(
            email_status=Notification.EmailStatus.PENDING, email_next_attempt_at__lte=now
        )
        .order_by("email_next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def mark_read(*, user_id: int, now: datetime.datetime, ticket: Ticket | None = None) -> int:
    """Mark a person's unread notifications (of one ticket, or all) read; one UPDATE."""
    unread = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
    if ticket is not None:
        unread = unread.filter(ticket=ticket)
    return unread.update(read_at=now)
