"""The engineers' audit history on the ticket page, kept per what it shows
({% history_lines %}, tickets/templatetags/ticket_page.py): what is kept is what a fresh
drawing gives, and a renamed person, another language or a history naming someone who is no
longer an engineer is drawn afresh."""

import pytest
from django.utils import translation

from tickets import selectors, services
from tickets.templatetags import ticket_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    ticket_page._HISTORIES.items.clear()
    yield
    ticket_page._HISTORIES.items.clear()


def history(engineer, ticket) -> str:
    events = selectors.events_for_user(user=engineer, ticket=ticket)
    return str(ticket_page.history_lines(events, {}))


@pytest.fixture
def handed_over(engineer, engineer2, ticket):
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_assign(actor=engineer, ticket=ticket, engineer=engineer2)
    return ticket


def test_a_kept_history_is_what_a_fresh_drawing_gives(engineer, engineer2, handed_over):
    first = history(engineer, handed_over)
    assert len(ticket_page._HISTORIES.items) == 1
    assert history(engineer, handed_over) == first
    ticket_page._HISTORIES.items.clear()

    assert history(engineer, handed_over) == first
    assert "Taken into work" in first
    assert f'Assigned <span class="data">(to {engineer2})</span>' in first
    assert first.count("<li ") == 3  # registered, taken, assigned


def test_a_new_event_and_another_language_are_drawn_afresh(engineer, customer, handed_over):
    before = history(engineer, handed_over)
    services.message_post(actor=engineer, ticket=handed_over, body="Looking", internal=True)
    services.ticket_request_info(actor=engineer, ticket=handed_over, body="The logs, please.")
    after = history(engineer, handed_over)
    with translation.override("ru"):
        russian = history(engineer, handed_over)

    assert after.count("<li ") == before.count("<li ") + 1
    assert "Information requested" in after
    assert "Information requested" not in russian


def test_renamed_people_are_named_anew(engineer, engineer2, customer, handed_over):
    assert "Alice" in history(engineer, handed_over)  # who registered the ticket
    customer.first_name = "Alicia"
    customer.save(update_fields=["first_name"])  # not reference data: no new version
    assert "Alicia" in history(engineer, handed_over)

    engineer2.first_name = "Francesca"
    engineer2.save(update_fields=["first_name"])  # reference data: a new version
    assert "(to Francesca" in history(engineer, handed_over)


def test_a_history_naming_someone_no_longer_an_engineer_is_drawn_each_time(
    engineer, engineer2, handed_over
):
    engineer2.is_active = False
    engineer2.save(update_fields=["is_active"])
    history(engineer, handed_over)
    assert ticket_page._HISTORIES.items == {}

    engineer2.first_name = "Francesca"
    engineer2.save(update_fields=["first_name"])
    assert "(to Francesca" in history(engineer, handed_over)


def customer_history(customer, ticket) -> str:
    ticket = selectors.ticket_for_user(user=customer, number=ticket.number)
    events = selectors.events_for_user(user=customer, ticket=ticket)
    return str(ticket_page.customer_history_lines(ticket, events, {}))


def test_the_customers_kept_history_is_what_a_fresh_drawing_gives(customer, engineer, handed_over):
    ticket_page._CUSTOMER_HISTORIES.items.clear()
    first = customer_history(customer, handed_over)
    assert customer_history(customer, handed_over) == first
    ticket_page._CUSTOMER_HISTORIES.items.clear()

    assert customer_history(customer, handed_over) == first
    assert "Taken into work" in first
    assert "Reaction in time" in first  # taken at once
    assert "Assigned" not in first  # hand-overs stay with engineers


def test_the_customers_history_follows_the_ticket_and_the_language(customer, engineer, handed_over):
    ticket_page._CUSTOMER_HISTORIES.items.clear()
    before = customer_history(customer, handed_over)
    services.ticket_resolve(actor=engineer, ticket=handed_over, result="MTU set to 1400.")
    after = customer_history(customer, handed_over)
    with translation.override("ru"):
        russian = customer_history(customer, handed_over)

    assert "Resolution in time" not in before
    assert "Resolution in time" in after
    assert "Resolution in time" not in russian
    ticket_page._CUSTOMER_HISTORIES.items.clear()
