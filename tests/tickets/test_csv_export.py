"""CSV exports (issue 18): the ticket lists' and the queue's, streamed, with the page's
filters and visibility, in the viewer's language and time zone, in a fixed number of queries."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from tests.factories import CustomerFactory, LicenseFactory, TicketFactory
from tickets import services
from tickets.models import Ticket

LIST_EXPORT, QUEUE_EXPORT = "tickets:export", "workspace:queue_export"


def exported(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return response, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# --- the ticket list --------------------------------------------------------------------


def test_a_customer_exports_only_their_organizations_tickets(
    client, customer, colleague, outsider, license_a, license_b
):
    mine = TicketFactory(customer=customer, license=license_a, subject="Ours: «VPN» падает")
    theirs = TicketFactory(customer=colleague, license=license_a)
    other = TicketFactory(customer=outsider, license=license_b)
    client.force_login(customer)
    response, rows = exported(client, LIST_EXPORT)
    assert rows[0][:4] == ["Number", "Subject", "Organization", "Requester"]
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {mine.number, theirs.number}
    assert other.number not in numbers
    assert [row for row in rows if row[0] == mine.number][0][1] == "Ours: «VPN» падает"
    assert response["Content-Disposition"].startswith('attachment; filename="tickets-')
    # The list's own filters apply: "filed by me", a search, a state.
    _response, rows = exported(client, LIST_EXPORT, mine="1")
    assert [row[0] for row in rows[1:]] == [mine.number]
    _response, rows = exported(client, LIST_EXPORT, q=other.number)
    assert rows[1:] == []


def test_the_list_export_follows_the_state_filter(client, engineer, customer, license_a):
    open_ticket = TicketFactory(customer=customer, license=license_a)
    withdrawn = TicketFactory(customer=customer, license=license_a)
    services.ticket_withdraw(actor=customer, ticket=withdrawn, reason="Solved it myself.")
    client.force_login(engineer)
    _response, rows = exported(client, LIST_EXPORT, state="open")
    assert [row[0] for row in rows[1:]] == [open_ticket.number]
    _response, rows = exported(client, LIST_EXPORT, state="closed")
    assert [row[0] for row in rows[1:]] == [withdrawn.number]
    assert rows[1][4] == "Closed"


def test_headers_labels_and_times_are_the_viewers(client, engineer, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a, priority="critical")
    registered = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    Ticket.objects.filter(pk=ticket.pk).update(registered_at=registered, updated_at=registered)
    engineer.language, engineer.time_zone = "ru", "Asia/Vladivostok"
    engineer.save()
    client.force_login(engineer)
    with translation.override("ru"):
        _response, rows = exported(client, LIST_EXPORT)
    assert rows[0][0] == "Номер"
    local = registered.astimezone(zoneinfo.ZoneInfo("Asia/Vladivostok"))
    assert rows[1][7] == local.strftime("%Y-%m-%d %H:%M") == "2026-03-02 19:30"
    assert rows[1][4] == "Зарегистрирована"


def test_anonymous_people_are_sent_to_sign_in(client):
    for name in (LIST_EXPORT, QUEUE_EXPORT):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_export_only_reads(client, engineer):
    client.force_login(engineer)
    assert client.post(reverse(LIST_EXPORT)).status_code == 405
    assert client.post(reverse(QUEUE_EXPORT)).status_code == 405


def make_tickets(count, customer, license):
    return [TicketFactory(customer=customer, license=license) for _n in range(count)]


def test_the_number_of_queries_does_not_grow_with_the_rows(
    client, engineer, customer, license_a, django_assert_num_queries
):
    make_tickets(10, customer, license_a)
    client.force_login(engineer)
    exported(client, LIST_EXPORT)
    exported(client, QUEUE_EXPORT)  # the reference data, read once per process
    counts = {}
    for total in (10, 100):
        make_tickets(total - Ticket.objects.count(), customer, license_a)
        for name in (LIST_EXPORT, QUEUE_EXPORT):
            with django_assert_num_queries(2) as captured:  # the user, the rows
                _response, rows = exported(client, name)
            assert len(rows) == total + 1
            counts[name, total] = len(captured)
    assert counts[LIST_EXPORT, 10] == counts[LIST_EXPORT, 100]


# --- the queue ----------------------------------------------------------------------------


def test_the_queue_export_has_the_views_filters_and_order(client, engineer, engineer2, org_a):
    customer = CustomerFactory(organization=org_a)
    license = LicenseFactory(organization=org_a, key="ALPHA-0002")
    mine = TicketFactory(customer=customer, license=license, priority="critical")
    theirs = TicketFactory(customer=customer, license=license, priority="critical")
    nobodys = TicketFactory(customer=customer, license=license, priority="low")
    services.ticket_take(actor=engineer, ticket=mine)
    services.ticket_take(actor=engineer2, ticket=theirs)
    client.force_login(engineer)
    _response, rows = exported(client, QUEUE_EXPORT)
    assert rows[0] == [
        "Number",
        "Subject",
        "Organization",
        "Tier",
        "Priority",
        "State",
        "Assignee",
        "Next deadline",
        "Urgency",
        "Flags",
        "Registered",
    ]
    assert {row[0] for row in rows[1:]} == {mine.number, theirs.number, nobodys.number}
    response, rows = exported(client, QUEUE_EXPORT, view="mine")
    assert [row[0] for row in rows[1:]] == [mine.number]
    assert rows[1][6] == str(engineer)
    assert rows[1][5] == "In progress"
    assert "queue-mine-" in response["Content-Disposition"]
    _response, rows = exported(client, QUEUE_EXPORT, view="unassigned", priority="low")
    assert [row[0] for row in rows[1:]] == [nobodys.number]


@pytest.mark.parametrize("persona", ["customer", "outsider"])
def test_customers_cannot_export_the_queue(request, client, persona, ticket):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(QUEUE_EXPORT)).status_code == 403


def test_the_pages_link_their_export_with_their_filters(client, engineer, customer):
    client.force_login(engineer)
    page = client.get(reverse("workspace:queue"), {"view": "mine"}).content.decode()
    assert f'href="{reverse(QUEUE_EXPORT)}?view=mine"' in page
    client.force_login(customer)
    page = client.get(reverse("tickets:list"), {"state": "open"}).content.decode()
    assert f'href="{reverse(LIST_EXPORT)}?state=open"' in page
