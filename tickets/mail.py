"""Sending a notification's e-mail: rendering, claiming, retrying (docs/architecture.md).

The beat's sweep and the on-commit task hand ids here, a chunk per task, each chunk over one
SMTP connection. Delivery claims a row with a conditional UPDATE, so two workers never send the
same mail twice; every copy of a mail carries the same Message-ID, so even a mail sent again
after a lost "sent" mark shows once.
"""

import contextlib
import datetime
import logging
import re
import smtplib
import time
from collections.abc import Iterable
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from tickets.invitations import attach_invitation
from tickets.models import Message, Notification, SessionProposal, Ticket
from tickets.rating_links import rating_links

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

# How long a claimed row is left alone: a worker that crashed mid-send releases it this way.
CLAIM_TIMEOUT = datetime.timedelta(minutes=5)
PENDING = Notification.EmailStatus.PENDING
# How long the sweep's reservation of a queued row lasts (a lost task releases it this way).
# Longer than a claim, so that a claimed row never carries a value that looks like its lease.
RESERVATION_TIMEOUT = CLAIM_TIMEOUT + datetime.timedelta(minutes=1)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff after the n-th failed attempt: base, 2 × base … at most an hour."""
    seconds = settings.EMAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 3600))


def ticket_url(ticket: Ticket) -> str:
    return settings.SITE_URL + reverse("tickets:detail", args=[ticket.number])


# The conversation entry an e-mail quotes, so the reader need not open the portal to know what
# was asked or answered (public entries only: a mail never carries an internal note, but to the
# engineer mentioned in it, see quoted_message).
QUOTED_MESSAGE = {
    Notification.Kind.REPLY: None,  # the latest public entry, whatever its kind
    Notification.Kind.INFO_REQUESTED: Message.Kind.INFO_REQUEST,
    Notification.Kind.INFO_PROVIDED: None,
    Notification.Kind.RESOLVED: Message.Kind.RESOLUTION,
    Notification.Kind.DISPUTED: Message.Kind.DISPUTE,
}


def quoted_message(notification: Notification) -> Message | None:
    if notification.kind == Notification.Kind.MENTION:  # the note itself: engineers only
        note = (notification.data or {}).get("message")
        return notification.ticket.messages.filter(pk=note).first() if note else None
    if notification.kind not in QUOTED_MESSAGE:
        return None
    messages = notification.ticket.messages.filter(
        is_internal=False, created_at__lte=notification.created_at
    )
    kind = QUOTED_MESSAGE[notification.kind]
    if kind is not None:
        messages = messages.filter(kind=kind)
    return messages.order_by("-created_at", "-id").first()


def mail_domain() -> str:
    """The domain of the portal's Message-IDs: the site's host, else the sender's domain."""
    host = urlsplit(settings.SITE_URL).hostname
    if host:
        return host
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


def message_id(notification: Notification) -> str:
    """The Message-ID of a notification's mail: the same for every copy of it.

    A mail sent again (its "sent" mark was lost with the database connection) carries the
    same id, so mail clients show it once.
    """
    about = notification.ticket.number if notification.ticket_id else notification.kind
    about = re.sub(r"[^A-Za-z0-9-]+", "-", about)  # keep it a dot-atom
    return f"<notification-{notification.pk}.{about}@{mail_domain()}>"


def session_of(notification: Notification) -> SessionProposal | None:
    """The session proposal a session notification is about (its window goes in the text)."""
    proposal = (notification.data or {}).get("proposal")
    if not notification.kind.startswith("session_") or proposal is None:
        return None
    return SessionProposal.objects.filter(pk=proposal, ticket_id=notification.ticket_id).first()


def render_plain_email(notification: Notification) -> EmailMultiAlternatives:
    """A mail about no ticket (an invitation): its kind's own templates,
    `emails/<kind>_subject.txt`, `emails/<kind>.txt` and `emails/<kind>.html`, given the
    notification's data, in the notification's language."""
    with translation.override(notification.language):
        context = {"notification": notification, "data": notification.data}
        subject = render_to_string(f"emails/{notification.kind}_subject.txt", context)
        text = render_to_string(f"emails/{notification.kind}.txt", context)
        html = render_to_string(f"emails/{notification.kind}.html", context)
    return _ticketless_message(notification, subject, text, html)


