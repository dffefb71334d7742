"""The engineer's forms on the ticket page, kept per what they show ({% kept_panel %},
tickets/templatetags/engineer_panels.py): a page drawn from the kept parts is the page drawn
afresh, with its own CSRF token, number and `seen` marker; what the key does not hold (a
refused form, a proposed session) is drawn with the page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory, ticket_in_state
from tickets import services
from tickets.templatetags import engineer_panels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    engineer_panels._PANELS.items.clear()
    yield
    engineer_panels._PANELS.items.clear()


@pytest.fixture
def as_engineer(client, engineer):
    client.force_login(engineer)
    return client


def page(client, ticket) -> str:
    return client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)


@pytest.mark.parametrize("state", ["registered", "in_progress", "awaiting_customer", "resolved"])
def test_a_page_from_kept_parts_is_the_page_drawn_afresh(
    as_engineer, engineer, customer, license_a, state
):
    ticket = ticket_in_state(state, customer=customer, engineer=engineer, license=license_a)
    fresh = page(as_engineer, ticket)
    assert engineer_panels._PANELS.items  # kept on the first drawing

    kept = page(as_engineer, ticket)

    assert without_tokens(kept) == without_tokens(fresh)
    assert len(tokens(kept)) == 1  # every form carries this request's token
    assert re.search(r"kept[0-9a-f]{16}", kept) is None  # no placeholder left
    assert 'id="engineer-panel"' in kept
    assert f'action="/tickets/{ticket.number}/assign/"' in kept


def test_another_ticket_in_the_same_state_has_its_own_number_and_marker(
    as_engineer, engineer, customer, license_a
):
    first = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    second = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    page(as_engineer, first)
    kept = len(engineer_panels._PANELS.items)
    services.message_post(actor=engineer, ticket=second, body="A note", internal=True)

    html = page(as_engineer, second)

    assert len(engineer_panels._PANELS.items) == kept  # the same parts served both pages
    assert f'action="/tickets/{second.number}/resolve/"' in html
    assert f'action="/tickets/{first.number}/' not in html
    assert f':{second.number}:resolve"' in html  # the draft's name
    marker = re.findall(r'name="seen" value="([^"]+)"', html)
    assert set(marker) == {
        str(max(second.messages.values_list("pk", flat=True)))
        + "."
        + str(max(second.events.values_list("pk", flat=True)))
    }


def test_what_the_ticket_allows_changes_the_parts(as_engineer, engineer, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a)
    assert 'id="take-button"' in page(as_engineer, ticket)
    services.ticket_take(actor=engineer, ticket=ticket)

    html = page(as_engineer, ticket)

    assert 'id="take-button"' not in html
    assert 'id="resolve-button"' in html


def test_a_state_change_alone_changes_the_parts(as_engineer, engineer, customer, license_a):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    assert 'id="request-info"' in page(as_engineer, ticket)
    services.ticket_request_info(actor=engineer, ticket=ticket, body="The logs, please.")

    assert 'id="request-info"' not in page(as_engineer, ticket)  # asked already


def test_a_refused_form_is_drawn_with_what_was_typed(as_engineer, engineer, customer, license_a):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    page(as_engineer, ticket)

    response = as_engineer.post(
        reverse("tickets:record_contact", args=[ticket.number]),
        {"contact-method": "phone", "contact-summary": "Talked for an hour."},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Talked for an hour." in html
    assert "Extended support (Premium, Platinum) only" in html


def test_a_proposed_session_is_drawn_with_the_page(as_engineer, engineer, customer, license_a):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    starts = timezone.now() + datetime.timedelta(days=1)
    services.session_propose(
        actor=engineer,
        ticket=ticket,
        method="remote",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )

    html = page(as_engineer, ticket)

    assert 'id="pending-session"' in html
    assert "Propose a different session instead" in html
    assert 'id="resolve-button"' in html  # the other parts, kept, are there too
    assert 'id="assign-form"' in html
    assert 'id="pending-session"' in page(as_engineer, ticket)  # and again, from kept parts


@pytest.mark.parametrize("state", ["in_progress", "awaiting_customer"])
def test_a_customers_page_from_the_kept_reply_form_is_the_page_drawn_afresh(
    client, engineer, customer, license_a, state
):
    ticket = ticket_in_state(state, customer=customer, engineer=engineer, license=license_a)
    client.force_login(customer)
    fresh = page(client, ticket)
    assert engineer_panels._PANELS.items  # the reply form, kept for customers too

    kept = page(client, ticket)

    assert without_tokens(kept) == without_tokens(fresh)
    assert len(tokens(kept)) == 1
    assert re.search(r"kept[0-9a-f]{16}", kept) is None
    assert f'action="/tickets/{ticket.number}/reply/"' in kept
    assert f'data-draft-key="{customer.pk}:{ticket.number}:reply"' in kept
    assert 'id="reply-internal"' not in kept  # the engineers' internal note
    assert 'id="link-form"' not in kept
    if state == "awaiting_customer":
        assert "Send the information" in kept


def test_a_refused_reply_is_drawn_with_its_error_then_the_kept_form_again(
    client, engineer, customer, license_a
):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    client.force_login(customer)
    page(client, ticket)

    response = client.post(reverse("tickets:reply", args=[ticket.number]), {"reply-body": "  "})

    assert response.status_code == 400
    assert "Write a message or attach a file." in response.content.decode()
    assert "Write a message or attach a file." not in page(client, ticket)


def test_the_link_form_is_kept_with_the_engineers_parts(as_engineer, engineer, customer, license_a):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    page(as_engineer, ticket)
    assert any(key[0] == "tickets/_link_form.html" for key in engineer_panels._PANELS.items)

    html = page(as_engineer, ticket)

    assert f'action="/tickets/{ticket.number}/links/"' in html
    assert 'id="link-form"' in html
