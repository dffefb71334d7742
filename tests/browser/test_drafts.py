"""Drafts in a real Chromium (issue 18): what a person typed survives a reload and a server error,
is forgotten only after the server confirmed success, is never shown to another person of the
same browser, and goes when its owner signs out.

The server error is simulated in the browser (Playwright's route answers the form's POST with a
500), since what is under test is the page's script; the server's part, naming the drafts to
forget after a success, is tested in tests/tickets/test_changed_meanwhile.py.
"""

import contextlib
import re
from collections.abc import Iterator

import pytest
from django.db import connection
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import login
from tests.browser.test_customer_flows import fill_ticket_form
from tests.factories import ticket_in_state
from tickets import services
from tickets.models import Message, Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

LOG = b"2026-01-12 10:00:01 vpn: tunnel down (peer timeout)\n"
SERVER_ERROR = "<!doctype html><title>Server error</title><h1>Something went wrong</h1>"


def draft_keys(page: Page) -> list[str]:
    return page.evaluate(
        "() => Object.keys(localStorage).filter((key) => key.startsWith('draft:')).sort()"
    )


def wait_for_draft(page: Page, key: str) -> None:
    page.wait_for_function("(key) => localStorage.getItem(key) !== null", arg=f"draft:{key}")


def fail_posts(route: Route) -> None:
    if route.request.method == "POST":
        route.fulfill(status=500, content_type="text/html", body=SERVER_ERROR)
    else:
        route.continue_()


@pytest.fixture
def working(customer, engineer, license_a):
    return ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)


def test_a_reply_draft_survives_a_reload_and_can_be_discarded(page, live_server, customer, working):
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/{working.number}/")
    body = page.locator("#id_reply-body")
    body.fill("The tunnel dropped again at 14:02.")
    wait_for_draft(page, f"{customer.pk}:{working.number}:reply")

    page.reload()

    expect(body).to_have_value("The tunnel dropped again at 14:02.")
    notice = page.locator(".reply-form .draft-notice")
    expect(notice).to_contain_text("Draft restored from")
    expect(notice.locator(".draft-files")).to_be_visible()  # the form takes files
    notice.get_by_role("button", name="Discard").click()
    expect(body).to_have_value("")
    expect(notice).to_have_count(0)
    assert draft_keys(page) == []
    page.reload()
    expect(body).to_have_value("")


def test_a_new_ticket_draft_survives_a_server_error_and_goes_after_filing(
    page, live_server, customer, license_a, tmp_path
):
    log = tmp_path / "vpn.log"
    log.write_bytes(LOG)
    login(page, live_server, customer)
    new = f"{live_server.url}/tickets/new/"
    page.goto(new)
    page.route(re.compile(r".*/tickets/new/$"), fail_posts)
    fill_ticket_form(page, license_key="ALPHA-0001")
    page.locator("#id_files").set_input_files(log)  # sent in the background (uploads.js)
    page.get_by_role("button", name="File the ticket").click()
    expect(page.locator("h1")).to_have_text("Something went wrong")
    assert Ticket.objects.count() == 0

    page.go_back()
    expect(page.locator("#id_subject")).to_have_value("VPN tunnel drops every hour")
    expect(page.locator("#id_description")).to_have_value(
        "The site-to-site tunnel to Kazan drops hourly."
    )
    expect(page.locator("#priority-high")).to_be_checked()
    notice = page.locator("#ticket-form .draft-notice")
    expect(notice).to_contain_text("Draft restored from")
    expect(notice).to_contain_text("Files cannot be kept in a draft")
    page.goto(new)  # a reload, or coming back later, finds it too
    expect(page.locator("#id_subject")).to_have_value("VPN tunnel drops every hour")

    page.unroute(re.compile(r".*/tickets/new/$"))
    page.get_by_role("button", name="File the ticket").click()
    expect(page.locator("#ticket-number")).to_have_text(Ticket.objects.get().number)
    assert draft_keys(page) == []
    page.goto(new)
    expect(page.locator("#id_subject")).to_have_value("")
    expect(page.locator(".draft-notice")).to_have_count(0)