def render_organization_email(notification: Notification) -> EmailMultiAlternatives:
    """The mail of a notification about an organization, not a ticket (issue 15): its title
    and link are in `data`; the text is the kind's own, in the recipient's language."""
    data = notification.data or {}
    recipient = notification.recipient
    zone = recipient.time_zone if recipient else settings.BUSINESS_TIME_ZONE
    with translation.override(notification.language), timezone.override(zone):
        month = (
            date_format(datetime.date.fromisoformat(data["month"]), "F Y")
            if data.get("month")
            else ""
        )
        context = {
            "notification": notification,
            "kind_label": notification.get_kind_display(),
            "data": data,
            "month": month,
            "ends_on": datetime.date.fromisoformat(data["ends_on"])
            if data.get("ends_on")
            else None,
            "url": settings.SITE_URL + data.get("path", "/"),
        }
        subject = f"{notification.get_kind_display()}: {data.get('organization', '')}"
        if month:
            subject += f", {month}"
        text = render_to_string("emails/organization_notification.txt", context)
        html = render_to_string("emails/organization_notification.html", context)
    return _ticketless_message(notification, subject, text, html)


def _ticketless_message(
    notification: Notification, subject: str, text: str, html: str
) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        to=[notification.email],
        headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id(notification)},
    )
    message.attach_alternative(html, "text/html")
    return message


ORGANIZATION_KINDS = {Notification.Kind.SUPPORT_ENDING, Notification.Kind.SLA_REPORT}


# The mails that close a ticket carry the signed links to rate it (issue 17, CSAT).
RATING_MAIL_KINDS = {Notification.Kind.CLOSED, Notification.Kind.AUTO_CLOSED}


def _rating_links(notification: Notification) -> list[tuple[int, str]]:
    recipient = notification.recipient
    if notification.kind not in RATING_MAIL_KINDS or recipient is None:
        return []
    if not recipient.is_customer:
        return []
    return rating_links(ticket=notification.ticket, customer=recipient)


def render_email(notification: Notification) -> EmailMultiAlternatives:
    if notification.ticket_id is None:  # about an organization, or an invitation
        if notification.kind in ORGANIZATION_KINDS:
            return render_organization_email(notification)
        return render_plain_email(notification)
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
            "session": session_of(notification),
            "rating_links": _rating_links(notification),
        }
        subject = f"[{ticket.number}] {notification.get_kind_display()}: {ticket.subject}"
        text = render_to_string("emails/notification.txt", context)
        html = render_to_string("emails/notification.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        to=[notification.email],
        headers={
            "Auto-Submitted": "auto-generated",
            "X-Ticket-Number": ticket.number,
            "Message-ID": message_id(notification),
        },
    )
    message.attach_alternative(html, "text/html")
    attach_invitation(message, notification)  # an agreed session: its calendar invitation
    return message


# How often, and after what pause, marking a sent mail is retried on a fresh database
# connection: enough to ride out a PostgreSQL restart, short enough not to stall a chunk.
MARK_SENT_PAUSES = (0.2, 0.5, 1.0, 2.0, 4.0)


class SmtpSession:
    """One SMTP connection for a chunk of mails: opened on first use, again after a failure.

    A mail server that cannot be reached fails the rest of the chunk at once (each of those
    mails is retried with its backoff) instead of waiting out the timeout mail after mail.
    """

    def __init__(self) -> None:
        self.backend: Any = None
        self.used = False
        self.unreachable: Exception | None = None

    def send(self, message: EmailMultiAlternatives) -> int:
        if self.unreachable is not None:
            raise self.unreachable
        if self.backend is not None and self.used:
            try:
                return self._send(message)
            except (smtplib.SMTPServerDisconnected, ConnectionError):
                # The server dropped an idle or exhausted connection before this mail's
                # transaction began: one fresh connection, then the error counts.
                self.close()
        return self._send(message)

    def _send(self, message: EmailMultiAlternatives) -> int:
        if self.backend is None:
            backend = get_connection()
            try:
                backend.open()
            except Exception as exc:
                self.unreachable = exc
                raise
            self.backend, self.used = backend, False
        try:
            sent = self.backend.send_messages([message])
        except Exception:
            self.close()
            raise
        self.used = True
        return sent

    def close(self) -> None:
        if self.backend is not None:
            with contextlib.suppress(Exception):  # a broken connection is gone anyway
                self.backend.close()
        self.backend, self.used = None, False


def claim(
    notification_id: int, *, now: datetime.datetime, lease: datetime.datetime | None = None
) -> bool:
    """Claim one pending e-mail for sending now; only one caller ever gets True for an attempt.

    The conditional UPDATE pushes the next attempt forward and counts the attempt: a row is
    claimable when due, or when it carries the `lease` the sweep reserved it with.
    """
    due = Q(email_next_attempt_at__lte=now)
    if lease is not None:
        due |= Q(email_next_attempt_at=lease)
    return bool(
        Notification.objects.filter(due, pk=notification_id, email_status=PENDING).update(
            email_next_attempt_at=now + CLAIM_TIMEOUT,
            email_attempts=F("email_attempts") + 1,
        )
    )


