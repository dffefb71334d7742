"""Agreements visible to both sides (regulation 2.3), and the small truths of the ticket page."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from tests.factories import TicketFactory, ticket_in_state
from tickets import jobs, services
from tickets.errors import ActionNotPermitted
from tickets.models import Message, PriorityChange, Side, State, TicketEvent

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MSK)


def propose(actor, ticket, to="low", **kw):
    return services.priority_change_propose(
        actor=actor, ticket=ticket, to_priority=to, reason="Workaround in place.", **kw
    )


def test_it_fixes_the_side_of_a_proposal_when_it_is_made(ticket, engineer, customer):
    assert propose(engineer, ticket).side == Side.VENDOR
    other = TicketFactory(customer=customer, license=ticket.license)
    assert propose(customer, other, to="critical").side == Side.CUSTOMER


def test_it_refuses_an_answer_from_the_proposing_side_after_the_proposer_left(
    ticket, engineer, engineer2
):
    change = propose(engineer, ticket)
    engineer.is_active = False
    engineer.save()
    with pytest.raises(ActionNotPermitted):
        services.priority_change_answer(actor=engineer2, change=change, accept=True)
    ticket.refresh_from_db()
    assert ticket.priority_id == "high"
    assert PriorityChange.objects.get().status == PriorityChange.Status.PENDING


@pytest.mark.parametrize("close", ["confirm", "withdraw", "auto_close"])
def test_it_withdraws_a_pending_proposal_when_the_ticket_closes(
    close, customer, engineer, license_a
):
    ticket = TicketFactory(customer=customer, license=license_a, now=msk(2026, 3, 2, 10))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 11))
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Done.", now=msk(2026, 3, 2, 12))
    change = propose(engineer, ticket, now=msk(2026, 3, 2, 13))
    if close == "confirm":
        services.ticket_confirm(actor=customer, ticket=ticket, now=msk(2026, 3, 3, 10))
    elif close == "withdraw":
        services.ticket_withdraw(actor=customer, ticket=ticket, now=msk(2026, 3, 3, 10))
    else:
        assert jobs.auto_close(now=msk(2026, 4, 1)) == 1
    change.refresh_from_db()
    ticket.refresh_from_db()
    assert ticket.state == State.CLOSED
    assert change.status == PriorityChange.Status.WITHDRAWN
    assert change.decided_at == ticket.closed_at
    assert ticket.events.filter(kind=TicketEvent.Kind.PRIORITY_WITHDRAWN).count() == 1


def test_it_shows_a_proposal_and_its_answer_in_the_conversation_of_both_sides(
    client, ticket, customer, engineer
):
    change = propose(engineer, ticket)
    services.priority_change_answer(actor=customer, change=change, accept=False, note="No way.")
    for person in (customer, engineer):
        client.force_login(person)
        page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
        conversation = page[page.index('id="conversation-title"') :]
        assert f'id="priority-{change.pk}"' in conversation
        assert f'id="priority-{change.pk}-answer"' in conversation
        assert "Workaround in place." in conversation
        assert "No way." in conversation
        assert "Declined: the priority stays High." in conversation


def test_it_shows_a_proposal_withdrawn_by_closing_as_withdrawn(client, ticket, customer, engineer):
    change = propose(engineer, ticket)
    services.ticket_withdraw(actor=customer, ticket=ticket, reason="Solved it myself.")
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert f'id="priority-{change.pk}-answer"' in page
    assert "was withdrawn because the ticket was closed" in page


def test_it_records_a_withdrawal_reason_as_a_withdrawal_not_a_reply(client, ticket, customer):
    services.ticket_withdraw(actor=customer, ticket=ticket, reason="Solved it myself.")
    message = ticket.messages.get()
    assert message.kind == Message.Kind.WITHDRAWAL
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Withdrawal reason" in page


def test_it_shows_no_running_resolution_deadline_on_a_closed_ticket(
    client, customer, engineer, license_a
):
    closed = ticket_in_state("closed", customer=customer, engineer=engineer, license=license_a)
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[closed.number])).content.decode()
    deadlines = page[page.index('id="deadlines"') :]
    assert "due" not in deadlines[: deadlines.index("</dl>")]


def test_it_says_a_passed_confirmation_window_has_passed_and_what_is_still_possible(
    client, customer, engineer, license_a
):
    ticket = TicketFactory(customer=customer, license=license_a, now=msk(2026, 3, 2, 10))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 11))
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Done.", now=msk(2026, 3, 2, 12))
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "The time to confirm or dispute the result ended at" in page
    assert "You can still confirm it or dispute it" in page
    passed = page[page.index("The time to confirm") :]
    # Resolved Mon 2.3.2026: ten business days are 3.3-17.3 (9.3 a day off); 18.3 begins.
    assert "03/18/2026" in passed[: passed.index("</p>")]


def test_it_explains_on_the_customers_page_when_and_why_the_ticket_closes_for_silence(
    client, customer, engineer, license_a
):
    ticket = TicketFactory(customer=customer, license=license_a, now=msk(2026, 12, 15, 10))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 12, 15, 11))
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Logs.", now=msk(2026, 12, 16, 10)
    )
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert 'id="silence-explanation"' in page
    assert "closes at 00:00 of the 11th business day" in page
    assert "the ticket closes at 01/11/2027 midnight MSK" in page
    assert "non-working holiday" in page  # the New Year holidays on the way are listed
