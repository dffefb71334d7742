"""Notification e-mail: rendered in the recipient's language, claimed once, retried, never lost."""

import datetime
import logging
import socket
import time

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from tests.factories import TicketFactory, ticket_in_state
from tickets import jobs, services
from tickets.mail import (
    claim,
    deliver_email,
    deliver_emails,
    render_email,
    reserve_due_emails,
)
from tickets.models import Notification
from tickets.templatetags.portal import until

PENDING = Notification.EmailStatus.PENDING
SENT = Notification.EmailStatus.SENT


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nobody listens once the socket is closed


@pytest.fixture
def pending(ticket):
    return Notification.objects.get(ticket=ticket, kind="registered")


def test_it_renders_the_mail_in_the_recipients_language(pending, ticket):
    pending.language = "ru"
    russian = render_email(pending)
    pending.language = "en"
    english = render_email(pending)
    assert ticket.number in russian.subject
    assert ticket.number in english.subject
    assert "не читаются" in russian.body
    assert "Replies to this e-mail are not read" in english.body
    assert russian.alternatives[0][1] == "text/html"


def test_it_sends_a_pending_mail_once_even_if_delivered_twice(pending):
    assert deliver_email(pending.pk) == "sent"
    assert deliver_email(pending.pk) == "not due"
    assert len(mail.outbox) == 1
    pending.refresh_from_db()
    assert pending.email_status == Notification.EmailStatus.SENT
    assert pending.email_attempts == 1


