"""Priority changes only by agreement of both sides (regulation 2.3)."""

import pytest
from django.core.exceptions import ValidationError

from tickets import services
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import PriorityChange, TicketEvent


def test_it_changes_the_priority_only_when_the_other_side_accepts(ticket, engineer, customer):
    change = services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="One admin affected."
    )
    ticket.refresh_from_db()
    assert ticket.priority_id == "high"

    services.priority_change_answer(actor=customer, change=change, accept=True)
    ticket.refresh_from_db()
    assert ticket.priority_id == "low"
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds[-2:] == [TicketEvent.Kind.PRIORITY_PROPOSED, TicketEvent.Kind.PRIORITY_ACCEPTED]


def test_it_keeps_the_priority_when_the_other_side_declines(ticket, engineer, customer):
    change = services.priority_change_propose(
        actor=customer, ticket=ticket, to_priority="critical", reason="The whole office is down."
    )
    services.priority_change_answer(
        actor=engineer, change=change, accept=False, note="Only one site is affected."
    )
    ticket.refresh_from_db()
    change.refresh_from_db()
    assert ticket.priority_id == "high"
    assert change.status == PriorityChange.Status.DECLINED
    assert change.decision_note == "Only one site is affected."
    assert ticket.events.filter(kind=TicketEvent.Kind.PRIORITY_DECLINED).count() == 1


def test_it_does_not_let_the_proposing_side_accept_its_own_proposal(ticket, engineer, engineer2):
    change = services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="Minor."
    )
    with pytest.raises(ActionNotPermitted):
        services.priority_change_answer(actor=engineer2, change=change, accept=True)


def test_it_lets_a_colleague_answer_for_the_organization(ticket, engineer, colleague):
    change = services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="Minor."
    )
    services.priority_change_answer(actor=colleague, change=change, accept=True)
    ticket.refresh_from_db()
    assert ticket.priority_id == "low"


def test_it_refuses_an_outsider_proposal_and_answer(ticket, engineer, outsider):
    with pytest.raises(ActionNotPermitted):
        services.priority_change_propose(
            actor=outsider, ticket=ticket, to_priority="low", reason="x"
        )
    change = services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="Minor."
    )
    with pytest.raises(ActionNotPermitted):
        services.priority_change_answer(actor=outsider, change=change, accept=True)


def test_it_requires_a_reason_and_a_different_priority(ticket, customer):
    with pytest.raises(ValidationError) as error:
        services.priority_change_propose(
            actor=customer, ticket=ticket, to_priority="low", reason=""
        )
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.priority_change_propose(
            actor=customer, ticket=ticket, to_priority="high", reason="same"
        )
    assert "to_priority" in error.value.message_dict


def test_it_keeps_one_pending_proposal_at_a_time_and_answers_once(ticket, engineer, customer):
    change = services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="Minor."
    )
    with pytest.raises(ActionNotAllowedNow):
        services.priority_change_propose(
            actor=customer, ticket=ticket, to_priority="critical", reason="No!"
        )
    services.priority_change_answer(actor=customer, change=change, accept=False)
    with pytest.raises(ActionNotAllowedNow):
        services.priority_change_answer(actor=customer, change=change, accept=True)


def test_it_counts_a_customer_answer_as_activity_on_the_portal(ticket, engineer, customer):
    change = services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="Minor."
    )
    before = ticket.last_customer_activity_at
    services.priority_change_answer(actor=customer, change=change, accept=True)
    ticket.refresh_from_db()
    assert ticket.last_customer_activity_at > before
