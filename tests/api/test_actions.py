"""Every lifecycle action through the API: the services decide, with the pages' messages.
A refused role is 403, a state that does not allow it 409, an outsider 404, bad input 400."""

import pytest

from tests import factories
from tests.api.conftest import problem
from tickets import services
from tickets.models import State

T = "/api/v1/tickets/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("customer", 403),
        ("colleague", 403),
        ("outsider", 404),
        ("engineer", 200),
        ("admin_user", 200),
    ],
)
def test_take_is_for_engineers_and_invisible_to_outsiders(request, api_as, ticket, persona, status):
    response = api_as(request.getfixturevalue(persona)).post(f"{T}{ticket.number}/take/")
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["state"] == State.IN_PROGRESS
    else:
        problem(response)


def test_a_refused_role_says_why_as_the_page_does(api_as, customer, ticket):
    body = problem(api_as(customer).post(f"{T}{ticket.number}/take/"))
    assert body["detail"] == "You are not allowed to take this ticket into work."


def test_a_state_that_does_not_allow_it_is_a_409_conflict(api_as, customer, ticket):
    response = api_as(customer).post(f"{T}{ticket.number}/confirm/")
    assert response.status_code == 409
    assert "the ticket is “Registered” now" in problem(response)["detail"]


def test_the_whole_lifecycle_runs_through_the_api(api_as, customer, engineer, engineer2, ticket):
    eng, cust = api_as(engineer), api_as(customer)
    n = ticket.number
    assert eng.post(f"{T}{n}/assign/", {"engineer": engineer2.pk}).json()["assignee"]["id"] == (
        engineer2.pk
    )
    assert eng.post(f"{T}{n}/take/").json()["assignee"]["id"] == engineer.pk
    response = eng.post(f"{T}{n}/request-info/", {"body": "Send logs", "needs": ["logs"]})
    assert response.json()["state"] == State.AWAITING_CUSTOMER
    assert cust.post(f"{T}{n}/messages/", {"body": "Here they are"}).status_code == 201
    assert cust.get(f"{T}{n}/").json()["state"] == State.IN_PROGRESS
    assert eng.post(f"{T}{n}/handling-method/", {"method": "remote"}).json()["handling_method"] == (
        "remote"
    )
    assert eng.post(f"{T}{n}/resolve/", {"result": "Fixed the MTU"}).json()["state"] == (
        State.RESOLVED
    )
    response = cust.post(f"{T}{n}/dispute/", {"reason": "Still drops"})
    assert response.json()["state"] == State.DISPUTED
    eng.post(f"{T}{n}/take/")
    eng.post(f"{T}{n}/resolve/", {"result": "Replaced the cable"})
    assert cust.post(f"{T}{n}/confirm/").json()["state"] in {State.CONFIRMED, State.CLOSED}


def test_a_missing_reason_is_a_400_with_the_field_named(api_as, customer, engineer, ticket):
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Done")
    response = api_as(customer).post(f"{T}{ticket.number}/dispute/", {"reason": " "})
    assert response.status_code == 400
    assert list(problem(response)["errors"]) == ["reason"]


def test_a_customer_withdraws_their_ticket(api_as, colleague, ticket):
    response = api_as(colleague).post(f"{T}{ticket.number}/withdraw/", {"reason": "Solved"})
    assert response.json()["state"] == State.CLOSED


def test_priority_is_proposed_by_one_side_and_answered_by_the_other(
    api_as, customer, engineer, ticket
):
    proposed = api_as(customer).post(
        f"{T}{ticket.number}/priority-proposals/",
        {"to_priority": "critical", "reason": "Production is down"},
    )
    assert proposed.status_code == 201, proposed.content
    change = proposed.json()["id"]
    own = api_as(customer).post(
        f"{T}{ticket.number}/priority-proposals/{change}/answer/", {"accept": True}
    )
    assert own.status_code == 403
    answered = api_as(engineer).post(
        f"{T}{ticket.number}/priority-proposals/{change}/answer/", {"accept": True, "note": "ok"}
    )
    assert answered.json()["status"] == "accepted"
    assert api_as(customer).get(f"{T}{ticket.number}/").json()["priority"] == "critical"
    listed = api_as(engineer).get(f"{T}{ticket.number}/priority-proposals/").json()
    assert [c["id"] for c in listed] == [change]


def test_an_answer_to_another_tickets_proposal_is_404(
    api_as, customer, engineer, license_a, ticket
):
    other = factories.TicketFactory(customer=customer, license=license_a)
    change = services.priority_change_propose(
        actor=customer, ticket=other, to_priority="low", reason="Not urgent"
    )
    response = api_as(engineer).post(
        f"{T}{ticket.number}/priority-proposals/{change.pk}/answer/", {"accept": True}
    )
    assert response.status_code == 404


def test_a_read_only_token_changes_nothing(api_as, engineer, ticket):
    response = api_as(engineer, scope="read").post(f"{T}{ticket.number}/take/")
    assert response.status_code == 403
    assert "may only read" in problem(response)["detail"]
    assert api_as(engineer).get(f"{T}{ticket.number}/").json()["state"] == State.REGISTERED


def test_an_action_needs_csrf_with_the_session(customer, ticket):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)
    response = browser.post(f"{T}{ticket.number}/withdraw/", {}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in problem(response)["detail"]
