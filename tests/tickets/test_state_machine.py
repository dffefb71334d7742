"""The ticket FSM on unsaved instances: which transition runs from which state, for whom."""

import datetime

import pytest
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from accounts.models import User
from tests.factories import TicketFactory
from tickets.models import OPEN_STATES, CloseReason, State, Ticket

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)

# name -> (sources, target), straight from docs/regulation.md, 2.3-2.4
TRANSITIONS = {
    "take": ({State.REGISTERED, State.DISPUTED}, State.IN_PROGRESS),
    "request_info": ({State.IN_PROGRESS}, State.AWAITING_CUSTOMER),
    "provide_info": ({State.AWAITING_CUSTOMER}, State.IN_PROGRESS),
    "resolve": ({State.IN_PROGRESS}, State.RESOLVED),
    "confirm": ({State.RESOLVED}, State.CONFIRMED),
    "close_confirmed": ({State.CONFIRMED}, State.CLOSED),
    "dispute": ({State.RESOLVED}, State.DISPUTED),
    "auto_close": ({State.RESOLVED, State.AWAITING_CUSTOMER}, State.CLOSED),
    "withdraw": (set(OPEN_STATES), State.CLOSED),
}
ENGINEER_ONLY = {"take", "request_info", "resolve"}
CUSTOMER_ONLY = {"provide_info", "confirm", "dispute", "withdraw"}


def kwargs_for(name: str) -> dict:
    kwargs = {"now": NOW}
    if name == "take":
        kwargs["engineer"] = User(role=User.Role.ENGINEER, email="e@x")
    return kwargs


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_it_runs_a_transition_exactly_from_its_source_states(name, state):
    ticket = Ticket(state=state, organization_id=1)
    sources, target = TRANSITIONS[name]
    method = getattr(ticket, name)
    assert can_proceed(method) is (state in sources)
    if state in sources:
        method(**kwargs_for(name))
        assert ticket.state == target
    else:
        with pytest.raises(TransitionNotAllowed):
            method(**kwargs_for(name))
        assert ticket.state == state


@pytest.mark.parametrize("name", sorted(ENGINEER_ONLY | CUSTOMER_ONLY))
def test_it_gives_each_transition_to_the_right_role(name):
    sources, _ = TRANSITIONS[name]
    ticket = Ticket(state=next(iter(sources)), organization_id=1)
    own_customer = User(role=User.Role.CUSTOMER, organization_id=1, email="c@a")
    other_customer = User(role=User.Role.CUSTOMER, organization_id=2, email="c@b")
    engineer = User(role=User.Role.ENGINEER, email="e@x")
    method = getattr(ticket, name)
    assert has_transition_perm(method, engineer) is (name in ENGINEER_ONLY)
    assert has_transition_perm(method, own_customer) is (name in CUSTOMER_ONLY)
    assert has_transition_perm(method, other_customer) is False


def test_it_refuses_a_deactivated_engineer():
    ticket = Ticket(state=State.REGISTERED, organization_id=1)
    engineer = User(role=User.Role.ENGINEER, email="e@x", is_active=False)
    assert not has_transition_perm(ticket.take, engineer)


def test_it_refuses_direct_assignment_of_the_state():
    ticket = Ticket(state=State.REGISTERED, organization_id=1)
    with pytest.raises(AttributeError, match="Direct state modification is not allowed"):
        ticket.state = State.CLOSED
    assert ticket.state == State.REGISTERED


def test_it_records_the_first_take_as_the_reaction_only():
    engineer = User(role=User.Role.ENGINEER, email="e@x")
    ticket = Ticket(state=State.REGISTERED, organization_id=1)
    ticket.take(engineer=engineer, now=NOW)
    later = NOW + datetime.timedelta(days=1)
    ticket.resolve(now=later)
    ticket.dispute(now=later)
    ticket.take(engineer=engineer, now=later + datetime.timedelta(hours=1))
    assert ticket.reacted_at == NOW


def test_it_closes_with_the_reason_of_the_path_taken():
    confirmed = Ticket(state=State.RESOLVED, organization_id=1)
    confirmed.confirm(now=NOW)
    confirmed.close_confirmed(now=NOW)
    withdrawn = Ticket(state=State.IN_PROGRESS, organization_id=1)
    withdrawn.withdraw(now=NOW)
    silent = Ticket(state=State.AWAITING_CUSTOMER, organization_id=1)
    silent.auto_close(now=NOW)
    assert (confirmed.close_reason, withdrawn.close_reason, silent.close_reason) == (
        CloseReason.CONFIRMED,
        CloseReason.WITHDRAWN,
        CloseReason.NO_CUSTOMER_RESPONSE,
    )
    assert confirmed.closed_at == withdrawn.closed_at == silent.closed_at == NOW


def test_the_ticket_factory_builds_an_unsaved_ticket_without_the_database():
    # No database fixture here: any query would fail the test.
    ticket = TicketFactory.build(now=NOW, priority="critical")
    assert [ticket.pk, ticket.customer.pk, ticket.license.pk] == [None, None, None]
    assert (ticket.state, ticket.priority_id) == (State.REGISTERED, "critical")
    assert ticket.registered_at == NOW
    ticket.take(engineer=User(role=User.Role.ENGINEER, email="e@x"), now=NOW)
    assert ticket.state == State.IN_PROGRESS
