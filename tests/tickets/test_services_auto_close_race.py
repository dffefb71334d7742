"""A customer acting on a ticket the auto-close took a moment earlier (regulation 2.4)."""

import pytest

from tests.factories import ticket_in_state
from tickets import jobs, services
from tickets.errors import ConcurrentUpdate
from tickets.models import CloseReason, State, Ticket


@pytest.fixture
def resolved(customer, engineer, license_a):
    return ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)


def close_for_silence(ticket: Ticket) -> None:
    assert jobs.auto_close(now=ticket.auto_close_at) == 1
    closed = Ticket.objects.get(pk=ticket.pk)
    assert (closed.state, closed.close_reason) == (State.CLOSED, CloseReason.NO_CUSTOMER_RESPONSE)


def test_it_tells_a_customer_whose_confirm_lost_to_the_auto_close_why_it_closed(resolved, customer):
    page = Ticket.objects.get(pk=resolved.pk)  # the customer opened the ticket page
    close_for_silence(resolved)

    with pytest.raises(ConcurrentUpdate) as refused:
        services.ticket_confirm(actor=customer, ticket=page, now=resolved.auto_close_at)

    message = str(refused.value.message)
    assert message.startswith("This ticket was closed a moment ago because it had no answer")
    assert "from you for more than 10 business days" in message
    assert "file a new ticket" in message
    assert "Somebody else" not in message
    closed = Ticket.objects.get(pk=resolved.pk)
    assert closed.close_reason == CloseReason.NO_CUSTOMER_RESPONSE
    assert not closed.events.filter(kind="confirm").exists()


def test_it_tells_a_customer_whose_dispute_lost_to_the_auto_close_that_the_text_is_kept(
    resolved, customer
):
    page = Ticket.objects.get(pk=resolved.pk)
    close_for_silence(resolved)

    with pytest.raises(ConcurrentUpdate) as refused:
        services.ticket_dispute(
            actor=customer, ticket=page, reason="Still broken.", now=resolved.auto_close_at
        )

    assert "no answer from you" in str(refused.value.message)
    assert "What you typed is kept" in str(refused.value.message)


def test_it_tells_an_engineer_that_the_customer_stayed_silent(resolved, engineer):
    page = Ticket.objects.get(pk=resolved.pk)
    close_for_silence(resolved)

    with pytest.raises(ConcurrentUpdate) as refused:
        services.ticket_set_handling_method(actor=engineer, ticket=page, method="remote")

    message = str(refused.value.message)
    assert "the customer had not answered for more than 10 business days" in message
    assert "from you" not in message


def test_it_still_says_somebody_else_acted_when_the_ticket_moved_otherwise(resolved, customer):
    page = Ticket.objects.get(pk=resolved.pk)
    services.ticket_withdraw(actor=customer, ticket=Ticket.objects.get(pk=resolved.pk))

    with pytest.raises(ConcurrentUpdate) as refused:
        services.ticket_confirm(actor=customer, ticket=page)

    assert "Somebody else changed this ticket" in str(refused.value.message)
