"""The engineer's side of the ticket page, through HTTP (the hotline page: test_view_hotline)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory, ticket_in_state
from tickets import services
from tickets.models import Message, State, Ticket

ENGINEER_ACTIONS = [
    "take",
    "assign",
    "request_info",
    "resolve",
    "handling_method",
    "record_contact",
]


@pytest.fixture
def as_engineer(client, engineer):
    client.force_login(engineer)
    return client


def act(client, name, ticket, **data):
    return client.post(reverse(f"tickets:{name}", args=[ticket.number]), data)


@pytest.mark.parametrize("name", ENGINEER_ACTIONS)
def test_it_accepts_engineer_actions_only_as_post(as_engineer, ticket, name):
    assert as_engineer.get(reverse(f"tickets:{name}", args=[ticket.number])).status_code == 405


@pytest.mark.parametrize("name", ENGINEER_ACTIONS)
def test_it_refuses_engineer_actions_to_the_customer(client, customer, ticket, name):
    client.force_login(customer)
    response = act(client, name, ticket, **{"resolve-result": "x", "info-body": "x"})
    assert response.status_code == 403  # engineer pages: refused before any service runs
    assert Ticket.objects.get(pk=ticket.pk).state == State.REGISTERED


@pytest.mark.parametrize("name", ENGINEER_ACTIONS)
def test_it_sends_an_anonymous_engineer_action_to_log_in(client, ticket, name):
    response = act(client, name, ticket)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_engineer_panel_to_engineers_only(client, as_engineer, customer, ticket):
    page = as_engineer.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert 'id="engineer-panel"' in page
    assert 'id="take-button"' in page
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert 'id="engineer-panel"' not in page
    assert 'id="engineer-actions"' not in page


def test_it_takes_asks_for_information_and_resolves(as_engineer, engineer, customer, ticket):
    assert act(as_engineer, "take", ticket).status_code == 302
    ticket.refresh_from_db()
    assert (ticket.state, ticket.assignee) == (State.IN_PROGRESS, engineer)

    response = act(
        as_engineer,
        "request_info",
        ticket,
        **{"info-needs": ["logs", "pcaps"], "info-body": "Of the night."},
    )
    assert response.status_code == 302
    request = ticket.messages.get(kind=Message.Kind.INFO_REQUEST)
    assert (request.needs, request.body) == (["logs", "pcaps"], "Of the night.")
    assert Ticket.objects.get(pk=ticket.pk).state == State.AWAITING_CUSTOMER

    ticket = Ticket.objects.get(pk=ticket.pk)

    services.message_post(actor=customer, ticket=ticket, body="Attached.")
    response = act(as_engineer, "resolve", ticket, **{"resolve-result": "A new MTU fixes it."})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).state == State.RESOLVED


def test_it_keeps_the_result_when_resolving_is_refused(as_engineer, ticket):
    response = act(as_engineer, "resolve", ticket, **{"resolve-result": "Set MTU to 1400."})
    # POST/redirect/GET: a reload of the page does not send the form again.
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.number])
    page = as_engineer.get(response["Location"]).content.decode()
    assert "You cannot resolve this ticket" in page
    assert "Set MTU to 1400." in page  # kept to copy, though the form is not shown now
    assert Ticket.objects.get(pk=ticket.pk).state == State.REGISTERED
    again = as_engineer.get(response["Location"]).content.decode()
    assert "Set MTU to 1400." not in again  # shown once


def test_it_asks_for_the_result_text(as_engineer, engineer, customer, license_a):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    response = act(as_engineer, "resolve", ticket, **{"resolve-result": "  "})
    assert response.status_code == 400
    assert "Describe the result for the customer." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).state == State.IN_PROGRESS


def test_it_assigns_to_another_engineer(as_engineer, engineer2, ticket):
    response = act(as_engineer, "assign", ticket, **{"assign-engineer": engineer2.pk})
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).assignee == engineer2


def test_it_refuses_to_assign_to_a_customer(as_engineer, customer, ticket):
    response = act(as_engineer, "assign", ticket, **{"assign-engineer": customer.pk})
    assert response.status_code == 400
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_it_records_a_session_and_explains_phone_is_extended_only(as_engineer, customer, ticket):
    response = act(
        as_engineer,
        "record_contact",
        ticket,
        **{"contact-method": "phone", "contact-summary": "Talked."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Extended support (Premium, Platinum) only" in page
    assert "Talked." in page
    response = act(
        as_engineer,
        "record_contact",
        ticket,
        **{"contact-method": "remote", "contact-summary": "Fixed live."},
    )
    assert response.status_code == 302
    as_engineer.force_login(customer)
    page = as_engineer.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Fixed live." in page
    assert "Remote session" in page


def test_it_keeps_internal_notes_from_the_customer(as_engineer, customer, ticket):
    as_engineer.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"reply-body": "Looks like a driver bug.", "internal": "1"},
    )
    page = as_engineer.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Internal note — not visible to the customer" in page
    as_engineer.force_login(customer)
    page = as_engineer.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "driver bug" not in page


def test_it_shows_the_audit_history_to_engineers(as_engineer, ticket):
    act(as_engineer, "take", ticket)
    act(as_engineer, "handling_method", ticket, **{"method-method": "remote"})
    page = as_engineer.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Taken into work" in page
    assert "Handling method chosen" in page


def test_it_sends_engineers_home_to_the_queue(as_engineer):
    assert as_engineer.get(reverse("home"))["Location"] == reverse("workspace:queue")


def test_it_renders_the_engineers_ticket_page_with_a_constant_number_of_queries(
    as_engineer, engineer, customer, license_a
):
    ticket = TicketFactory(customer=customer, license=license_a)

    services.ticket_take(actor=engineer, ticket=ticket)
    for n in range(10):
        services.message_post(actor=engineer, ticket=ticket, body=f"Note {n}", internal=n % 2 == 0)
    url = reverse("tickets:detail", args=[ticket.number])
    as_engineer.get(url)  # the first visit also marks the ticket's notifications read

    with CaptureQueriesContext(connection) as few:
        as_engineer.get(url)
    for n in range(10):
        services.message_post(actor=engineer, ticket=ticket, body=f"More {n}")
    with CaptureQueriesContext(connection) as many:
        as_engineer.get(url)
    assert len(many) == len(few)


def test_it_says_in_the_history_whom_a_ticket_went_to_and_which_method(
    as_engineer, engineer2, ticket
):
    act(as_engineer, "assign", ticket, **{"assign-engineer": engineer2.pk})
    act(as_engineer, "handling_method", ticket, **{"method-method": "remote"})
    page = as_engineer.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert f'Assigned <span class="data">(to {engineer2})</span>' in page
    assert 'Handling method chosen <span class="data">(Remote session)</span>' in page


def test_it_says_in_the_history_which_session_was_agreed_and_what_ended_a_proposal(
    as_engineer, engineer, license_b, outsider
):
    ticket = TicketFactory(customer=outsider, license=license_b)
    services.ticket_take(actor=engineer, ticket=ticket)
    starts = timezone.now() + datetime.timedelta(days=1)
    proposal = services.session_propose(
        actor=engineer,
        ticket=ticket,
        method="remote",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )
    services.session_answer(actor=outsider, proposal=proposal, accept=True)
    services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="Workaround."
    )
    services.ticket_withdraw(actor=outsider, ticket=ticket)
    page = as_engineer.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert 'Session agreed <span class="data">(Remote session, ' in page
    assert (
        'Priority proposal withdrawn <span class="data">'
        "(the ticket was closed before an answer)</span>" in page
    )


@pytest.mark.parametrize(
    ("state", "engineer_sees", "customer_sees"),
    [
        ("registered", {"take-button"}, {"withdraw-title"}),
        ("in_progress", {"request-info-button", "resolve-button"}, {"withdraw-title"}),
        ("awaiting_customer", set(), {"info-request", "withdraw-title"}),
        ("resolved", set(), {"confirm-button", "dispute-button", "withdraw-title"}),
        ("disputed", {"take-button"}, {"withdraw-title"}),
        ("closed", set(), set()),
    ],
)
def test_it_offers_exactly_the_actions_the_state_machine_allows_each_side(
    client, engineer, customer, license_a, state, engineer_sees, customer_sees
):
    ticket = ticket_in_state(state, customer=customer, engineer=engineer, license=license_a)
    buttons = {
        "take-button",
        "request-info-button",
        "resolve-button",
        "info-request",
        "confirm-button",
        "dispute-button",
        "withdraw-title",
    }
    for person, expected in ((engineer, engineer_sees), (customer, customer_sees)):
        client.force_login(person)
        page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
        assert {b for b in buttons if f'id="{b}"' in page} == expected, person
