"""Every lifecycle service, allowed and refused, per persona and per state (docs/regulation.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import ticket_in_state
from tickets import services
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.mail import render_email
from tickets.models import CloseReason, Message, Notification, State, Ticket, TicketEvent

STATES = ["registered", "in_progress", "awaiting_customer", "resolved", "disputed", "closed"]

# service -> (states it runs from, roles it is for, state afterwards)
SERVICES = {
    "take": ({"registered", "disputed"}, "engineer", State.IN_PROGRESS),
    "request_info": ({"in_progress"}, "engineer", State.AWAITING_CUSTOMER),
    "provide_info": ({"awaiting_customer"}, "customer", State.IN_PROGRESS),
    "resolve": ({"in_progress"}, "engineer", State.RESOLVED),
    "confirm": ({"resolved"}, "customer", State.CLOSED),
    "dispute": ({"resolved"}, "customer", State.DISPUTED),
    "withdraw": (set(STATES) - {"closed"}, "customer", State.CLOSED),
}


def call(service: str, *, actor, ticket):
    text = "Some text the person typed."
    return {
        "take": lambda: services.ticket_take(actor=actor, ticket=ticket),
        "request_info": lambda: services.ticket_request_info(actor=actor, ticket=ticket, body=text),
        "provide_info": lambda: services.ticket_provide_info(actor=actor, ticket=ticket, body=text),
        "resolve": lambda: services.ticket_resolve(actor=actor, ticket=ticket, result=text),
        "confirm": lambda: services.ticket_confirm(actor=actor, ticket=ticket),
        "dispute": lambda: services.ticket_dispute(actor=actor, ticket=ticket, reason=text),
        "withdraw": lambda: services.ticket_withdraw(actor=actor, ticket=ticket),
    }[service]()


@pytest.mark.parametrize("persona", ["customer", "colleague", "outsider", "engineer"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_it_allows_each_action_only_to_its_role_in_its_states(
    request, service, state, persona, customer, engineer, license_a
):
    ticket = ticket_in_state(state, customer=customer, engineer=engineer, license=license_a)
    actor = request.getfixturevalue(persona)
    sources, role, target = SERVICES[service]
    fits_role = (role == "engineer" and persona == "engineer") or (
        role == "customer" and persona in {"customer", "colleague"}
    )
    events_before = ticket.events.count()

    if fits_role and state in sources:
        call(service, actor=actor, ticket=ticket)
        ticket.refresh_from_db()
        assert ticket.state == target
        assert ticket.events.count() > events_before
        return

    expected = ActionNotAllowedNow if fits_role else ActionNotPermitted
    with pytest.raises(expected) as refusal:
        call(service, actor=actor, ticket=ticket)
    assert str(refusal.value.message)
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert fresh.state == state
    assert fresh.events.count() == events_before


def test_it_names_the_current_state_when_an_action_comes_too_late(ticket, engineer, customer):
    services.ticket_withdraw(actor=customer, ticket=ticket)
    with pytest.raises(ActionNotAllowedNow, match="Closed"):
        services.ticket_take(actor=engineer, ticket=ticket)


def test_it_writes_one_audit_event_per_transition(ticket, engineer, customer):
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_request_info(actor=engineer, ticket=ticket, body="Send the config export.")
    services.ticket_provide_info(actor=customer, ticket=ticket, body="Attached.")
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Changed the MTU.")
    services.ticket_confirm(actor=customer, ticket=ticket)

    rows = list(ticket.events.values_list("kind", "actor__email", "from_state", "to_state"))
    assert rows == [
        ("registered", customer.email, "", "registered"),
        ("take", engineer.email, "registered", "in_progress"),
        ("request_info", engineer.email, "in_progress", "awaiting_customer"),
        ("provide_info", customer.email, "awaiting_customer", "in_progress"),
        ("resolve", engineer.email, "in_progress", "resolved"),
        ("confirm", customer.email, "resolved", "confirmed"),
        ("close_confirmed", None, "confirmed", "closed"),
    ]
    ticket.refresh_from_db()
    assert ticket.close_reason == CloseReason.CONFIRMED


def test_it_requires_a_reason_to_dispute_and_keeps_the_ticket_resolved(
    customer, engineer, license_a
):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    with pytest.raises(ValidationError) as error:
        services.ticket_dispute(actor=customer, ticket=ticket, reason="   ")
    assert "reason" in error.value.message_dict
    ticket.refresh_from_db()
    assert ticket.state == State.RESOLVED
    assert not ticket.messages.filter(kind=Message.Kind.DISPUTE).exists()


def test_it_stores_the_dispute_reason_in_the_conversation_and_the_audit(
    customer, engineer, license_a
):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    services.ticket_dispute(actor=customer, ticket=ticket, reason="The tunnel still drops.")
    assert ticket.messages.get(kind=Message.Kind.DISPUTE).body == "The tunnel still drops."
    event = ticket.events.get(kind=TicketEvent.Kind.DISPUTE)
    assert event.data == {"reason": "The tunnel still drops."}


def test_it_requires_the_result_text_to_resolve(ticket, engineer):
    services.ticket_take(actor=engineer, ticket=ticket)
    with pytest.raises(ValidationError) as error:
        services.ticket_resolve(actor=engineer, ticket=ticket, result="")
    assert "result" in error.value.message_dict
    assert Ticket.objects.get(pk=ticket.pk).state == State.IN_PROGRESS


def test_it_makes_a_customer_reply_to_an_info_request_provide_the_info(
    customer, engineer, license_a
):
    ticket = ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )
    services.message_post(actor=customer, ticket=ticket, body="Logs attached.")
    ticket.refresh_from_db()
    assert ticket.state == State.IN_PROGRESS
    assert ticket.events.filter(kind="provide_info").count() == 1


def test_it_never_lets_a_customer_write_an_internal_note(ticket, customer):
    with pytest.raises(ActionNotPermitted):
        services.message_post(actor=customer, ticket=ticket, body="psst", internal=True)
    assert not ticket.messages.exists()


def test_it_refuses_messages_on_a_closed_ticket(ticket, customer):
    services.ticket_withdraw(actor=customer, ticket=ticket)
    with pytest.raises(ActionNotAllowedNow):
        services.message_post(actor=customer, ticket=ticket, body="One more thing")


def test_it_refuses_an_outsiders_reply_without_saying_anything_about_the_ticket(ticket, outsider):
    with pytest.raises(ActionNotPermitted, match="not allowed to act on this ticket"):
        services.message_post(actor=outsider, ticket=ticket, body="hello")
    assert not ticket.messages.exists()


def test_it_assigns_only_to_active_engineers(ticket, engineer, engineer2, customer):
    services.ticket_assign(actor=engineer, ticket=ticket, engineer=engineer2)
    ticket.refresh_from_db()
    assert ticket.assignee == engineer2
    assert ticket.events.filter(kind="assign").count() == 1
    with pytest.raises(ValidationError):
        services.ticket_assign(actor=engineer, ticket=ticket, engineer=customer)
    with pytest.raises(ActionNotPermitted):
        services.ticket_assign(actor=customer, ticket=ticket, engineer=engineer)


def test_it_shows_the_info_request_checklist_in_the_readers_language(
    client, ticket, engineer, customer
):
    customer.language = "ru"  # the engineer writes in English
    customer.save(update_fields=["language"])
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_request_info(actor=engineer, ticket=ticket, body="", needs=["logs", "pcaps"])
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Требуется: логи, дампы трафика (pcap)." in page
    assert "Needed" not in page
    mail = render_email(Notification.objects.get(ticket=ticket, kind="info_requested"))
    assert "Требуется: логи, дампы трафика (pcap)." in mail.body


def test_it_needs_words_or_a_ticked_item_to_ask_for_information(ticket, engineer):
    services.ticket_take(actor=engineer, ticket=ticket)
    with pytest.raises(ValidationError) as error:
        services.ticket_request_info(actor=engineer, ticket=ticket, body=" ", needs=[])
    assert error.value.message_dict == {"body": ["Say what information is needed."]}
    with pytest.raises(ValidationError):
        services.ticket_request_info(actor=engineer, ticket=ticket, body="", needs=["coffee"])
