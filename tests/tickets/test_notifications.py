"""Notification e-mail: rendered in the recipient's language, claimed once, retried, never lost."""

import datetime
import socket

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import ticket_in_state
from tickets import services
from tickets.models import Notification
from tickets.notifications import deliver_email, render_email
from tickets.templatetags.portal import until


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
