"""/healthz and /readyz: open to a probe, 503 with the failing check named, nothing secret."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from helpdesk.celery import app as celery_app
from tests.factories import TicketFactory
from tickets import beat, jobs
from tickets.models import Notification, SweepRun

JSON = {"HTTP_ACCEPT": "application/json"}
NOW = datetime.datetime(2026, 6, 2, 12, 0, tzinfo=datetime.UTC)


def swept(*, seconds_ago: float) -> None:
    jobs.record_sweep(
        name=beat.SWEEP,
        started_at=NOW - datetime.timedelta(seconds=seconds_ago + 2),
        duration=2.0,
        report={},
    )


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ready(db, frozen):
    """A healthy portal: a sweep a minute ago and no mail waiting."""
    swept(seconds_ago=60)


def test_healthz_answers_anyone_without_touching_the_database(client):
    # No `db` fixture: pytest-django makes any database access here an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"OK\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405


def test_readyz_is_200_with_every_check_ok_and_no_login(client, ready):
    response = client.get("/readyz", **JSON)
    assert response.status_code == 200
    assert response.json() == {
        "database": "OK",
        "redis": "OK",
        "celery_broker": "OK",
        "beat_sweep": "OK",
        "mail_outbox": "OK",
    }


def test_readyz_answers_in_plain_text_to_a_browser_or_a_probe(client, ready):
    response = client.get("/readyz", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "beat_sweep: OK" in response.content.decode()
    assert client.get("/readyz?format=json").json()["database"] == "OK"


def test_readyz_is_503_before_any_sweep_finished(client, db, frozen):
    response = client.get("/readyz", **JSON)
    assert response.status_code == 503
    assert response.json()["beat_sweep"] == "Unavailable: No sweep has finished yet"


@pytest.mark.parametrize(("seconds_ago", "status"), [(300, 200), (301, 503)])
def test_readyz_fails_when_the_last_sweep_is_older_than_the_limit(
    client, db, frozen, settings, seconds_ago, status
):
    settings.READYZ_SWEEP_MAX_AGE_SECONDS = 300
    swept(seconds_ago=seconds_ago)
    response = client.get("/readyz", **JSON)
    assert response.status_code == status
    if status == 503:
        assert response.json()["beat_sweep"] == (
            "Unavailable: The last sweep finished 301 s ago (limit 300 s)"
        )


def test_a_beat_sweep_records_when_it_finished_and_how_long_it_took(db):
    before = timezone.now()
    report = beat.sweep()
    first = SweepRun.objects.get(name=beat.SWEEP)
    assert first.started_at >= before
    assert first.finished_at >= first.started_at
    assert first.duration_seconds >= 0
    assert first.report == report
    beat.sweep()
    assert SweepRun.objects.get().finished_at > first.finished_at  # one row, kept current


@pytest.mark.parametrize(("pending", "status"), [(3, 200), (4, 503)])
def test_readyz_fails_when_more_mail_waits_than_the_limit(
    client, ready, settings, customer, license_a, pending, status
):
    settings.READYZ_OUTBOX_MAX_PENDING = 3
    ticket = TicketFactory(customer=customer, license=license_a)
    Notification.objects.update(email_status=Notification.EmailStatus.SENT)
    Notification.objects.bulk_create(
        Notification(
            recipient=customer,
            email=customer.email,
            ticket=ticket,
            kind=Notification.Kind.REPLY,
            created_at=NOW,
            email_status=Notification.EmailStatus.PENDING,
        )
        for _ in range(pending)
    )
    Notification.objects.create(  # given up: not a backlog any more
        recipient=customer,
        ticket=ticket,
        kind=Notification.Kind.REPLY,
        created_at=NOW,
        email_status=Notification.EmailStatus.FAILED,
    )
    response = client.get("/readyz", **JSON)
    assert response.status_code == status
    if status == 503:
        assert response.json()["mail_outbox"] == "Unavailable: 4 mails wait to be sent (limit 3)"


def test_readyz_names_a_dead_redis_without_its_address_or_password(client, ready, settings):
    settings.REDIS_URL = "redis://:s3cret-pass@127.0.0.1:1/0"
    response = client.get("/readyz", **JSON)
    assert response.status_code == 503
    assert response.json()["redis"].startswith("Unavailable: Unable to connect to Redis")
    assert b"s3cret" not in response.content
    assert b"127.0.0.1" not in response.content


def test_readyz_fails_when_the_celery_broker_is_unreachable(client, ready, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://:s3cret-pass@127.0.0.1:1/0")
    response = client.get("/readyz", **JSON)
    assert response.status_code == 503
    assert response.json()["celery_broker"] == "Unavailable: Cannot connect to the Celery broker"
    assert b"s3cret" not in response.content


def test_probes_are_not_redirected_to_https_while_pages_are(client, ready, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    page = client.get("/accounts/login/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


def test_probes_answer_without_login_even_where_every_page_needs_one(client, ready, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/tickets/").status_code == 302
