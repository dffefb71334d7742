"""A text to the customer with a placeholder left in it is refused, naming the placeholder, and
the form comes back with the text kept (tickets.placeholders.refuse_unfilled, called by the
reply, the information request and the resolution)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import ticket_in_state
from tickets import services
from tickets.models import Message, State, Ticket

LEFT = "We will fix it by {{resolution_due}}.\n\n{{имя_инженера}}"


@pytest.fixture
def waiting(customer, engineer, license_a):
    """The resolution clock is paused: {{resolution_due}} has no value."""
    return ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )


@pytest.fixture
def in_work(customer, engineer, license_a):
    return ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)


def test_a_reply_with_a_placeholder_without_value_is_refused_by_name(waiting, engineer):
    with pytest.raises(ValidationError) as refused:
        services.message_post(actor=engineer, ticket=waiting, body=LEFT)
    assert refused.value.message_dict["body"] == [
        "{{resolution_due}} has no value for this ticket: replace it before sending.",
        "{{имя_инженера}} is a placeholder: replace it with its value before sending.",
    ]
    assert not waiting.messages.filter(kind=Message.Kind.REPLY).exists()


def test_an_internal_note_may_mention_placeholders(waiting, engineer):
    note = services.message_post(actor=engineer, ticket=waiting, body=LEFT, internal=True)
    assert note.is_internal


def test_the_information_request_and_the_resolution_are_refused_too(in_work, engineer):
    with pytest.raises(ValidationError) as refused:
        services.ticket_request_info(actor=engineer, ticket=in_work, body="{{customer_name}}?")
    assert "body" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.ticket_resolve(actor=engineer, ticket=in_work, result="Done, {{номер_заявки}}")
    assert refused.value.message_dict["result"] == [
        "{{номер_заявки}} is a placeholder: replace it with its value before sending."
    ]
    assert Ticket.objects.get(pk=in_work.pk).state == State.IN_PROGRESS


def test_a_filled_text_goes_through(in_work, engineer):
    services.ticket_resolve(actor=engineer, ticket=in_work, result=f"Done, {in_work.number}.")
    assert Ticket.objects.get(pk=in_work.pk).state == State.RESOLVED


@pytest.mark.parametrize(
    ("action", "field", "state"),
    [
        ("reply", "reply-body", "awaiting_customer"),
        ("request_info", "info-body", "in_progress"),
        ("resolve", "resolve-result", "in_progress"),
    ],
)
def test_the_page_keeps_the_text_and_says_which_placeholder(
    client, customer, engineer, license_a, action, field, state
):
    ticket = ticket_in_state(state, customer=customer, engineer=engineer, license=license_a)
    client.force_login(engineer)
    text = "Dear customer, due {{resolution_due}} & <b>soon</b>"
    if state == "in_progress":
        text = "Dear customer, {{engineer}} or {{customer_name}} & <b>soon</b>"

    response = client.post(reverse(f"tickets:{action}", args=[ticket.number]), {field: text})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Dear customer, " in page
    assert "&amp; &lt;b&gt;soon&lt;/b&gt;</textarea>" in page  # the text kept, escaped
    if state == "in_progress":
        assert "{{customer_name}} is a placeholder: replace it with its value" in page
    else:
        assert "{{resolution_due}} has no value for this ticket: replace it before sending." in page
    assert Ticket.objects.get(pk=ticket.pk).state == state
