"""The dashboard's figures are computed at most once a minute and shared (dashboard_snapshot)."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sla.business_time import business_zone
from tests.factories import TicketFactory
from tests.workspace.test_dashboard_view import table
from workspace import dashboard_snapshot, tasks

URL = reverse("workspace:dashboard")


def opened_total(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return table(response.content.decode(), "table-flow")[-1][1]


def ticket_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return [q["sql"] for q in queries if 'FROM "tickets_ticket"' in q["sql"]]


def test_a_second_look_within_the_minute_shows_the_kept_figures(
    client, engineer, customer, license_a
):
    client.force_login(engineer)
    TicketFactory(customer=customer, license=license_a)
    assert opened_total(client) == "1"

    TicketFactory(customer=customer, license=license_a)
    assert opened_total(client) == "1"  # kept: computed less than a minute ago
    assert ticket_queries(client) == []

    with time_machine.travel(timezone.now() + dashboard_snapshot.FRESH_FOR, tick=False):
        assert opened_total(client) == "2"  # a minute on: computed afresh


def test_the_page_says_as_of_when_its_figures_are(client, engineer):
    client.force_login(engineer)
    moment = datetime.datetime(2026, 12, 7, 9, 15, 42, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        page = client.get(URL).content.decode()
    local = moment.astimezone(timezone.get_current_timezone())
    assert f"Figures as of {local:%H:%M:%S}" in page


def test_the_beat_task_keeps_the_usual_periods_warm(client, engineer, customer, license_a):
    client.force_login(engineer)
    TicketFactory(customer=customer, license=license_a)

    assert tasks.refresh_dashboard.delay().get() == 3  # the default period, 30 and 90 days

    today = timezone.localdate(timezone.now(), business_zone())
    for days in (None, 30, 90):
        query = {} if days is None else {"start": today - datetime.timedelta(days=days - 1)}
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, query).status_code == 200
        assert not [q for q in queries if 'FROM "tickets_ticket"' in q["sql"]], days


def test_an_unusual_period_is_computed_on_its_first_look_then_kept(client, engineer):
    client.force_login(engineer)
    query = {"start": "2026-01-05", "end": "2026-02-01"}
    with CaptureQueriesContext(connection) as first:
        client.get(URL, query)
    with CaptureQueriesContext(connection) as second:
        client.get(URL, query)
    assert [q for q in first if 'FROM "tickets_ticket"' in q["sql"]]
    assert not [q for q in second if 'FROM "tickets_ticket"' in q["sql"]]


def test_forget_drops_every_kept_figure(client, engineer, customer, license_a):
    client.force_login(engineer)
    assert opened_total(client) == "0"
    TicketFactory(customer=customer, license=license_a)
    dashboard_snapshot.forget()
    assert opened_total(client) == "1"


def test_the_kept_rendering_follows_the_readers_language_and_zone(client, engineer):
    client.force_login(engineer)
    english = client.get(URL).content.decode()
    engineer.language, engineer.time_zone = "ru", "Asia/Vladivostok"
    engineer.save()
    russian = client.get(URL).content.decode()  # the same figures, kept, in Russian
    assert "Opened and closed per week" in english
    assert "Открыто и закрыто по неделям" in russian
    assert "Opened and closed per week" not in russian
