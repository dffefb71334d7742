"""An engineer works the most urgent ticket in a real Chromium; the customer sees each step.

Two browser contexts, two people: the engineer on the queue and the ticket page, the customer
on the same ticket in their own session.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.factories import TicketFactory
from tickets.models import Message, State, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


@pytest.fixture
def customer_page(browser, live_server, outsider):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    login(page, live_server, outsider)
    yield page
    context.close()


def customer_sees(page: Page, live_server, ticket: Ticket, state: str) -> None:
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    expect(page.locator("#ticket-state")).to_have_text(state)


def test_it_takes_the_most_urgent_ticket_asks_for_info_and_resolves_it(
    page, customer_page, live_server, customer, outsider, engineer, license_a, license_b, tmp_path
):
    TicketFactory(customer=customer, license=license_a, priority="low", subject="Report typo")
    urgent = TicketFactory(
        customer=outsider, license=license_b, priority="critical", subject="Cluster is down"
    )
    login(page, live_server, engineer)

    # Engineers land on the queue; the Platinum Critical ticket is on top.
    rows = page.locator("#queue-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Cluster is down")
    expect(rows.first.locator(".priority")).to_have_text("Critical")
    page.screenshot(path=tmp_path / "queue.png")
    rows.first.get_by_role("link", name=urgent.number).click()

    state = page.locator("#ticket-state")
    expect(state).to_have_text("Registered")
    page.locator("#take-button").click()
    expect(state).to_have_text("In progress")
    expect(page.locator(".flash")).to_contain_text("The ticket is yours now.")
    customer_sees(customer_page, live_server, urgent, "In progress")

    page.locator("#request-info summary").click()
    request = page.locator("#request-info")
    request.get_by_label("logs").check()
    request.get_by_label("Request to the customer").fill("From both nodes, since 09:00.")
    page.locator("#request-info-button").click()
    expect(state).to_have_text("Awaiting customer")

    customer_sees(customer_page, live_server, urgent, "Awaiting customer")
    info = customer_page.locator("#info-request")
    expect(info).to_contain_text("Needed: logs.")
    expect(info).to_contain_text("From both nodes, since 09:00.")
    info.get_by_label("Message").fill("Logs are in the archive on the FTP.")
    info.get_by_role("button", name="Send the information").click()
    expect(customer_page.locator("#ticket-state")).to_have_text("In progress")

    page.reload()
    expect(state).to_have_text("In progress")
    expect(page.locator("article.message").last).to_contain_text("Logs are in the archive")
    page.locator("#resolve summary").click()
    page.get_by_label("Result for the customer").fill("Node 2 firmware updated to 7.3.")
    page.locator("#resolve-button").click()
    expect(state).to_have_text("Resolved")
    page.screenshot(path=tmp_path / "resolved.png")

    customer_sees(customer_page, live_server, urgent, "Resolved")
    expect(customer_page.locator("#resolution")).to_contain_text("Node 2 firmware updated to 7.3.")
    expect(customer_page.locator("#confirm-button")).to_be_visible()

    urgent.refresh_from_db()
    assert (urgent.state, urgent.assignee) == (State.RESOLVED, engineer)
    assert urgent.reacted_at is not None
    assert urgent.messages.filter(kind=Message.Kind.INFO_REQUEST).count() == 1
    assert list(urgent.events.values_list("kind", flat=True)) == [
        "registered",
        "take",
        "request_info",
        "provide_info",
        "resolve",
    ]
