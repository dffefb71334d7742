"""The service-level dashboard driven through HTTP: who may open it, what it shows, at what cost.

The view reads the clock itself, so the tickets are filed at instants weeks away from now and
from every deadline; what the page must show follows from them whatever day the suite runs.
"""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from sla.business_time import business_zone
from tests.factories import TicketFactory
from tickets import services
from tickets.models import Ticket
from workspace import dashboard as stats
from workspace import dashboard_snapshot

URL = reverse("workspace:dashboard")
UTC = datetime.UTC


@pytest.fixture
def signed_in(client, engineer):
    client.force_login(engineer)
    return client


@pytest.fixture
def this_monday():
    return stats.monday_of(timezone.localdate(timezone.now(), business_zone()))


def file(customer, license, at, priority="high"):
    return TicketFactory(customer=customer, license=license, priority=priority, now=at)


def short(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def table(page, table_id):
    """The rows of one table as lists of cell texts (tags stripped, spaces collapsed)."""
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S)
    assert found, f"no table {table_id}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S)
    return [
        [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def bar_labels(page, chart_id):
    found = re.search(rf'<svg[^>]*id="{chart_id}".*?</svg>', page, re.S)
    assert found, f"no chart {chart_id}"
    return [
        html.unescape(label)
        for label in re.findall(r'<rect[^>]*aria-label="([^"]*)"', found.group(0))
    ]


# --- who may open it -----------------------------------------------------------------------


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_it_refuses_a_customer(client, customer):
    client.force_login(customer)

    assert client.get(URL).status_code == 403


def test_it_answers_get_only(signed_in):
    assert signed_in.post(URL).status_code == 405


# --- what it shows -------------------------------------------------------------------------


def test_it_works_with_no_tickets_at_all(signed_in, engineer):
    response = signed_in.get(URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "No open ticket is breached or at risk." in page
    assert table(page, "table-flow")[-1] == ["Total", "0", "0"]
    assert table(page, "table-reaction")[-1] == ["Total", "0", "0", "0", "—"]
    assert table(page, "table-load")[1:] == [
        [str(engineer), "0", "0", "0"],
        ["Unassigned", "0", "0", "0"],
        ["Total", "0", "0", "0"],
    ]
    assert 'href="/static/css/dashboard.css"' in page
    assert "<script" not in page.split("</head>")[1]  # the charts need no script


def test_it_shows_the_default_period_of_the_last_eight_weeks_and_the_current_one(
    signed_in, this_monday
):
    page = signed_in.get(URL).content.decode()

    start = this_monday - datetime.timedelta(weeks=8)
    assert f'name="start" value="{start.isoformat()}"' in page
    assert len(table(page, "table-flow")) == 1 + 9 + 1  # head, nine weeks, total


def test_it_shows_the_tickets_opened_and_closed_per_week_in_the_chart_and_the_table(
    signed_in, customer, license_a, this_monday
):
    monday = this_monday - datetime.timedelta(weeks=2)
    sunday = monday - datetime.timedelta(days=1)
    early = file(
        customer, license_a, datetime.datetime.combine(sunday, datetime.time(20, 59), tzinfo=UTC)
    )
    file(customer, license_a, datetime.datetime.combine(sunday, datetime.time(22), tzinfo=UTC))
    file(customer, license_a, datetime.datetime.combine(monday, datetime.time(9), tzinfo=UTC))
    services.ticket_withdraw(
        actor=customer,
        ticket=early,
        now=datetime.datetime.combine(
            monday + datetime.timedelta(days=1), datetime.time(9), tzinfo=UTC
        ),
    )

    page = signed_in.get(URL).content.decode()

    rows = {row[0]: row[1:] for row in table(page, "table-flow")[1:-1]}
    week = f"{short(monday)} – {short(monday + datetime.timedelta(days=6))}"
    before = monday - datetime.timedelta(weeks=1)
    assert rows[week] == ["2", "1"]
    assert rows[f"{short(before)} – {short(sunday)}"] == ["1", "0"]
    assert table(page, "table-flow")[-1] == ["Total", "3", "1"]
    labels = bar_labels(page, "chart-flow")
    assert f"Week of {short(monday)} — Opened: 2" in labels
    assert f"Week of {short(monday)} — Closed: 1" in labels
    assert f"Week of {short(before)} — Opened: 1" in labels
    assert len(labels) == 9 * 2


def test_it_shows_the_targets_met_and_missed_per_tier_and_priority(
    signed_in, customer, license_a, outsider, license_b, engineer
):
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=30)
    taken = file(customer, license_a, long_ago)
    services.ticket_take(actor=engineer, ticket=taken, now=long_ago + datetime.timedelta(minutes=1))
    file(customer, license_a, long_ago)  # never taken: missed
    late = file(outsider, license_b, long_ago, priority="critical")
    services.ticket_take(actor=engineer, ticket=late, now=long_ago + datetime.timedelta(days=2))

    page = signed_in.get(URL).content.decode()

    reaction = {tuple(row[:2]): row[2:] for row in table(page, "table-reaction")[1:-1]}
    assert reaction[("Standard", "High")] == ["1", "1", "0", "50"]
    assert reaction[("Platinum", "Critical")] == ["0", "1", "0", "0"]
    assert reaction[("Premium", "Low")] == ["0", "0", "0", "—"]
    assert table(page, "table-reaction")[-1] == ["Total", "1", "2", "0", "33"]
    resolution = {tuple(row[:2]): row[2:] for row in table(page, "table-resolution")[1:-1]}
    assert resolution[("Standard", "High")] == ["0", "2", "0", "0"]
    labels = bar_labels(page, "chart-reaction")
    assert "Standard · High — Met: 1" in labels
    assert "Standard · High — Missed: 1" in labels
    assert "Platinum · Critical — Missed: 1" in labels


def test_it_shows_the_breached_and_at_risk_tickets_now_with_links_to_them(
    signed_in, customer, license_a, outsider, license_b
):
    now = timezone.now()
    breached = file(customer, license_a, now - datetime.timedelta(days=30))
    at_risk = file(outsider, license_b, now - datetime.timedelta(minutes=27), priority="critical")
    file(customer, license_a, now)  # on time

    page = signed_in.get(URL).content.decode()

    urgency = {tuple(row[:2]): row[2:] for row in table(page, "table-urgency")[1:-1]}
    assert urgency[("Standard", "High")] == ["1", "0", "2"]
    assert urgency[("Platinum", "Critical")] == ["0", "1", "1"]
    assert table(page, "table-urgency")[-1] == ["Total", "1", "1", "3"]
    labels = bar_labels(page, "chart-urgency")
    assert "Standard · High — Breached: 1" in labels
    assert "Platinum · Critical — At risk: 1" in labels
    worst = table(page, "table-worst")[1:]
    assert [row[0] for row in worst] == [breached.number, at_risk.number]
    assert [row[-1] for row in worst] == ["Breached", "At risk"]
    assert f'href="{reverse("tickets:detail", args=[breached.number])}"' in page


def test_it_shows_the_load_per_engineer_including_one_with_none(
    signed_in, customer, license_a, engineer, engineer2
):
    now = timezone.now()
    for n in range(3):
        ticket = file(customer, license_a, now - datetime.timedelta(hours=n + 1))
        services.ticket_take(actor=engineer, ticket=ticket, now=now)
    services.ticket_request_info(actor=engineer, ticket=ticket, body="Logs?", now=now)
    file(customer, license_a, now)

    page = signed_in.get(URL).content.decode()

    assert table(page, "table-load")[1:] == [
        [str(engineer), "2", "1", "3"],
        [str(engineer2), "0", "0", "0"],
        ["Unassigned", "1", "0", "1"],
        ["Total", "3", "1", "4"],
    ]
    labels = bar_labels(page, "chart-load")
    assert f"{engineer} — Vendor's move: 2" in labels
    assert f"{engineer} — Waiting on the customer: 1" in labels
    assert f"{engineer2} — Vendor's move: 0" in labels
    assert "Unassigned — Vendor's move: 1" in labels


def test_it_shows_a_chosen_period(signed_in, customer, license_a, this_monday):
    monday = this_monday - datetime.timedelta(weeks=20)
    file(customer, license_a, datetime.datetime.combine(monday, datetime.time(9), tzinfo=UTC))
    end = monday + datetime.timedelta(days=13)

    page = signed_in.get(
        URL, {"start": monday.isoformat(), "end": end.isoformat()}
    ).content.decode()

    assert table(page, "table-flow")[1:] == [
        [f"{short(monday)} – {short(monday + datetime.timedelta(days=6))}", "1", "0"],
        [f"{short(monday + datetime.timedelta(weeks=1))} – {short(end)}", "0", "0"],
        ["Total", "1", "0"],
    ]


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-05-10", "end": "2026-05-01"}, "The period must not end before it starts."),
        (
            {"start": "2025-01-01", "end": "2026-05-01"},
            "Choose a period of at most 366 days; this one has 486.",
        ),
        ({"start": "2026-13-45", "end": "2026-05-01"}, "Enter a date in the form YYYY-MM-DD"),
        (
            {"start": "1999-12-31", "end": "2000-01-31"},
            "Choose a date from 2000-01-01 to 2099-12-31.",
        ),
    ],
)
def test_it_says_what_is_wrong_with_the_period_and_keeps_what_was_typed(signed_in, query, message):
    response = signed_in.get(URL, query)

    page = response.content.decode()
    assert response.status_code == 400
    assert message in html.unescape(page)
    assert f'value="{query["start"]}"' in page
    assert f'value="{query["end"]}"' in page
    assert 'aria-invalid="true"' in page
    assert "Correct the period above" in page
    assert 'id="table-load"' in page  # what is true now does not depend on the period


