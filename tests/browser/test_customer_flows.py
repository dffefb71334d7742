"""A customer clicks through the portal in a real Chromium: filing, answering, deciding.

Engineers' actions are driven with the real services (their pages are tested elsewhere); every
test checks what the person sees and what was stored.
"""

import hashlib
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.factories import TicketFactory
from tickets import services
from tickets.models import Attachment, State, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

LOG = b"2026-01-12 10:00:01 vpn: tunnel down (peer timeout)\n" * 20


def fill_ticket_form(page: Page, *, license_key: str) -> None:
    page.locator("#id_license_key").fill(license_key)
    page.locator("#id_product_version").fill("7.2.1")
    page.locator("#priority-high").check()
    page.locator("#id_subject").fill("VPN tunnel drops every hour")
    page.locator("#id_description").fill("The site-to-site tunnel to Kazan drops hourly.")
    page.locator("#id_diagnostics").fill("Rebooted the node; the peer answers ping.")


def file_the_ticket(page: Page) -> None:
    page.get_by_role("button", name="File the ticket").click()


def test_it_files_a_ticket_with_a_file_and_shows_its_number_big(
    page, live_server, customer, license_a, tmp_path
):
    log = tmp_path / "vpn.log"
    log.write_bytes(LOG)
    login(page, live_server, customer)

    page.get_by_role("link", name="New ticket").first.click()
    expect(page.locator("h1")).to_have_text("New ticket")
    fill_ticket_form(page, license_key="ALPHA-0001")
    page.locator("#id_files").set_input_files(log)
    file_the_ticket(page)

    number = page.locator("#ticket-number")
    expect(number).to_have_text(re.compile(r"\S+-\d{4}-\d+"))
    page.screenshot(path=tmp_path / "registered.png")
    ticket = Ticket.objects.get()
    expect(number).to_have_text(ticket.number)
    assert page.url.endswith(f"/tickets/{ticket.number}/registered/")
    assert (ticket.customer, ticket.license, ticket.priority_id) == (customer, license_a, "high")
    assert ticket.state == State.REGISTERED
    attachment = ticket.attachments.get()
    assert (attachment.name, attachment.size) == ("vpn.log", len(LOG))
    assert attachment.sha256 == hashlib.sha256(LOG).hexdigest()
    assert attachment.message is None  # filed with the ticket, not with a reply

    page.get_by_role("link", name="Open the ticket").click()
    expect(page.locator("#ticket-state")).to_have_text("Registered")
    expect(page.locator("a[download]")).to_have_text("vpn.log")


def test_it_names_a_foreign_license_next_to_the_field_and_keeps_what_was_typed(
    page, live_server, customer, license_a, license_b, tmp_path
):
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page, license_key=license_b.key)
    file_the_ticket(page)

    errors = page.locator("#id_license_key_errors")
    expect(errors).to_have_text(
        f"Your organization has no license with the key {license_b.key}. Check the key."
    )
    expect(page.locator(".field.has-error #id_license_key")).to_be_visible()
    expect(page.locator("#id_license_key")).to_have_value(license_b.key)
    expect(page.locator("#id_subject")).to_have_value("VPN tunnel drops every hour")
    expect(page.locator("#id_description")).to_have_value(
        "The site-to-site tunnel to Kazan drops hourly."
    )
    expect(page.locator("#id_diagnostics")).to_have_value(
        "Rebooted the node; the peer answers ping."
    )
    expect(page.locator("#priority-high")).to_be_checked()
    page.screenshot(path=tmp_path / "refused.png")
    assert not Ticket.objects.exists()

    page.locator("#id_license_key").fill("ALPHA-0001")
    file_the_ticket(page)

    expect(page.locator("#ticket-number")).to_be_visible()
    ticket = Ticket.objects.get()
    expect(page.locator("#ticket-number")).to_have_text(ticket.number)
    assert ticket.license == license_a
    assert ticket.subject == "VPN tunnel drops every hour"


