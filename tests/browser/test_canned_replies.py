"""An engineer answers with a canned reply using the keyboard alone (issue 18): Tab to the
picker, the arrows to choose, Enter to insert, and the focus is back in the text, right after
the reply, to go on typing or Tab on to "Send"."""

import pytest
from playwright.sync_api import expect

from replies import services as replies_services
from replies.models import CannedReply
from tests.browser.conftest import login, tab_to
from tests.factories import ticket_in_state
from tickets.models import Message

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def replies(admin_user, engineer):
    replies_services.canned_reply_save(
        actor=admin_user,
        title="Taken into work",
        text_ru="Здравствуйте, {{имя_клиента}}! Заявка {{номер_заявки}} в работе.",
        text_en="Hello {{customer_name}}, ticket {{ticket_number}} is with {{engineer_name}}.",
        team=True,
    )
    replies_services.canned_reply_save(
        actor=engineer,
        title="Deadline",
        text_ru="",
        text_en="The resolution is due by {{resolution_due}}.",
    )


def test_an_engineer_answers_with_a_canned_reply_by_keyboard_only(
    page, live_server, customer, engineer, license_a, replies
):
    engineer.last_name = "Smith"
    engineer.save(update_fields=["last_name"])
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    picker = page.locator("#id_reply-body-canned")
    expect(picker.locator("option")).to_have_count(3)  # the prompt, the team's, mine

    tab_to(page, "#id_reply-body-canned")
    page.keyboard.press("ArrowDown")  # the first reply: the team's
    expect(picker).to_have_value(str(CannedReply.objects.get(title="Taken into work").pk))
    page.keyboard.press("Enter")

    text = f"Hello Alice, ticket {ticket.number} is with Eve Smith."
    body = page.locator("#id_reply-body")
    expect(body).to_have_value(text)
    expect(body).to_be_focused()
    assert body.evaluate("area => [area.selectionStart, area.selectionEnd]") == [len(text)] * 2
    page.keyboard.type(" Thank you!")
    tab_to(page, ".reply-form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator(".flash")).to_contain_text("Your message was sent.")
    sent = Message.objects.get(ticket=ticket, kind=Message.Kind.REPLY)
    assert sent.body == text + " Thank you!"


def test_a_placeholder_without_value_is_flagged_and_not_sent(
    page, live_server, customer, engineer, license_a, replies
):
    ticket = ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    body = page.locator("#id_reply-body")
    expect(page.locator("#id_reply-body-canned")).to_be_visible()  # the list has come
    body.press_sequentially("As promised: ")
    # Back to the picker with Shift+Tab (it is just above the text), then the second reply.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#id_reply-body-canned")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(body).to_have_value("As promised: The resolution is due by {{resolution_due}}.")
    expect(page.locator("#id_reply-body-canned-status")).to_have_text(
        "No value for this ticket: {{resolution_due}}. Replace it before sending."
    )
    tab_to(page, ".reply-form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator("#id_reply-body_errors")).to_have_text(
        "{{resolution_due}} has no value for this ticket: replace it before sending."
    )
    expect(page.locator("#id_reply-body")).to_have_value(
        "As promised: The resolution is due by {{resolution_due}}."
    )
    assert not Message.objects.filter(ticket=ticket, author=engineer, kind="reply").exists()
