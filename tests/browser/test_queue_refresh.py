"""An engineer keeps the queue open in a real Chromium: it refreshes itself, without a reload,
and the bulk take works from the keyboard."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.conftest import login
from tests.factories import TicketFactory
from tickets.models import State, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def row(page: Page, ticket):
    return page.locator(f'#queue-rows tr[data-number="{ticket.number}"]')


def test_a_new_critical_ticket_appears_in_the_open_queue_without_a_reload(
    page, live_server, settings, engineer, customer, license_a, tmp_path
):
    settings.QUEUE_REFRESH_SECONDS = 1
    waiting = TicketFactory(customer=customer, license=license_a, priority="low")
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/work/queue/")
    expect(row(page, waiting)).to_be_visible()
    expect(page.locator("#queue-count")).to_have_text("1 ticket")
    page.locator(f"#pick-{waiting.number}").check()
    page.evaluate("window.sameDocument = true")  # gone if the page were loaded again

    critical = TicketFactory(
        customer=customer, license=license_a, priority="critical", subject="Cluster is down"
    )

    expect(row(page, critical)).to_be_visible()  # within a few seconds, well under 30
    expect(row(page, critical)).to_contain_text("Cluster is down")
    expect(row(page, critical)).to_contain_text("Critical")
    expect(page.locator("#queue-rows tr").first).to_have_attribute(
        "data-number", critical.number
    )  # its reaction deadline is the nearest
    expect(page.locator("#queue-news")).to_have_text(f"New in the queue: {critical.number}")
    expect(page.locator("#queue-count")).to_have_text("2 tickets")
    expect(page.locator(f"#pick-{waiting.number}")).to_be_checked()  # the choice survives
    expect(page.locator(f"#pick-{critical.number}")).not_to_be_checked()
    assert page.evaluate("window.sameDocument") is True
    page.screenshot(path=tmp_path / "queue.png")


def test_it_takes_chosen_tickets_from_the_keyboard(
    page, live_server, engineer, customer, license_a
):
    first, second, other = (TicketFactory(customer=customer, license=license_a) for _ in range(3))
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/work/queue/?view=unassigned")

    page.get_by_label(f"Choose {first.number}").focus()
    page.keyboard.press("Space")
    page.get_by_label(f"Choose {second.number}").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Take into work").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".flash")).to_have_text(
        f"Taken into work: {first.number}, {second.number}."
    )
    assert page.url.endswith("/work/queue/?view=unassigned")
    expect(row(page, first)).to_have_count(0)  # no longer unassigned
    expect(row(page, other)).to_be_visible()
    for ticket in (first, second):
        ticket.refresh_from_db()
        assert (ticket.state, ticket.assignee) == (State.IN_PROGRESS, engineer)


def test_the_countdown_ticks_on_in_the_page_and_turns_breached(
    page, live_server, settings, engineer, customer, license_a
):
    settings.QUEUE_REFRESH_SECONDS = 3600  # only the page's own clock moves here
    ticket = TicketFactory(customer=customer, license=license_a)
    now = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(
        queue_due=now + datetime.timedelta(minutes=1, seconds=30), reaction_warn_at=now
    )
    page.clock.install(time=now)
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/work/queue/")
    badge = row(page, ticket).locator(".urgency")
    expect(badge).to_contain_text("At risk")
    expect(badge).to_contain_text("1 min left")

    page.clock.fast_forward("02:00")

    expect(badge).to_have_class("badge text-bg-danger urgency urgency-breached")
    expect(badge).to_contain_text("Breached")
    expect(badge).to_contain_text("overdue by less than a minute")
    expect(row(page, ticket)).to_have_class("row-breached")
