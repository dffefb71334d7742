"""The handling method agreed with the customer (regulation 2.3), in a real Chromium.

Two browser contexts, two people: the engineer proposes a remote session on the ticket page,
the customer accepts it on theirs, and both pages then show the agreed session.
"""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, login
from tests.factories import TicketFactory
from tickets.models import SessionProposal, Ticket
from tickets.templatetags.portal import when

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")


@pytest.fixture
def customer_page(browser, live_server, customer):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    login(page, live_server, customer)
    yield page
    context.close()


def test_it_agrees_a_remote_session_between_the_engineer_and_the_customer(
    page, customer_page, live_server, customer, engineer, license_a, tmp_path
):
    ticket = TicketFactory(customer=customer, license=license_a, subject="VPN drops hourly")
    day = timezone.localdate(timezone=MOSCOW) + datetime.timedelta(days=2)
    starts = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=MOSCOW)
    ends = starts + datetime.timedelta(hours=2)
    url = f"{live_server.url}/tickets/{ticket.number}/"

    login(page, live_server, engineer)
    page.goto(url)
    page.locator("#propose-session summary").click()
    form = page.locator("#propose-session")
    form.get_by_label("Session").select_option("remote")
    form.get_by_label("From").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Until").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Contact phone").fill("+7 495 123-45-67")
    form.get_by_label("Note (optional)").fill("We connect through the vendor's VPN gateway.")
    page.locator("#propose-session-button").click()
    expect(page.locator(".flash")).to_contain_text("The session is proposed")
    expect(page.locator("#pending-session")).to_contain_text("Waiting for the other side")

    customer_page.goto(url)
    pending = customer_page.locator("#pending-session")
    expect(pending).to_contain_text("Remote session")
    expect(pending).to_contain_text("+7 495 123-45-67")
    expect(pending).to_contain_text("We connect through the vendor's VPN gateway.")
    customer_page.locator("#session-accept-button").click()
    expect(customer_page.locator(".flash")).to_contain_text("The session is agreed.")

    proposal = SessionProposal.objects.get(ticket=ticket)
    with timezone.override(MOSCOW):
        window = f"{when(starts)} – {when(ends)}"
    agreed = f"#agreed-session-{proposal.pk}"
    for person_page in (customer_page, page):
        person_page.goto(url)
        expect(person_page.locator(agreed)).to_contain_text("Remote session")
        expect(person_page.locator(agreed)).to_contain_text(window)
        expect(person_page.locator(agreed)).to_contain_text("MSK")
        expect(person_page.locator(agreed)).to_contain_text("+7 495 123-45-67")
        expect(person_page.locator("#pending-session")).to_have_count(0)
    page.screenshot(path=tmp_path / "engineer-agreed.png")

    proposal.refresh_from_db()
    assert (proposal.status, proposal.starts_at, proposal.ends_at) == ("accepted", starts, ends)
    assert (proposal.proposed_by, proposal.answered_by) == (engineer, customer)
    assert Ticket.objects.get(pk=ticket.pk).handling_method == "remote"
