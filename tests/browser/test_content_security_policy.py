"""The Content-Security-Policy holds in a real Chromium: no page of the portal or of Django
admin is refused a script or a style (every violation is an error in the console, and a
`securitypolicyviolation` event we record), and what the policy forbids is really refused.

The layout tests (test_layout.py) load every portal page and fail on any console error too;
this module adds the admin pages and the sent-mail page, whose mail HTML is framed.
"""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.factories import TicketFactory
from tickets.mail import deliver_emails
from tickets.models import Notification

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

# Recorded in the page before any of its own code runs (Playwright injects it past the CSP).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', event => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
});
"""


def signed_in(page: Page, live_server, user) -> Page:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def visit_cleanly(page: Page, url: str) -> list[str]:
    """Open `url`; what the console logged as errors and what the policy refused."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    response = page.goto(url, wait_until="load")
    assert response is not None
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    return errors + page.evaluate("window.__violations")


@pytest.fixture
def sent_mail(settings, tmp_path, customer, license_a):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    ticket = TicketFactory(customer=customer, license=license_a, subject="VPN drops hourly")
    ids = list(Notification.objects.filter(ticket=ticket).values_list("pk", flat=True))
    deliver_emails(ids)
    return ticket


def test_django_admin_works_under_the_policy(page, live_server, admin_user, sent_mail):
    signed_in(page, live_server, admin_user)
    urls = [
        "/admin/",
        "/admin/tickets/ticket/",
        f"/admin/tickets/ticket/{sent_mail.pk}/change/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{sent_mail.customer_id}/change/",
        "/admin/tickets/notification/",
        "/admin/accounts/license/add/",  # last: date widgets with their calendar script
    ]
    for url in urls:
        assert visit_cleanly(page, live_server.url + url) == [], url
    # The date widget's calendar opens (admin's own scripts run under the policy).
    page.locator("#calendarlink0").click()
    expect(page.locator("#calendarbox0")).to_be_visible()
    assert page.evaluate("window.__violations") == []


def test_the_sent_mail_page_frames_the_mails_html_under_the_policy(
    page, live_server, admin_user, sent_mail
):
    signed_in(page, live_server, admin_user)
    assert visit_cleanly(page, f"{live_server.url}/admin/sent-mail/") == []
    page.locator("#result_list a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    frame = page.frame_locator("iframe.sent-mail-html")
    expect(frame.locator("body")).to_contain_text(sent_mail.number)


def test_the_portals_pages_with_scripts_run_under_the_policy(
    page, live_server, engineer, customer, sent_mail
):
    signed_in(page, live_server, engineer)
    for url in ["/work/queue/", "/work/dashboard/", "/tickets/hotline/?q=Alpha"]:
        assert visit_cleanly(page, live_server.url + url) == [], url
    # The hotline's script fetched the callers while the engineer typed.
    page.locator("#caller-search input[type=search]").fill("Alice")
    expect(page.locator("#caller-results")).to_contain_text(customer.email)
    assert page.evaluate("window.__violations") == []


def test_an_inline_script_or_style_is_refused(page, live_server, customer):
    signed_in(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/")
    refused = page.evaluate(
        """() => {
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.body.append(script);
        const box = document.createElement('div');
        box.setAttribute('style', 'width: 1234px');
        document.body.append(box);
        return {ran: window.__ran === true, styled: getComputedStyle(box).width === '1234px'};
    }"""
    )
    assert refused == {"ran": False, "styled": False}
    page.wait_for_function("window.__violations.length >= 2")
