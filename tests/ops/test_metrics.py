"""/metrics: only for the scraper, django-prometheus's metrics and the portal's gauges."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import TicketFactory, ticket_in_state
from tickets import beat, jobs
from tickets.models import Notification

TOKEN = "scrape-me-0123456789"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def scraper(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]


def samples(response) -> dict[tuple[str, tuple], float]:
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_it_is_off_when_neither_a_token_nor_addresses_are_set(client, db):
    assert client.get("/metrics", **AUTH).status_code == 404


def test_it_refuses_a_scraper_without_the_token_or_with_a_wrong_one(client, db, scraper):
    assert client.get("/metrics").status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x")
    assert wrong.status_code == 403
    assert wrong["WWW-Authenticate"] == "Bearer"
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.5").status_code == 403


def test_it_answers_the_token_or_an_allowed_address(client, db, scraper):
    assert client.get("/metrics", **AUTH).status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200


def test_it_counts_requests_through_the_middleware_and_queries_through_the_backend(
    client, db, scraper
):
    key = (
        "django_http_requests_total_by_view_transport_method_total",
        (("method", "GET"), ("transport", "http"), ("view", "healthz")),
    )
    before = samples(client.get("/metrics", **AUTH)).get(key, 0)
    client.get("/healthz")
    after = samples(client.get("/metrics", **AUTH))
    assert after[key] == before + 1
    assert after[("django_db_execute_total", (("alias", "default"), ("vendor", "postgresql")))] > 0


def test_the_portal_gauges_match_the_data(client, scraper, customer, engineer, license_a, settings):
    now = timezone.now()
    long_ago = TicketFactory(
        customer=customer, license=license_a, now=now - datetime.timedelta(days=30)
    )
    for state in (
        "registered",
        "in_progress",
        "awaiting_customer",
        "resolved",
        "disputed",
        "closed",
    ):
        ticket_in_state(state, customer=customer, engineer=engineer, license=license_a)
    Notification.objects.update(email_status=Notification.EmailStatus.SENT)
    Notification.objects.filter(ticket=long_ago).update(
        email_status=Notification.EmailStatus.PENDING
    )
    pending = Notification.objects.filter(ticket=long_ago).count()
    assert pending > 0
    jobs.record_sweep(
        name=beat.SWEEP, started_at=now - datetime.timedelta(seconds=92.5), duration=2.5, report={}
    )
    with time_machine.travel(now, tick=False):
        found = samples(client.get("/metrics", **AUTH))
    assert {
        dict(labels)["state"]: value
        for (name, labels), value in found.items()
        if name == "helpdesk_open_tickets"
    } == {
        "registered": 2,
        "in_progress": 1,
        "awaiting_customer": 1,
        "resolved": 1,
        "disputed": 1,
    }
    assert found[("helpdesk_breached_tickets", ())] == 1  # the one filed 30 days ago
    assert found[("helpdesk_outbox_pending", ())] == pending
    assert found[("helpdesk_sweep_last_duration_seconds", ())] == 2.5
    assert found[("helpdesk_sweep_age_seconds", ())] == 90
    assert found[("helpdesk_sweep_last_finished_timestamp_seconds", ())] == pytest.approx(
        (now - datetime.timedelta(seconds=90)).timestamp()
    )


def test_the_sweep_gauges_are_absent_until_a_sweep_finished(client, db, scraper):
    found = samples(client.get("/metrics", **AUTH))
    assert found[("helpdesk_outbox_pending", ())] == 0
    assert not [name for name, _ in found if name.startswith("helpdesk_sweep")]
