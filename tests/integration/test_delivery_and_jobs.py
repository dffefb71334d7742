"""Notifications and periodic jobs against the real things (docs/architecture.md, "Jobs").

A real Celery worker and beat (subprocesses) on a real Redis, a real SMTP server, the real
test database: what a customer gets by mail, what the beat does on its own, and what happens
when Redis or the mail server is down. Waits are bounded polls of the database, the SMTP
server or the worker's log; nothing here asserts on how long something took.
"""

import datetime
import time
from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from tests.factories import CustomerFactory, TicketFactory
from tests.integration.support import CeleryStack, SmtpServer, wait_until
from tests.threads import run_in_threads
from tickets import jobs, services
from tickets.beat import sweep
from tickets.models import CloseReason, Notification, State, Ticket, TicketEvent

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

CONTACT = "it-desk@alpha.example"  # a colleague of the customer: the portal mails members only


@pytest.fixture(autouse=True)
def _contact(org_a):
    """The organization's IT desk, named as the contact of the tickets filed here."""
    return CustomerFactory(email=CONTACT, first_name="IT desk", organization=org_a)


SENT = Notification.EmailStatus.SENT
PENDING = Notification.EmailStatus.PENDING


def kind_label(kind: str) -> str:
    """The kind as the subject names it for an English-speaking customer."""
    return str(Notification.Kind(kind).label)


def email_state(notification: Notification) -> dict:
    return Notification.objects.values(
        "email_status", "email_attempts", "email_last_error", "email_sent_at"
    ).get(pk=notification.pk)


def wait_until_sent(notification: Notification, smtp: SmtpServer) -> dict:
    return wait_until(
        lambda: (state := email_state(notification))["email_status"] == SENT and state,
        what=f"notification {notification.pk} ({notification.kind}) to be marked sent",
        details=lambda: f"row now: {email_state(notification)}\n{smtp.transcript()}",
    )


def waiting_on_customer(*, customer, engineer, license, since: datetime.datetime) -> Ticket:
    """Registered at `since`, taken an hour later, info requested a day later; silent since."""
    ticket = TicketFactory(customer=customer, license=license, now=since, contact_email=CONTACT)
    services.ticket_take(actor=engineer, ticket=ticket, now=since + datetime.timedelta(hours=1))
    services.ticket_request_info(
        actor=engineer,
        ticket=ticket,
        body="Send the logs of the VPN node, please.",
        now=since + datetime.timedelta(days=1),
    )
    ticket.refresh_from_db()
    return ticket


def test_it_mails_the_ticket_number_to_the_contact_through_a_real_worker(
    customer, license_a, smtp_server, shared_redis_url, publish_to, start_celery
):
    customer.language = "en"
    customer.save(update_fields=["language"])
    publish_to(shared_redis_url)
    celery: CeleryStack = start_celery(redis_url=shared_redis_url, smtp=smtp_server)

    ticket = TicketFactory(customer=customer, license=license_a, contact_email=CONTACT)
    notification = Notification.objects.get(ticket=ticket, kind=Notification.Kind.REGISTERED)

    wait_until(
        lambda: smtp_server.accepted(number=ticket.number),
        what=f"the registration mail of {ticket.number} at the SMTP server",
        details=smtp_server.transcript,
    )
    state = wait_until_sent(notification, smtp_server)
    # Beat sweeps retry pending mail every second: give them the chance to send it again.
    celery.wait_for_more_sweeps(3)

    mails = smtp_server.accepted(number=ticket.number)
    assert len(mails) == 1, smtp_server.transcript()
    mail = mails[0]
    assert mail.rcpt_tos == (CONTACT,)
    assert ticket.number in mail.subject
    assert f"http://portal.test/tickets/{ticket.number}/" in mail.text
    assert "Replies to this e-mail are not read" in mail.text
    assert state["email_attempts"] == 1
    assert email_state(notification) == state


