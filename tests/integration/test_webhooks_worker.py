"""Webhooks through a real Celery worker on a real Redis, to a real HTTP receiver: every event
is signed, a 500 is retried after its backoff, and each event id is accepted exactly once,
with two workers' worth of concurrency and the beat's sweep running beside the retries."""

import pytest

from tests.factories import TicketFactory
from tests.integration.support import wait_until
from tests.webhooks.receiver import Receiver
from tickets import services
from webhooks.models import WebhookDelivery
from webhooks.services import endpoint_register

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

SECRET = "integration-secret-0123456789"


def test_each_event_reaches_the_receiver_once_signed_after_a_retry(
    monkeypatch,
    customer,
    engineer,
    license_a,
    smtp_server,
    shared_redis_url,
    publish_to,
    start_celery,
):
    monkeypatch.setenv("WEBHOOK_RETRY_BASE_SECONDS", "1")
    with Receiver(answers=(500, 200)) as receiver:
        endpoint_register(
            actor=engineer,
            url=receiver.url,
            kinds=["ticket.registered", "ticket.state_changed", "message.posted"],
            secret=SECRET,
        )
        start_celery(redis_url=shared_redis_url, smtp=smtp_server, concurrency=2)
        publish_to(shared_redis_url)
        tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(3)]
        for ticket in tickets:
            services.ticket_take(actor=engineer, ticket=ticket)
            services.message_post(actor=engineer, ticket=ticket, body="On it")
        expected = set(WebhookDelivery.objects.values_list("event_id", flat=True))
        assert len(expected) == 9
        wait_until(
            lambda: WebhookDelivery.objects.filter(status="delivered").count() == 9,
            what="the 9 deliveries to be delivered",
            details=receiver.describe,
        )
        got = receiver.snapshot()
        assert {r.event_id for r in got} == {str(pk) for pk in expected}
        assert dict(receiver.accepted()) == {str(pk): 1 for pk in expected}
        assert all(r.signed_with(SECRET) for r in got)
        assert [r.answered for r in got].count(500) == 9  # each was retried once
        assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {2}
