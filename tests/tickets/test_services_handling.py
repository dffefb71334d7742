"""How the work is done (regulation 2.3): handling method and contact records."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import TicketFactory, ticket_in_state
from tickets import services
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import Message, Ticket, TicketEvent


def test_it_records_the_handling_method_with_an_audit_event(ticket, engineer):
    services.ticket_set_handling_method(actor=engineer, ticket=ticket, method="remote")
    ticket.refresh_from_db()
    assert ticket.handling_method == "remote"
    event = ticket.events.get(kind=TicketEvent.Kind.HANDLING_METHOD)
    assert event.actor == engineer
    assert event.data == {"from": "", "to": "remote"}


def test_it_keeps_the_deadlines_whatever_the_method(ticket, engineer):
    before = (ticket.reaction_due, ticket.resolution_due, ticket.queue_due)
    services.ticket_set_handling_method(actor=engineer, ticket=ticket, method="remote")
    ticket.refresh_from_db()
    assert (ticket.reaction_due, ticket.resolution_due, ticket.queue_due) == before


def test_it_offers_phone_consultations_on_extended_tiers_only(
    ticket, engineer, outsider, license_b
):
    with pytest.raises(ValidationError) as error:
        services.ticket_set_handling_method(actor=engineer, ticket=ticket, method="phone")
    assert "Extended support" in error.value.message_dict["method"][0]
    platinum = TicketFactory(customer=outsider, license=license_b)
    services.ticket_set_handling_method(actor=engineer, ticket=platinum, method="phone")
    assert Ticket.objects.get(pk=platinum.pk).handling_method == "phone"


def test_it_refuses_the_method_to_customers_and_on_closed_tickets(
    ticket, customer, engineer, license_a
):
    with pytest.raises(ActionNotPermitted):
        services.ticket_set_handling_method(actor=customer, ticket=ticket, method="remote")
    closed = ticket_in_state("closed", customer=customer, engineer=engineer, license=license_a)
    with pytest.raises(ActionNotAllowedNow):
        services.ticket_set_handling_method(actor=engineer, ticket=closed, method="remote")


def test_it_records_a_remote_session_in_the_public_conversation(ticket, engineer, customer):
    message = services.ticket_record_contact(
        actor=engineer, ticket=ticket, method="remote", summary="Checked the tunnel together."
    )
    assert message.kind == Message.Kind.REMOTE_SESSION
    assert not message.is_internal
    ticket.refresh_from_db()
    assert ticket.handling_method == "remote"  # the first contact sets the method
    assert customer.notifications.filter(ticket=ticket, kind="reply").exists()


def test_it_keeps_a_chosen_method_when_a_contact_of_another_kind_is_recorded(ticket, engineer):
    services.ticket_set_handling_method(actor=engineer, ticket=ticket, method="portal")
    services.ticket_record_contact(actor=engineer, ticket=ticket, method="remote", summary="Done.")
    assert Ticket.objects.get(pk=ticket.pk).handling_method == "portal"


@pytest.mark.parametrize(
    ("method", "summary", "field"),
    [("phone", "Talked.", "method"), ("portal", "Talked.", "method"), ("remote", "  ", "summary")],
)
def test_it_refuses_a_bad_contact_record_and_saves_nothing(
    ticket, engineer, method, summary, field
):
    with pytest.raises(ValidationError) as error:
        services.ticket_record_contact(
            actor=engineer, ticket=ticket, method=method, summary=summary
        )
    assert field in error.value.message_dict
    assert not ticket.messages.exists()
    assert Ticket.objects.get(pk=ticket.pk).handling_method == ""
