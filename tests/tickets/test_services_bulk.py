"""Bulk take and assign: one outcome per number, each ticket in its own transaction."""

from tests.factories import TicketFactory, ticket_in_state
from tickets import services
from tickets.models import State
from tickets.services.bulk import BulkOutcome


def test_it_takes_each_ticket_and_says_why_each_refused_one_was_refused(
    engineer, customer, outsider, license_a, license_b
):
    fresh = TicketFactory(customer=customer, license=license_a)
    waiting = ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )
    other_org = TicketFactory(customer=outsider, license=license_b)
    numbers = [waiting.number, "SUP-1999-999999", fresh.number, other_org.number]

    outcomes = services.tickets_bulk_take(actor=engineer, numbers=numbers)

    assert [(o.number, o.done, o.missing) for o in outcomes] == [
        (waiting.number, False, False),
        ("SUP-1999-999999", False, True),
        (fresh.number, True, False),
        (other_org.number, True, False),  # engineers see every organization
    ]
    assert "Awaiting customer" in outcomes[0].reasons[0]
    fresh.refresh_from_db()
    assert fresh.state == State.IN_PROGRESS


def test_it_treats_another_organizations_ticket_as_missing_for_a_customer(
    customer, outsider, license_b
):
    other_org = TicketFactory(customer=outsider, license=license_b)
    (outcome,) = services.tickets_bulk_take(actor=customer, numbers=[other_org.number])
    assert outcome == BulkOutcome(other_org.number, done=False, missing=True)


def test_it_assigns_each_ticket_to_the_engineer(engineer, engineer2, customer, license_a):
    tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(3)]
    outcomes = services.tickets_bulk_assign(
        actor=engineer, numbers=[t.number for t in tickets], engineer=engineer2
    )
    assert all(outcome.done for outcome in outcomes)
    for ticket in tickets:
        ticket.refresh_from_db()
        assert ticket.assignee == engineer2