def test_it_keeps_a_mail_the_smtp_server_refused_for_a_later_retry(pending, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    now = pending.created_at
    assert deliver_email(pending.pk, now=now) == "retry"
    pending.refresh_from_db()
    assert pending.email_status == Notification.EmailStatus.PENDING
    assert pending.email_next_attempt_at > now
    assert "Connection refused" in pending.email_last_error or pending.email_last_error
    assert deliver_email(pending.pk, now=now) == "not due"  # backoff respected

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = pending.email_next_attempt_at
    assert deliver_email(pending.pk, now=later) == "sent"
    assert len(mail.outbox) == 1


def test_it_gives_up_visibly_after_the_attempt_bound(pending, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    now = pending.created_at
    outcomes = []
    for _ in range(settings.EMAIL_MAX_ATTEMPTS):
        outcomes.append(deliver_email(pending.pk, now=now))
        pending.refresh_from_db()
        now = (pending.email_next_attempt_at or now) + datetime.timedelta(seconds=1)
    assert outcomes[-1] == "failed"
    assert pending.email_status == Notification.EmailStatus.FAILED


def test_it_quotes_the_resolution_and_names_the_confirmation_deadline(
    customer, engineer, license_a
):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    services.message_post(actor=engineer, ticket=ticket, body="Secret lead", internal=True)
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Raise the MTU to 1400.")
    notification = Notification.objects.get(ticket=ticket, kind="resolved", recipient=customer)
    ticket.refresh_from_db()
    with timezone.override(customer.time_zone):
        due = until(ticket.confirmation_due)
    text = render_email(notification).body
    assert "Raise the MTU to 1400." in text
    assert f"confirm it or dispute it with a reason by {due}" in text
    assert "Secret lead" not in text


def test_it_quotes_an_info_request_in_russian_for_a_russian_reader(customer, engineer, license_a):
    customer.language = "ru"
    customer.save(update_fields=["language"])
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    services.ticket_request_info(actor=engineer, ticket=ticket, body="Пришлите журналы.")
    notification = Notification.objects.get(ticket=ticket, kind="info_requested")
    email = render_email(notification)
    assert "Пришлите журналы." in email.body
    assert "Чтобы продолжить работу, инженеру нужна информация" in email.body
    assert "Пришлите журналы." in email.alternatives[0][0]


def test_it_gives_every_copy_of_a_mail_the_same_message_id(pending, ticket, settings):
    settings.SITE_URL = "https://support.example.com"
    first = render_email(pending).message()["Message-ID"]
    second = render_email(pending).message()["Message-ID"]
    assert first == second == f"<notification-{pending.pk}.{ticket.number}@support.example.com>"

    other = Notification.objects.create(
        ticket=ticket, recipient=pending.recipient, kind="reply", created_at=pending.created_at
    )
    assert render_email(other).message()["Message-ID"] != first

    assert deliver_email(pending.pk) == "sent"
    assert mail.outbox[0].message()["Message-ID"] == first


def test_it_retries_a_refused_mail_after_the_backoff_alone_not_the_grace_on_top(pending, settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    settings.EMAIL_RETRY_GRACE_SECONDS = 120
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    failed_at = pending.created_at + datetime.timedelta(seconds=5)
    assert deliver_email(pending.pk, now=failed_at) == "retry"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    backoff = datetime.timedelta(seconds=60)
    early = jobs.retry_email(now=failed_at + backoff - datetime.timedelta(seconds=1))
    assert early["emails_sent"] == 0
    assert jobs.retry_email(now=failed_at + backoff)["emails_sent"] == 1
    pending.refresh_from_db()
    assert (pending.email_status, pending.email_attempts) == (SENT, 2)
    assert len(mail.outbox) == 1


def test_it_claims_a_mail_the_sweep_reserved_once_even_if_its_task_runs_twice(pending, settings):
    settings.EMAIL_RETRY_GRACE_SECONDS = 120
    now = pending.created_at + datetime.timedelta(seconds=120)
    ids, lease = reserve_due_emails(now=now, limit=10)
    assert ids == [pending.pk]
    assert reserve_due_emails(now=now, limit=10)[0] == []  # the next sweep leaves it queued

    assert claim(pending.pk, now=now, lease=lease)
    assert not claim(pending.pk, now=now, lease=lease)
    assert not claim(pending.pk, now=now + datetime.timedelta(seconds=1), lease=lease)


def test_it_reschedules_a_whole_chunk_when_the_mail_server_cannot_be_reached(
    customer, license_a, settings
):
    tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(3)]
    rows = Notification.objects.filter(ticket__in=tickets, kind="registered")
    now = max(rows.values_list("created_at", flat=True))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()

    assert deliver_emails(list(rows.values_list("pk", flat=True)), now=now) == {"retry": 3}

    retry_at = now + datetime.timedelta(seconds=settings.EMAIL_RETRY_BASE_SECONDS)
    assert set(rows.values_list("email_status", "email_attempts", "email_next_attempt_at")) == {
        (PENDING, 1, retry_at)
    }
    errors = rows.values_list("email_last_error", flat=True)
    assert all(error.startswith("ConnectionRefusedError") for error in errors), list(errors)


def terminate_this_database_session() -> None:
    """Kill this thread's PostgreSQL session from another one, as a database restart does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    killer = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(200):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() == (0,):
                    return
                time.sleep(0.01)
        pytest.fail(f"PostgreSQL session {pid} outlived pg_terminate_backend")
    finally:
        killer.close()


class DatabaseDropsRightAfterTheSend(locmem.EmailBackend):
    """Delivers like locmem; then the sender's database connection dies (before the mark)."""

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        terminate_this_database_session()
        return sent


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_it_marks_a_mail_sent_on_a_fresh_connection_when_the_database_drops_after_the_send(
    ticket, settings, caplog
):
    notification = Notification.objects.get(ticket=ticket, kind="registered")
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(  # as if its task had not run yet
        email_status=PENDING, email_attempts=0, email_next_attempt_at=now, email_sent_at=None
    )
    mail.outbox.clear()
    settings.EMAIL_BACKEND = f"{__name__}.DatabaseDropsRightAfterTheSend"

    with caplog.at_level(logging.WARNING, logger="tickets.mail"):
        assert deliver_email(notification.pk, now=now) == "sent"

    assert "retrying on a new connection" in caplog.text
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (SENT, 1)
    assert notification.email_sent_at == now
    assert len(mail.outbox) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = now + datetime.timedelta(hours=1)
    assert deliver_email(notification.pk, now=later) == "not due"
    assert jobs.retry_email(now=later)["emails_sent"] == 0
    assert len(mail.outbox) == 1
