"""Placeholders: only the known ones are kept, they are filled in the customer's language and
time zone, and one without a value stays in the text, named (tickets/placeholders.py,
replies/filling.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

from replies import services
from replies.filling import filled_reply
from replies.models import CannedReply
from tests.factories import CannedReplyFactory, ticket_in_state
from tickets import services as ticket_services
from tickets.models import Ticket
from tickets.placeholders import fill, unknown_tokens, values_for

FULL_EN = "Dear {{customer_name}}: {{ticket_number}} by {{resolution_due}}. {{engineer_name}}"
FULL_RU = "{{имя_клиента}}: {{номер_заявки}} до {{срок_решения}}. {{ имя_инженера }}"


@pytest.fixture
def taken(customer, engineer, license_a):
    """A ticket in work: every placeholder has a value."""
    engineer.last_name = "Smith"
    engineer.save(update_fields=["last_name"])
    customer.last_name = "Archer"
    customer.save(update_fields=["last_name"])
    return ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)


def test_it_refuses_an_unknown_placeholder_naming_the_known_ones(engineer):
    with pytest.raises(ValidationError) as refused:
        services.canned_reply_save(
            actor=engineer, title="Hi", text_ru="", text_en="Hello {{customer}} {{customer_name}}"
        )
    message = " ".join(refused.value.message_dict["text_en"])
    assert "Unknown placeholder {{customer}}." in message
    for known in ("{{customer_name}}", "{{имя_клиента}}", "{{resolution_due}}", "{{срок_решения}}"):
        assert known in message
    assert not CannedReply.objects.exists()


def test_the_model_refuses_an_unknown_placeholder_and_no_text_in_admin_too(db):
    reply = CannedReplyFactory.build(text_ru="{{имя}}", text_en="")
    with pytest.raises(ValidationError) as refused:
        reply.full_clean()
    assert "text_ru" in refused.value.message_dict
    empty = CannedReplyFactory.build(text_ru=" ", text_en="")
    with pytest.raises(ValidationError, match="Write the text in Russian, English or both"):
        empty.full_clean()


def test_single_braces_and_spaced_words_are_plain_text(engineer):
    text = 'Set {"retries": 3} in {config}; {{ customer_name }} and {{resolution_due}}'
    assert unknown_tokens(text) == []
    reply = services.canned_reply_save(actor=engineer, title="JSON", text_ru="", text_en=text)
    assert reply.text_en == text


def test_it_fills_in_english_in_the_customers_time_zone(taken, customer):
    customer.language, customer.time_zone = "en", "Asia/Vladivostok"
    customer.save(update_fields=["language", "time_zone"])
    ticket = Ticket.objects.select_related("customer", "assignee").get(pk=taken.pk)
    reply = CannedReplyFactory(text_en=FULL_EN, text_ru=FULL_RU)

    filled = filled_reply(reply, ticket)

    local = ticket.resolution_due.astimezone(datetime.timezone(datetime.timedelta(hours=10)))
    assert filled.language == "en"
    assert filled.missing == []
    with translation.override("en"):  # Django's English short format: "12/02/2026 1 a.m."
        due = formats.date_format(local, "SHORT_DATETIME_FORMAT")
    assert filled.text == f"Dear Alice Archer: {ticket.number} by {due} +10. Eve Smith"
    assert filled.note == ""


def test_it_fills_in_russian_in_the_customers_time_zone(taken, customer):
    customer.language, customer.time_zone = "ru", "Europe/Moscow"
    customer.save(update_fields=["language", "time_zone"])
    ticket = Ticket.objects.select_related("customer", "assignee").get(pk=taken.pk)
    reply = CannedReplyFactory(text_en=FULL_EN, text_ru=FULL_RU)

    filled = filled_reply(reply, ticket)

    local = ticket.resolution_due.astimezone(datetime.timezone(datetime.timedelta(hours=3)))
    assert filled.language == "ru"
    assert filled.text == f"Alice Archer: {ticket.number} до {local:%d.%m.%Y %H:%M} MSK. Eve Smith"


def test_the_other_language_stands_in_with_a_note(taken, customer):
    customer.language = "en"
    customer.save(update_fields=["language"])
    reply = CannedReplyFactory(text_ru="Заявка {{номер_заявки}}.", text_en="")

    filled = filled_reply(reply, Ticket.objects.get(pk=taken.pk))

    assert (filled.language, filled.text) == ("ru", f"Заявка {taken.number}.")
    assert "no English text" in filled.note


def test_a_placeholder_without_a_value_is_left_in_the_text_and_named(ticket):
    """Registered, not taken: no engineer assigned; the name is there."""
    reply = CannedReplyFactory(text_en="{{engineer_name}} has {{ticket_number}}; {{engineer_name}}")

    filled = filled_reply(reply, ticket)

    assert filled.text == f"{{{{engineer_name}}}} has {ticket.number}; {{{{engineer_name}}}}"
    assert filled.missing == ["{{engineer_name}}"]
    assert filled.warning == (
        "No value for this ticket: {{engineer_name}}. Replace it before sending."
    )


def test_the_resolution_deadline_has_no_value_while_the_clock_is_paused(
    customer, engineer, license_a
):
    waiting = ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )
    assert waiting.resolution_paused_at is not None
    assert values_for(waiting)["resolution_due"] is None
    filled = fill("By {{срок_решения}}.", values_for(waiting))
    assert (filled.text, filled.missing) == ("By {{срок_решения}}.", ["{{срок_решения}}"])


def test_the_deadline_is_back_when_the_clock_runs_again(customer, engineer, license_a):
    waiting = ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )
    ticket_services.message_post(actor=customer, ticket=waiting, body="The logs.")
    waiting.refresh_from_db()
    assert waiting.resolution_due > timezone.now()
    assert values_for(waiting)["resolution_due"] is not None
