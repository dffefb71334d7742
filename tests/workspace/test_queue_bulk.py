"""Taking or assigning several tickets at once from the queue: each ticket on its own, with a
message per refusal, and back to the queue as it was filtered."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests.factories import TicketFactory, ticket_in_state
from tickets.models import Notification, State, Ticket, TicketEvent


@pytest.fixture
def signed_in(client, engineer):
    client.force_login(engineer)
    return client


@pytest.fixture
def two(customer, license_a):
    return [TicketFactory(customer=customer, license=license_a) for _ in range(2)]


def bulk(client, numbers, action="take", **extra):
    return client.post(
        reverse("workspace:queue_bulk"), {"tickets": numbers, "action": action, **extra}
    )


def said(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def test_it_takes_the_free_ticket_and_says_why_the_other_was_refused(
    signed_in, engineer, engineer2, customer, license_a
):
    free = TicketFactory(customer=customer, license=license_a)
    taken = ticket_in_state("in_progress", customer=customer, engineer=engineer2, license=license_a)
    response = bulk(signed_in, [free.number, taken.number])
    assert response.status_code == 302
    assert said(response) == [
        (
            "error",
            f"{taken.number} was not changed: You cannot take this ticket into work: "
            "the ticket is “In progress” now.",
        ),
        ("success", f"Taken into work: {free.number}."),
    ]
    free.refresh_from_db()
    taken.refresh_from_db()
    assert (free.state, free.assignee) == (State.IN_PROGRESS, engineer)
    assert free.reacted_at is not None
    assert taken.assignee == engineer2  # untouched
    assert TicketEvent.objects.filter(ticket=free, kind="take", actor=engineer).count() == 1
    assert not TicketEvent.objects.filter(ticket=taken, actor=engineer).exists()


def test_it_assigns_several_tickets_to_another_engineer(signed_in, engineer, engineer2, two):
    response = bulk(signed_in, [t.number for t in two], action="assign", engineer=engineer2.pk)
    numbers = ", ".join(t.number for t in two)
    assert said(response) == [("success", f"Assigned to Frank: {numbers}.")]
    for ticket in two:
        ticket.refresh_from_db()
        assert ticket.assignee == engineer2
        assert ticket.state == State.REGISTERED  # assigning is not taking
        event = TicketEvent.objects.get(ticket=ticket, kind="assign")
        assert (event.actor, event.data) == (engineer, {"from": None, "to": engineer2.pk})
    assert Notification.objects.filter(recipient=engineer2, kind="assigned").count() == 2


def test_it_asks_whom_to_assign_to_and_changes_nothing(signed_in, two):
    response = bulk(signed_in, [t.number for t in two], action="assign")
    assert said(response) == [("error", "Choose the engineer to assign the tickets to.")]
    assert not Ticket.objects.filter(assignee__isnull=False).exists()


@pytest.mark.parametrize("who", ["customer", "inactive"])
def test_it_assigns_to_active_engineers_only(signed_in, request, engineer2, two, who):
    if who == "inactive":
        engineer2.is_active = False
        engineer2.save(update_fields=["is_active"])
        person = engineer2
    else:
        person = request.getfixturevalue("customer")
    response = bulk(signed_in, [two[0].number], action="assign", engineer=person.pk)
    assert said(response)[0][0] == "error"
    assert "Select a valid choice" in said(response)[0][1]
    two[0].refresh_from_db()
    assert two[0].assignee is None


def test_it_refuses_to_assign_a_closed_ticket_and_assigns_the_rest(
    signed_in, engineer, engineer2, customer, license_a, two
):
    closed = ticket_in_state("closed", customer=customer, engineer=engineer, license=license_a)
    numbers = [closed.number, two[0].number]
    response = bulk(signed_in, numbers, action="assign", engineer=engineer2.pk)
    assert said(response) == [
        ("error", f"{closed.number} was not changed: A closed ticket cannot be assigned."),
        ("success", f"Assigned to Frank: {two[0].number}."),
    ]


def test_it_says_which_numbers_do_not_exist(signed_in, two):
    response = bulk(signed_in, ["SUP-1999-999999", two[0].number])
    assert said(response) == [
        ("error", "SUP-1999-999999: no such ticket."),
        ("success", f"Taken into work: {two[0].number}."),
    ]


def test_it_asks_for_at_least_one_ticket(signed_in):
    response = bulk(signed_in, [])
    assert said(response) == [("error", "Choose at least one ticket.")]


def test_it_returns_to_the_queue_with_its_filters_and_nothing_else(signed_in, two):
    query = "view=unassigned&priority=high&page=2&next=https://evil.example/&q=vpn"
    response = bulk(signed_in, [two[0].number], query=query)
    assert response["Location"] == "/work/queue/?view=unassigned&priority=high&q=vpn&page=2"


def test_it_returns_to_the_plain_queue_without_a_query(signed_in, two):
    assert bulk(signed_in, [two[0].number])["Location"] == "/work/queue/"


def test_it_needs_the_csrf_token(engineer, two):
    client = Client(enforce_csrf_checks=True)
    client.force_login(engineer)
    response = bulk(client, [two[0].number])
    assert response.status_code == 403
    two[0].refresh_from_db()
    assert two[0].state == State.REGISTERED


def test_the_page_posts_the_chosen_numbers_to_the_bulk_action(signed_in, two):
    page = signed_in.get(reverse("workspace:queue"), {"view": "unassigned"}).content.decode()
    assert f'<form method="post" action="{reverse("workspace:queue_bulk")}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<input type="hidden" name="query" value="view=unassigned">' in page
    assert f'name="tickets" value="{two[0].number}"' in page
    assert '<button type="submit" name="action" value="take" class="btn' in page
    assert '<button type="submit" name="action" value="assign" class="btn' in page
