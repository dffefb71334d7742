"""An engineer merges a duplicate from its page in a real Chromium (issue 18): a wrong number
is refused with the number kept, the right one closes the duplicate, and the target shows the
duplicate's conversation."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import TicketFactory
from tickets import services
from tickets.models import CloseReason, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_an_engineer_merges_a_duplicate_from_its_page(
    page, live_server, customer, colleague, engineer, license_a
):
    target = TicketFactory(customer=customer, license=license_a, subject="Tunnel drops")
    duplicate = TicketFactory(customer=colleague, license=license_a, subject="Tunnel drops too")
    services.message_post(actor=colleague, ticket=duplicate, body="Seen on node 2 as well.")
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/tickets/{duplicate.number}/")

    merge = page.locator("#merge-form")
    merge.get_by_label("Number of the ticket to merge into").fill(duplicate.number)
    merge.get_by_label("I understand").check()
    page.once("dialog", lambda dialog: dialog.accept())  # the form asks to confirm
    page.locator("#merge-button").click()
    expect(page.locator("#merge-form")).to_contain_text("A ticket cannot be merged into itself.")
    number = page.locator("#merge-form").get_by_label("Number of the ticket to merge into")
    expect(number).to_have_value(duplicate.number)

    number.fill(target.number)
    page.locator("#merge-form").get_by_label("I understand").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#merge-button").click()

    expect(page).to_have_url(f"{live_server.url}/tickets/{target.number}/")
    merged = page.locator(f"#merged-{duplicate.number}")
    expect(merged).to_contain_text(f"Merged from {duplicate.number}")
    expect(merged).to_contain_text("Seen on node 2 as well.")
    assert Ticket.objects.get(pk=duplicate.pk).close_reason == CloseReason.DUPLICATE

    merged.get_by_role("link", name=duplicate.number).click()
    expect(page.locator("#merged-into")).to_contain_text(f"Merged into {target.number}")
    expect(page.locator("#ticket-state")).to_have_text("Closed")
