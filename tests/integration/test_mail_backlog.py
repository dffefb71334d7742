"""The mail backlog after an outage drains as fast as the mail server takes it (issue 10).

A fault test left 2,271 mails pending after a two-minute SMTP outage, and the retry sweep took
six minutes to send them. Here one sweep hands 2,000 due mails to a real worker (a prefork pool
on a real Redis), which sends them to a real SMTP server: all are out, once each, within a
minute. This is the one test in this folder that bounds a duration, because the bound is the
requirement.
"""

import datetime
import email
import email.parser
import email.policy
import time
from collections import Counter

import pytest
from django.utils import timezone

from tests.factories import TicketFactory
from tests.integration.support import CeleryStack, SmtpServer, free_port, wait_until
from tickets import jobs
from tickets.beat import sweep
from tickets.models import Notification

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

BACKLOG = 2_000
DRAIN_SECONDS = 60.0


def message_ids(smtp: SmtpServer) -> Counter[str]:
    parse = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes
    return Counter(str(parse(mail.raw)["Message-ID"]) for mail in smtp.accepted())


def test_it_drains_a_backlog_of_2000_mails_within_a_minute_of_one_sweep(
    customer, license_a, smtp_server, shared_redis_url, publish_to, start_celery
):
    tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(4)]
    Notification.objects.all().delete()  # only the backlog below is pending
    smtp_server.handler.accepted.clear()
    now = timezone.now()
    outage = now - datetime.timedelta(minutes=2)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=customer,
                email=f"contact-{n}@alpha.example",
                language="en",
                ticket=tickets[n % len(tickets)],
                kind=Notification.Kind.REGISTERED,
                created_at=outage,
                email_status=Notification.EmailStatus.PENDING,
                email_attempts=1,
                email_next_attempt_at=now,
                email_last_error="SMTPServerDisconnected: Connection unexpectedly closed",
            )
            for n in range(BACKLOG)
        ],
        batch_size=1000,
    )
    publish_to(shared_redis_url)
    celery: CeleryStack = start_celery(
        redis_url=shared_redis_url, smtp=smtp_server, concurrency=4, with_beat=False
    )
    pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)

    started = time.monotonic()
    sweep.delay(now.isoformat())
    wait_until(
        lambda: not pending.exists(),
        what=f"{BACKLOG} pending mails to be sent",
        details=lambda: f"{pending.count()} still pending\n{celery.worker.log_tail(40)}",
        timeout=DRAIN_SECONDS,
    )
    drained = time.monotonic() - started
    print(f"{BACKLOG} mails drained in {drained:.1f} s")

    statuses = Counter(Notification.objects.values_list("email_status", flat=True))
    assert statuses == {Notification.EmailStatus.SENT: BACKLOG}
    assert drained < DRAIN_SECONDS
    wait_until(
        lambda: len(smtp_server.accepted()) >= BACKLOG,
        what=f"{BACKLOG} mails at the SMTP server",
        details=lambda: f"{len(smtp_server.accepted())} accepted",
        timeout=5,
    )
    ids = message_ids(smtp_server)
    assert len(ids) == BACKLOG, "each mail exactly once, each with its own Message-ID"
    assert set(ids.values()) == {1}
    assert Counter(Notification.objects.values_list("email_attempts", flat=True)) == {2: BACKLOG}


def test_it_sends_the_backlog_from_the_sweep_itself_while_the_broker_is_down(
    customer, license_a, smtp_server, publish_to
):
    tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(3)]
    smtp_server.handler.accepted.clear()
    now = timezone.now()
    Notification.objects.filter(ticket__in=tickets).update(  # refused during an SMTP outage
        email_status=Notification.EmailStatus.PENDING,
        email_attempts=1,
        email_next_attempt_at=now,
        email_sent_at=None,
    )
    publish_to(f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there

    report = jobs.retry_email(now=now)

    assert report == {"emails_queued": 0, "emails_sent": 3, "emails_failed": 0}
    assert sorted(mail.ticket_number for mail in smtp_server.accepted()) == sorted(
        ticket.number for ticket in tickets
    )
    statuses = Notification.objects.filter(ticket__in=tickets).values_list("email_status")
    assert set(statuses) == {(Notification.EmailStatus.SENT,)}
