"""Keyboard shortcuts in a real Chromium (issue 18): the queue's j/k/Enter/t, the help on "?"
closed by Escape, and a ticket answered with the keyboard only (n/p, r, Ctrl+Enter)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import arrive, login
from tests.factories import TicketFactory
from tickets.models import Message, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def current(page: Page):
    return page.locator("#queue-rows tr.shortcut-current")


def test_j_k_and_enter_walk_and_open_the_queue(page, live_server, engineer, customer, license_a):
    tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(3)]
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/work/queue/")
    numbers = page.locator("#queue-rows tr[data-number]").evaluate_all(
        "rows => rows.map(row => row.dataset.number)"
    )
    assert sorted(numbers) == sorted(t.number for t in tickets)
    page.keyboard.press("j")
    expect(current(page)).to_have_attribute("data-number", numbers[0])
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stays on the last
    expect(current(page)).to_have_attribute("data-number", numbers[2])
    page.keyboard.press("k")
    expect(current(page)).to_have_attribute("data-number", numbers[1])
    # Typing in a field is typing, not a shortcut.
    page.locator("#id_q").focus()
    page.keyboard.type("jk")
    expect(page.locator("#id_q")).to_have_value("jk")
    expect(current(page)).to_have_attribute("data-number", numbers[1])
    page.locator("#id_q").press("Escape")
    page.locator("#queue-rows").locator(f'tr[data-number="{numbers[1]}"] .q-number a').focus()
    page.keyboard.press("Enter")
    arrive(page, f"{live_server.url}/tickets/{numbers[1]}/")
    # The queue's order came along: n and p walk it from the ticket page.
    page.keyboard.press("n")
    arrive(page, f"{live_server.url}/tickets/{numbers[2]}/")
    page.keyboard.press("p")
    arrive(page, f"{live_server.url}/tickets/{numbers[1]}/")


def test_question_mark_opens_the_help_and_escape_closes_it(page, live_server, engineer):
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/work/queue/")
    dialog = page.locator("#shortcuts-help")
    expect(dialog).to_be_hidden()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("role", "dialog")
    expect(dialog.locator("h2")).to_have_text("Keyboard shortcuts")
    expect(dialog).to_contain_text("Take the highlighted ticket into work")
    expect(dialog).to_be_focused()  # shown: the focus is kept inside it (Bootstrap's modal)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_t_takes_the_highlighted_ticket(page, live_server, engineer, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a)
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/work/queue/")
    page.keyboard.press("j")
    page.keyboard.press("t")
    expect(page.locator(".alert-success")).to_contain_text(ticket.number)
    ticket.refresh_from_db()
    assert ticket.assignee_id == engineer.pk


def test_an_engineer_answers_a_ticket_with_the_keyboard_only(
    page, live_server, engineer, customer, license_a
):
    ticket = TicketFactory(customer=customer, license=license_a)
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    page.keyboard.press("t")  # take it
    expect(page.locator("#ticket-state")).to_have_text("In progress")
    page.wait_for_load_state("load")  # the page after the take, its shortcuts bound
    page.keyboard.press("r")
    reply = page.locator(".reply-form textarea")
    expect(reply).to_be_focused()
    page.keyboard.type("Restart the tunnel with the new key, please.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".alert-success")).to_contain_text("Your message was sent.")
    assert Message.objects.filter(
        ticket=ticket, body="Restart the tunnel with the new key, please."
    ).exists()
    page.keyboard.press("s")
    expect(page.locator("#resolve textarea")).to_be_focused()
    page.keyboard.type("?")  # typed in the field, not a shortcut
    expect(page.locator("#resolve textarea")).to_have_value("?")
    expect(page.locator("#shortcuts-help")).to_be_hidden()
    page.keyboard.press("Escape")  # leaves the field
    expect(page.locator("#resolve textarea")).not_to_be_focused()
    page.keyboard.press("?")
    expect(page.locator("#shortcuts-help")).to_contain_text("Write the resolution")
    expect(page.locator("#shortcuts-help")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#shortcuts-help")).to_be_hidden()
    assert Ticket.objects.get(pk=ticket.pk).state == "in_progress"


def test_a_note_suggests_colleagues_after_the_at_sign(
    page, live_server, engineer, engineer2, customer, license_a
):
    ticket = TicketFactory(customer=customer, license=license_a)
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    page.keyboard.press("r")
    page.keyboard.type("Please ask @fr")
    options = page.locator("#mention-list [role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("@frank — Frank")
    page.keyboard.press("Enter")
    expect(page.locator(".reply-form textarea")).to_have_value("Please ask @frank ")
    expect(page.locator("#mention-list")).to_be_hidden()
    page.keyboard.type("to look.")
    page.locator("#reply-internal").check()
    page.locator(".reply-form textarea").focus()
    page.keyboard.press("Control+Enter")
    expect(page.locator(".alert-success")).to_contain_text("Internal note saved.")
    expect(page.locator("article.internal .mention")).to_have_text("@frank")