def test_it_auto_closes_a_silent_ticket_once_while_beat_and_an_explicit_sweep_race(
    customer, engineer, license_a, smtp_server, shared_redis_url, publish_to, start_celery
):
    publish_to(shared_redis_url)
    ticket = waiting_on_customer(
        customer=customer,
        engineer=engineer,
        license=license_a,
        since=timezone.now() - datetime.timedelta(days=40),
    )
    assert ticket.state == State.AWAITING_CUSTOMER
    assert ticket.auto_close_at is not None
    assert ticket.auto_close_at < timezone.now(), "the ticket must be past its silence cutoff"

    celery: CeleryStack = start_celery(redis_url=shared_redis_url, smtp=smtp_server)
    sweep.delay(timezone.now().isoformat())

    wait_until(
        lambda: Ticket.objects.filter(pk=ticket.pk, state=State.CLOSED).exists(),
        what=f"{ticket.number} to be closed by a sweep",
        details=celery.worker.diagnostics,
    )
    closed_mail = kind_label(Notification.Kind.AUTO_CLOSED)
    wait_until(
        lambda: smtp_server.accepted(number=ticket.number, kind_label=closed_mail),
        what=f"the auto-close mail of {ticket.number}",
        details=smtp_server.transcript,
    )
    wait_until_sent(Notification.objects.get(ticket=ticket, kind="auto_closed"), smtp_server)
    celery.wait_for_more_sweeps(3)

    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED
    assert ticket.close_reason == CloseReason.NO_CUSTOMER_RESPONSE
    assert ticket.events.filter(kind=TicketEvent.Kind.AUTO_CLOSE).count() == 1
    assert Notification.objects.filter(ticket=ticket, kind="auto_closed").count() == 1
    subjects = Counter(
        kind
        for mail in smtp_server.accepted(number=ticket.number)
        for kind in ("registered", "info_requested", "auto_closed")
        if kind_label(kind) in mail.subject
    )
    assert subjects == {"registered": 1, "info_requested": 1, "auto_closed": 1}, (
        smtp_server.transcript()
    )
    # Each of the ticket's notifications (the engineer's "taken", "urgent" … too) went out once,
    # the customer's to the ticket's contact address.
    mailed = Counter(
        (mail.rcpt_tos, mail.subject.split("] ", 1)[1].split(":", 1)[0])
        for mail in smtp_server.accepted(number=ticket.number)
    )
    stored = Counter(
        ((n.email,), kind_label(n.kind)) for n in Notification.objects.filter(ticket=ticket)
    )
    assert mailed == stored, smtp_server.transcript()
    customer_mails = Notification.objects.filter(ticket=ticket, recipient=customer)
    assert set(customer_mails.values_list("email", flat=True)) == {CONTACT}


def test_it_keeps_a_registration_made_while_redis_is_down_and_mails_it_once_redis_is_back(
    customer, license_a, smtp_server, own_redis, publish_to, start_celery
):
    customer.language = "ru"
    customer.save(update_fields=["language"])
    publish_to(own_redis.url)
    own_redis.start()
    own_redis.stop()

    started = time.monotonic()
    ticket = TicketFactory(customer=customer, license=license_a, contact_email=CONTACT)
    print(f"ticket_register with the broker down took {time.monotonic() - started:.2f} s")

    assert Ticket.objects.filter(pk=ticket.pk, number=ticket.number).exists()
    notification = Notification.objects.get(ticket=ticket, kind=Notification.Kind.REGISTERED)
    assert email_state(notification)["email_status"] == PENDING
    assert email_state(notification)["email_attempts"] == 0
    assert smtp_server.accepted() == []

    own_redis.start()
    celery: CeleryStack = start_celery(redis_url=own_redis.url, smtp=smtp_server)

    state = wait_until_sent(notification, smtp_server)
    celery.wait_for_more_sweeps(3)

    mails = smtp_server.accepted(number=ticket.number)
    assert len(mails) == 1, smtp_server.transcript()
    assert mails[0].rcpt_tos == (CONTACT,)
    assert ticket.number in mails[0].subject
    assert "не читаются" in mails[0].text
    assert state["email_attempts"] == 1
    assert email_state(notification) == state
    # Nothing was queued while Redis was down: the beat's retry sweep is what handed it over.
    assert celery.worker.count_in_log(CeleryStack.SWEEP_DONE + r"[^\n]*'emails_queued': 1\b") == 1