# --- cost ----------------------------------------------------------------------------------


def count_queries(client):
    client.get(URL)  # the reference data (tiers, priorities) as each process keeps it
    dashboard_snapshot.forget()  # what a page computes afresh, not the figures kept a minute
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_it_runs_the_same_few_queries_however_many_tickets_weeks_and_engineers(
    signed_in, customer, license_a, outsider, license_b, engineer, engineer2, this_monday
):
    now = timezone.now()
    file(customer, license_a, now - datetime.timedelta(days=3))
    file(outsider, license_b, now - datetime.timedelta(days=10), priority="critical")
    few = count_queries(signed_in)

    engineers = [engineer, engineer2]
    for n in range(28):
        at = now - datetime.timedelta(days=2 * n + 1, hours=n)
        who, license = (customer, license_a) if n % 2 else (outsider, license_b)
        ticket = file(who, license, at, priority=["critical", "high", "medium", "low"][n % 4])
        if n % 3:
            services.ticket_take(
                actor=engineers[n % 2], ticket=ticket, now=at + datetime.timedelta(hours=1)
            )
        if n % 5 == 0:
            services.ticket_withdraw(actor=who, ticket=ticket, now=at + datetime.timedelta(days=1))
    many = count_queries(signed_in)

    assert many == few
    # user, bell; the figures computed afresh: flow (2), targets, urgency, most urgent (2: the
    # undisputed and the disputed tickets), load (2);
    # customer feedback (issue 17): ratings by tier, priority, engineer and week, their
    # comments, the deflections. Tiers and priorities are kept per process.
    assert few == 16


def test_it_links_its_numbers_to_the_queue_filtered_alike(signed_in, engineer, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a, priority="high")
    Ticket.objects.filter(pk=ticket.pk).update(
        queue_due=timezone.now() - datetime.timedelta(hours=1)
    )
    page = signed_in.get(reverse("workspace:dashboard")).content.decode()
    breached = f"{reverse('workspace:queue')}?view=breached&amp;tier=standard&amp;priority=high"
    assert f'<a href="{breached}">1</a>' in page
    assert f'href="{reverse("workspace:queue")}?assignee={engineer.pk}"' in page
    queue = signed_in.get(breached.replace("&amp;", "&")).content.decode()
    assert ticket.number in queue
