"""Tickets through the API: who sees which (every persona × every ticket), the list's filters,
search and cursor pages, filing one with the form's rules, and the query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.api.conftest import problem
from tickets import services

TICKETS = "/api/v1/tickets/"

SEES = {"customer": 200, "colleague": 200, "outsider": 404, "engineer": 200, "admin_user": 200}


@pytest.fixture
def ticket_b(outsider, license_b):
    return factories.TicketFactory(customer=outsider, license=license_b, subject="Beta's VPN")


@pytest.mark.parametrize(("persona", "status"), SEES.items())
def test_it_shows_a_ticket_to_whoever_may_see_it_and_404_to_anyone_else(
    request, api_as, ticket, persona, status
):
    api = api_as(request.getfixturevalue(persona))
    response = api.get(f"{TICKETS}{ticket.number}/")
    assert response.status_code == status
    if status == 404:
        body = problem(response)
        assert body["status"] == 404
        assert ticket.subject not in response.content.decode()
    else:
        assert response.json()["number"] == ticket.number


@pytest.mark.parametrize("persona", SEES)
def test_it_lists_only_visible_tickets(request, api_as, ticket, ticket_b, persona):
    api = api_as(request.getfixturevalue(persona))
    numbers = {row["number"] for row in api.get(TICKETS).json()["results"]}
    expected = {
        "customer": {ticket.number},
        "colleague": {ticket.number},
        "outsider": {ticket_b.number},
        "engineer": {ticket.number, ticket_b.number},
        "admin_user": {ticket.number, ticket_b.number},
    }[persona]
    assert numbers == expected


def test_it_explains_the_deadlines_in_the_detail(api_as, customer, ticket):
    body = api_as(customer).get(f"{TICKETS}{ticket.number}/").json()
    assert body["deadlines"]["reaction_due"] is not None
    assert body["explanation"]["reaction"]["due"]
    assert body["explanation"]["reaction"]["text"]
    assert "withdraw" in body["actions"]
    assert "take" not in body["actions"]


def test_it_refuses_anonymous_callers_with_401(client, ticket):
    response = client.get(TICKETS)
    assert response.status_code == 401
    assert problem(response)["status"] == 401


def test_it_accepts_the_browser_session(client, customer, ticket):
    client.force_login(customer)
    assert client.get(TICKETS).json()["results"][0]["number"] == ticket.number


def test_it_filters_by_state_priority_tier_organization_assignee_and_time(
    api_as, engineer, customer, license_a, ticket, ticket_b, org_a
):
    other = factories.TicketFactory(customer=customer, license=license_a, priority="low")
    services.ticket_take(actor=engineer, ticket=other)
    api = api_as(engineer)

    def numbers(**params):
        response = api.get(TICKETS, params)
        assert response.status_code == 200, response.content
        return {row["number"] for row in response.json()["results"]}

    assert numbers(state="in_progress") == {other.number}
    assert numbers(state="open") == {ticket.number, ticket_b.number, other.number}
    assert numbers(priority="low") == {other.number}
    assert numbers(tier="platinum") == {ticket_b.number}
    assert numbers(organization=org_a.pk) == {ticket.number, other.number}
    assert numbers(assignee=engineer.pk) == {other.number}
    assert numbers(assignee="none") == {ticket.number, ticket_b.number}
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert numbers(updated_since=later) == set()
    assert numbers(q=ticket.number) == {ticket.number}
    assert numbers(q="Beta's VPN") == {ticket_b.number}


def test_it_names_a_bad_filter_with_a_field_error(api_as, engineer):
    response = api_as(engineer).get(TICKETS, {"state": "nonsense", "assignee": "x"})
    assert response.status_code == 400
    errors = problem(response)["errors"]
    assert set(errors) == {"state", "assignee"}


def test_it_pages_with_a_cursor_without_overlap(api_as, customer, license_a):
    made = [factories.TicketFactory(customer=customer, license=license_a) for _ in range(5)]
    api = api_as(customer)
    seen, url = [], f"{TICKETS}?page_size=2"
    while url:
        body = api.get(url).json()
        seen += [row["number"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(t.number for t in made)
    assert len(seen) == len(set(seen))


def test_it_reads_a_constant_number_of_queries_for_the_list(api_as, engineer, customer, license_a):
    api = api_as(engineer)
    factories.TicketFactory(customer=customer, license=license_a)
    api.get(TICKETS)  # the token's first use is recorded once (last_used_at)
    with CaptureQueriesContext(connection) as one:
        api.get(TICKETS)
    for _ in range(10):
        ticket = factories.TicketFactory(customer=customer, license=license_a)
        services.ticket_take(actor=engineer, ticket=ticket)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(TICKETS).json()["results"]) == 11
    assert len(many) == len(one) <= 2  # the token and its person, the page


FILING = {
    "license_key": "ALPHA-0001",
    "product_version": "7.2",
    "priority": "medium",
    "subject": "Cluster split",
    "description": "Both nodes claim to be active.",
    "diagnostics": "Checked the heartbeat link.",
}


def test_it_files_a_ticket_with_the_forms_rules(api_as, customer, license_a):
    response = api_as(customer).post(TICKETS, FILING)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "registered"
    assert response["Location"] == f"{TICKETS}{body['number']}/"
    assert body["contact_email"] == customer.email


def test_it_files_with_files_in_multipart(api_as, customer, license_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {**FILING, "files": [SimpleUploadedFile("vpn.log", b"tunnel down\n")]}
    response = api_as(customer).post(TICKETS, data, multipart=True)
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    files = api_as(customer).get(f"{TICKETS}{number}/attachments/").json()
    assert [f["name"] for f in files] == ["vpn.log"]


def test_it_refuses_a_filing_with_the_pages_messages_and_saves_nothing(
    api_as, customer, license_a, license_b
):
    response = api_as(customer).post(
        TICKETS, {**FILING, "license_key": license_b.key, "subject": "  "}
    )
    assert response.status_code == 400
    errors = problem(response)["errors"]
    assert errors["license_key"] == [
        "Your organization has no license with the key BETA-0001. Check the key."
    ]
    assert errors["subject"] == ["Enter a subject."]
    assert api_as(customer).get(TICKETS).json()["results"] == []


def test_it_answers_in_the_callers_language(api_as, customer, license_a):
    customer.language = "ru"
    customer.save(update_fields=["language"])
    response = api_as(customer).post(TICKETS, {**FILING, "subject": ""})
    assert problem(response)["errors"]["subject"] == ["Укажите тему."]


def test_it_refuses_a_body_that_is_not_an_object(api_as, customer):
    response = api_as(customer).client.post(TICKETS, "[1, 2]", content_type="application/json")
    assert response.status_code == 400
    assert problem(response)["status"] == 400


def test_it_refuses_a_nul_character(api_as, customer, license_a):
    response = api_as(customer).post(TICKETS, {**FILING, "subject": "a\x00b"})
    assert response.status_code == 400


def test_an_engineer_files_no_ticket_of_their_own(api_as, engineer, license_a):
    response = api_as(engineer).post(TICKETS, FILING)
    assert response.status_code == 400
    assert problem(response)["errors"]["customer"] == [
        "Choose the customer who called the hotline."
    ]


def test_a_deactivated_organizations_customer_files_nothing(client, customer, org_a, license_a):
    client.force_login(customer)
    org_a.is_active = False
    org_a.save()
    # The session ends with the organization (accounts.security): the API says so.
    response = client.post(TICKETS, FILING, content_type="application/json")
    assert response.status_code == 401
    problem(response)