def mark_sent(notification_id: int, *, now: datetime.datetime) -> bool:
    """Record a sent mail; on a lost database connection, retry on a fresh one.

    The mail is already out: if this mark were lost, the claim would run out and the mail go
    out again. Returns False (and logs) only if the database stays unreachable.
    """
    for pause in (*MARK_SENT_PAUSES, None):
        try:
            Notification.objects.filter(pk=notification_id).update(
                email_status=Notification.EmailStatus.SENT,
                email_sent_at=now,
                email_next_attempt_at=None,
                email_last_error="",
            )
            return True
        except (OperationalError, InterfaceError) as exc:
            if connection.in_atomic_block:
                raise  # a new connection could not carry on the caller's transaction
            if pause is None:
                logger.exception(
                    "E-mail of notification %s was sent but could not be marked sent; "
                    "it goes out again (same Message-ID) when its claim runs out",
                    notification_id,
                )
                return False
            logger.warning(
                "Marking notification %s sent failed (%s); retrying on a new connection",
                notification_id,
                exc,
            )
            connection.close()
            time.sleep(pause)
    raise AssertionError("unreachable")  # pragma: no cover - the loop always returns


def record_failure(notification: Notification, exc: Exception, *, now: datetime.datetime) -> str:
    """Schedule the next attempt with backoff, or give up visibly after the attempt bound."""
    gave_up = notification.email_attempts >= settings.EMAIL_MAX_ATTEMPTS
    Notification.objects.filter(pk=notification.pk).update(
        email_status=Notification.EmailStatus.FAILED if gave_up else PENDING,
        email_next_attempt_at=None if gave_up else now + retry_delay(notification.email_attempts),
        email_last_error=f"{type(exc).__name__}: {exc}"[:2000],
    )
    logger.warning("E-mail of notification %s failed: %s", notification.pk, exc)
    return "failed" if gave_up else "retry"


def deliver_email(
    notification_id: int,
    *,
    now: datetime.datetime | None = None,
    lease: datetime.datetime | None = None,
    smtp: SmtpSession | None = None,
) -> str:
    """Send one notification's e-mail if it is due; returns what happened.

    Claims the row first (see `claim`): only the worker whose UPDATE matched sends. Success
    marks it sent; failure schedules a retry with backoff, and after
    settings.EMAIL_MAX_ATTEMPTS marks it failed (visible in admin). `smtp` reuses one
    connection across a chunk; without it the mail opens its own.
    """
    now = now or timezone.now()
    if not claim(notification_id, now=now, lease=lease):
        return "not due"
    notification = Notification.objects.select_related("ticket", "recipient").get(
        pk=notification_id
    )
    try:
        message = render_email(notification)
        if smtp is None:
            message.send()
        else:
            smtp.send(message)
    except Exception as exc:
        return record_failure(notification, exc, now=now)
    return "sent" if mark_sent(notification_id, now=now) else "unmarked"


def deliver_emails(
    ids: Iterable[int],
    *,
    now: datetime.datetime | None = None,
    lease: datetime.datetime | None = None,
) -> dict[str, int]:
    """Send a chunk of e-mails over one SMTP connection; counts each outcome."""
    outcomes: dict[str, int] = {}
    smtp = SmtpSession()
    try:
        for pk in ids:
            outcome = deliver_email(pk, now=now or timezone.now(), lease=lease, smtp=smtp)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        smtp.close()
    return outcomes


def due_emails(*, now: datetime.datetime) -> QuerySet[Notification]:
    """Pending e-mails the beat's retry sweep sends at `now`.

    A failed attempt is retried when its backoff ends, no later. A mail never attempted is
    left to its own on-commit task for settings.EMAIL_RETRY_GRACE_SECONDS first (the sweep
    takes it if the broker was down or the worker died).
    """
    grace = datetime.timedelta(seconds=settings.EMAIL_RETRY_GRACE_SECONDS)
    return Notification.objects.filter(
        Q(email_attempts__gt=0) | Q(email_next_attempt_at__lte=now - grace),
        email_status=PENDING,
        email_next_attempt_at__lte=now,
    )


def reserve_due_emails(
    *, now: datetime.datetime, limit: int
) -> tuple[list[int], datetime.datetime]:
    """Reserve up to `limit` due e-mails for delivery; returns their ids and the lease.

    The reservation moves each row's next attempt to the lease (now + RESERVATION_TIMEOUT),
    so the next sweep does not queue them again while they wait for a worker; the delivery
    task claims them by that lease. A lease that runs out (a lost task) makes them due again.
    """
    lease = now + RESERVATION_TIMEOUT
    with transaction.atomic():
        ids = list(
            due_emails(now=now)
            .select_for_update(skip_locked=True)
            .order_by("email_next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(email_next_attempt_at=lease)
    return ids, lease