def test_a_refused_form_keeps_what_the_server_sent_back_over_an_older_draft(
    page, live_server, customer, engineer, working
):
    login(page, live_server, customer)
    url = f"{live_server.url}/tickets/{working.number}/"
    page.goto(url)
    body = page.locator("#id_reply-body")
    body.fill("Older words.")
    wait_for_draft(page, f"{customer.pk}:{working.number}:reply")
    body.fill("It fails on Mondays.")
    services.message_post(actor=engineer, ticket=working, body="Please send the logs.")
    page.get_by_role("button", name="Send").click()

    expect(page.locator("#changed-meanwhile")).to_contain_text("Eve replied")
    expect(body).to_have_value("It fails on Mondays.")
    expect(page.locator(".draft-notice")).to_have_count(0)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert Message.objects.filter(body="It fails on Mondays.", author=customer).exists()
    expect(body).to_have_value("")
    assert draft_keys(page) == []


def test_one_persons_draft_is_never_shown_to_another_on_the_same_browser(
    page, live_server, customer, colleague, working
):
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/{working.number}/")
    page.locator("#id_reply-body").fill("Alice's private thought.")
    wait_for_draft(page, f"{customer.pk}:{working.number}:reply")
    page.context.clear_cookies()  # the session ends without signing out (it expired)

    login(page, live_server, colleague)
    page.goto(f"{live_server.url}/tickets/{working.number}/")

    expect(page.locator("#id_reply-body")).to_have_value("")
    expect(page.locator(".draft-notice")).to_have_count(0)
    assert draft_keys(page) == [f"draft:{customer.pk}:{working.number}:reply"]  # Alice's, kept


def test_signing_out_forgets_the_persons_drafts(page, live_server, customer, working):
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/{working.number}/")
    page.locator("#id_reply-body").fill("Not for the next person at this computer.")
    wait_for_draft(page, f"{customer.pk}:{working.number}:reply")
    page.evaluate("() => localStorage.setItem('draft:999999:new:ticket', '{\"at\": 1e15}')")

    page.get_by_role("button", name="Your account").click()
    page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert draft_keys(page) == ["draft:999999:new:ticket"]  # somebody else's stays theirs
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/{working.number}/")
    expect(page.locator("#id_reply-body")).to_have_value("")


@pytest.mark.parametrize(("days", "restored"), [(6, True), (8, False)])
def test_a_draft_is_kept_for_a_week(page, live_server, customer, working, days, restored):
    login(page, live_server, customer)
    url = f"{live_server.url}/tickets/{working.number}/"
    page.goto(url)
    page.evaluate(
        "([key, days]) => localStorage.setItem(key, JSON.stringify("
        "{at: Date.now() - days * 24 * 3600 * 1000, fields: ['Words from before.']}))",
        [f"draft:{customer.pk}:{working.number}:reply", days],
    )

    page.reload()

    expect(page.locator("#id_reply-body")).to_have_value("Words from before." if restored else "")
    assert len(draft_keys(page)) == (1 if restored else 0)


@contextlib.contextmanager
def database_refusing() -> Iterator[None]:
    """PostgreSQL refuses the server: new connections to the test database are not allowed and
    the open ones other than this test's are ended; allowed again on leaving. Run from the
    maintenance database (PostgreSQL will not close the database one is connected to)."""
    name = connection.settings_dict["NAME"]
    ours = connection.cursor().connection.info.backend_pid
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s",
            [name, ours],
        )
    try:
        yield
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def test_a_new_ticket_draft_survives_the_database_refusing_the_server(
    page, live_server, customer, license_a
):
    login(page, live_server, customer)
    new = f"{live_server.url}/tickets/new/"
    page.goto(new)
    fill_ticket_form(page, license_key="ALPHA-0001")

    with database_refusing():
        response = page.request.get(f"{live_server.url}/tickets/")  # the server answers 500
        assert response.status == 500
        page.get_by_role("button", name="File the ticket").click()
        expect(page.locator("h1")).to_have_text("Something went wrong")

    # Back up: the server's next request connects again (a moment, on a busy machine).
    for _ in range(50):
        if page.request.get(new).status == 200:
            break
        page.wait_for_timeout(100)
    page.goto(new)
    expect(page.locator("#id_subject")).to_have_value("VPN tunnel drops every hour")
    expect(page.locator("#ticket-form .draft-notice")).to_contain_text("Draft restored from")
    assert Ticket.objects.count() == 0