def test_it_lets_the_customer_answer_an_info_request_with_a_file(
    page, live_server, customer, engineer, license_a, tmp_path
):
    ticket = TicketFactory(customer=customer, license=license_a)
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Send the VPN log of the last hour."
    )
    log = tmp_path / "vpn-last-hour.log"
    log.write_bytes(LOG)
    login(page, live_server, customer)

    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    expect(page.locator("#ticket-state")).to_have_text("Awaiting customer")
    request = page.locator("#info-request")
    expect(request).to_contain_text("The engineer needs information from you")
    expect(request).to_contain_text("Send the VPN log of the last hour.")
    request.get_by_label("Message").fill("Here is the log you asked for.")
    request.locator("input[type=file]").set_input_files(log)
    request.get_by_role("button", name="Send the information").click()

    expect(page.locator("#ticket-state")).to_have_text("In progress")
    expect(page.locator(".flash")).to_contain_text("Your message was sent.")
    expect(page.locator("#info-request")).to_have_count(0)
    answer = page.locator("article.message").filter(has_text="Here is the log you asked for.")
    expect(answer.locator("a[download]")).to_have_text("vpn-last-hour.log")
    page.screenshot(path=tmp_path / "answered.png")
    ticket.refresh_from_db()
    assert ticket.state == State.IN_PROGRESS
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.message.body == "Here is the log you asked for."
    assert (attachment.message.author, attachment.size) == (customer, len(LOG))


def test_it_requires_a_reason_to_dispute_and_closes_on_confirmation(
    page, live_server, customer, engineer, license_a, tmp_path
):
    ticket = TicketFactory(customer=customer, license=license_a)
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Raised the DPD timeout.")
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    state = page.locator("#ticket-state")
    expect(state).to_have_text("Resolved")
    expect(page.locator("#resolution")).to_contain_text("Raised the DPD timeout.")

    # Spaces pass the browser's `required`; the server refuses them with its own message.
    dispute = page.locator("#dispute-form")
    dispute.locator("textarea").fill("   ")
    page.locator("#dispute-button").click()
    expect(dispute).to_contain_text("Say why the resolution does not solve the problem.")
    expect(state).to_have_text("Resolved")
    ticket.refresh_from_db()
    assert ticket.state == State.RESOLVED

    dispute.locator("textarea").fill("The tunnel still drops every hour.")
    page.locator("#dispute-button").click()
    expect(state).to_have_text("Disputed")
    expect(page.locator(".flash")).to_contain_text("The resolution is disputed")
    ticket.refresh_from_db()
    assert ticket.state == State.DISPUTED
    assert ticket.messages.filter(body="The tunnel still drops every hour.").exists()

    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Replaced the peer's config.")
    page.reload()
    expect(state).to_have_text("Resolved")
    page.locator("#confirm-button").click()

    expect(state).to_have_text("Closed")
    expect(page.locator(".flash")).to_have_text(
        "Thank you: the resolution is confirmed and the ticket is closed."
    )
    page.screenshot(path=tmp_path / "closed.png")
    ticket.refresh_from_db()
    assert (ticket.state, ticket.close_reason) == (State.CLOSED, "confirmed")


def test_it_walks_the_new_ticket_form_by_keyboard_with_a_label_on_every_field(
    page, live_server, customer, license_a
):
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/new/")

    labels = {
        "License key": "#id_license_key",
        "Product version": "#id_product_version",
        "Critical": "#priority-critical",
        "High": "#priority-high",
        "Medium": "#priority-medium",
        "Low": "#priority-low",
        "Subject": "#id_subject",
        "Description of the fault": "#id_description",
        "Primary diagnostics already done": "#id_diagnostics",
        "Contact e-mail": "#id_contact_email",
        "Attachments": "#id_files",
    }
    form = page.locator("#ticket-form")
    for text, selector in labels.items():
        field = form.get_by_label(text)
        expect(field).to_have_count(1)
        expect(field).to_be_visible()
        assert field.evaluate("el => '#' + el.id") == selector, text
    # Nothing typed into goes without a visible label.
    for field in form.locator("input:not([type=hidden]), textarea, select").all():
        field_id = field.get_attribute("id")
        expect(page.locator(f"label[for='{field_id}']")).to_be_visible()

    # Start the sequential navigation at the heading, then Tab through the form: the radio
    # group of priorities is one stop (the first radio when none is chosen).
    page.locator("h1").click()
    order = [
        "#id_license_key",
        "#id_product_version",
        "#priority-critical",
        "#id_subject",
        "#id_description",
        "#id_diagnostics",
        "#id_contact_email",
        "#id_files",
    ]
    for selector in order:
        page.keyboard.press("Tab")
        expect(page.locator(selector)).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="File the ticket")).to_be_focused()
    # Arrow keys move within the radio group and choose.
    page.locator("#priority-critical").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#priority-high")).to_be_focused()
    expect(page.locator("#priority-high")).to_be_checked()