def test_it_retries_mail_the_smtp_server_refuses_until_it_is_accepted_once(
    customer, license_a, smtp_server, shared_redis_url, publish_to, start_celery
):
    smtp_server.handler.refuse_first = 2
    publish_to(shared_redis_url)
    celery: CeleryStack = start_celery(redis_url=shared_redis_url, smtp=smtp_server)

    ticket = TicketFactory(customer=customer, license=license_a, contact_email=CONTACT)
    notification = Notification.objects.get(ticket=ticket, kind=Notification.Kind.REGISTERED)

    refused = wait_until(
        lambda: (
            (s := email_state(notification))["email_status"] == PENDING
            and s["email_last_error"]
            and s
        ),
        what="the first refusal to be recorded on the pending notification",
        details=lambda: f"row now: {email_state(notification)}\n{smtp_server.transcript()}",
    )
    assert "451" in refused["email_last_error"]
    assert "try later" in refused["email_last_error"]
    assert refused["email_sent_at"] is None

    state = wait_until_sent(notification, smtp_server)
    celery.wait_for_more_sweeps(3)

    assert len(smtp_server.refused()) == 2
    assert all(mail.rcpt_tos == (CONTACT,) for mail in smtp_server.refused())
    mails = smtp_server.accepted(number=ticket.number)
    assert len(mails) == 1, smtp_server.transcript()
    assert mails[0].rcpt_tos == (CONTACT,)
    assert state["email_attempts"] == 3
    assert state["email_last_error"] == ""
    assert email_state(notification) == state


def test_it_closes_each_silent_ticket_once_when_two_sweeps_run_at_once(
    customer, engineer, license_a, smtp_server
):
    since = timezone.now() - datetime.timedelta(days=40)
    tickets = [
        waiting_on_customer(customer=customer, engineer=engineer, license=license_a, since=since)
        for _ in range(30)
    ]
    now = timezone.now()
    assert all(t.auto_close_at is not None and t.auto_close_at <= now for t in tickets)
    ids = [t.pk for t in tickets]

    reports = run_in_threads(2, lambda _: jobs.sweep(now=now))

    assert not [r for r in reports if isinstance(r, BaseException)], reports
    assert sum(report["auto_closed"] for report in reports) == 30, reports
    closed = Ticket.objects.filter(pk__in=ids)
    assert set(closed.values_list("state", "close_reason")) == {
        (State.CLOSED, CloseReason.NO_CUSTOMER_RESPONSE)
    }
    events = TicketEvent.objects.filter(ticket__in=ids, kind=TicketEvent.Kind.AUTO_CLOSE)
    per_ticket = dict(events.values_list("ticket").annotate(n=Count("id")))
    assert per_ticket == dict.fromkeys(ids, 1)
    notes = Notification.objects.filter(ticket__in=ids, kind=Notification.Kind.AUTO_CLOSED)
    assert dict(notes.values_list("ticket").annotate(n=Count("id"))) == dict.fromkeys(ids, 1)

    closed_mail = kind_label(Notification.Kind.AUTO_CLOSED)
    wait_until(
        lambda: len(smtp_server.accepted(kind_label=closed_mail)) >= 30,
        what="30 auto-close mails",
        details=smtp_server.transcript,
    )
    numbers = Counter(mail.ticket_number for mail in smtp_server.accepted(kind_label=closed_mail))
    assert numbers == Counter({t.number: 1 for t in tickets})
    assert set(notes.values_list("email_status", flat=True)) == {SENT}
