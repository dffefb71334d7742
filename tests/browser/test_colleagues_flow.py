"""An organization admin invites a colleague, who signs up through the link in the real mail
(a real SMTP server), follows a ticket and is told of the engineer's reply (issue 15)."""

import re

import pytest
from playwright.sync_api import Browser, expect

from accounts.models import User
from tests import factories
from tests.browser.conftest import TIMEOUT_MS, login
from tests.integration.support import RecordingHandler, start_smtp_server
from tickets import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

NEW_PASSWORD = "a long enough passphrase 42"


@pytest.fixture
def smtp(settings):
    server, controller = start_smtp_server(RecordingHandler())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    controller.stop()


def test_an_invited_colleague_signs_up_follows_a_ticket_and_is_told(
    page, browser: Browser, live_server, smtp, settings
):
    settings.SITE_URL = live_server.url
    org = factories.OrganizationFactory(name="Alpha Logistics")
    admin = factories.OrganizationAdminFactory(
        email="olga@alpha.example", first_name="Olga", organization=org, language="en"
    )
    license_ = factories.LicenseFactory(organization=org, key="ALPHA-0001")
    ticket = factories.TicketFactory(customer=admin, license=license_, subject="VPN drops")
    engineer = factories.EngineerFactory(email="eve@vendor.example", first_name="Eve")

    # The admin invites Dan from the colleagues page.
    login(page, live_server, admin)
    page.get_by_role("link", name="Colleagues").first.click()
    page.locator("#id_email").fill("dan@alpha.example")
    page.locator("#id_language").select_option("en")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".flash")).to_contain_text("An invitation is on its way")
    expect(page.locator(".invitation.state-pending")).to_contain_text("dan@alpha.example")

    # Dan reads the link from the mail the SMTP server received.
    [invitation_mail] = smtp.accepted(kind_label="Invitation")
    assert invitation_mail.rcpt_tos == ("dan@alpha.example",)
    link = re.search(r"http://\S+/colleagues/join/\S+/", invitation_mail.text).group(0)

    dan_context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    dan_context.set_default_timeout(TIMEOUT_MS)
    dan = dan_context.new_page()
    dan.goto(link)
    dan.locator("#id_first_name").fill("Dan")
    dan.locator("#id_last_name").fill("Newman")
    dan.locator("#id_password1").fill(NEW_PASSWORD)
    dan.locator("#id_password2").fill(NEW_PASSWORD)
    # The searchable time-zone picker (static/js/zone-picker.js).
    dan.locator("#id_time_zone_search").fill("Novosib")
    expect(dan.locator("#id_time_zone")).to_have_value("Asia/Novosibirsk")
    dan.get_by_role("button", name="Create my account").click()
    expect(dan.locator(".flash")).to_contain_text("Welcome, Dan")
    assert User.objects.get(email="dan@alpha.example").time_zone == "Asia/Novosibirsk"
    expect(dan.locator("td.requester").first).to_contain_text("Olga")

    # The link works once.
    again = dan_context.new_page()
    dan_context.clear_cookies()
    again.goto(link)
    expect(again.locator(".invitation-refused")).to_contain_text("already used")
    again.close()
    login(dan, live_server, User.objects.get(email="dan@alpha.example"), NEW_PASSWORD)

    # Dan follows Olga's ticket; the engineer answers; Dan's bell rings.
    dan.goto(f"{live_server.url}/tickets/{ticket.number}/")
    dan.get_by_role("button", name="Follow this ticket").click()
    expect(dan.locator(".watcher-list")).to_contain_text("Dan Newman")
    services.ticket_take(actor=engineer, ticket=ticket)
    ticket.refresh_from_db()
    services.message_post(actor=engineer, ticket=ticket, body="Please update to 7.2.2.")
    dan.goto(f"{live_server.url}/tickets/")
    expect(dan.locator("#bell .count")).to_have_text("2")  # taken into work, and the reply
    dan.locator("#bell").click()
    expect(dan.locator("main")).to_contain_text(ticket.number)
    expect(dan.locator("main")).to_contain_text("New reply")
    assert smtp.accepted(number=ticket.number, kind_label="New reply")
    assert "dan@alpha.example" in {
        rcpt for mail in smtp.accepted(number=ticket.number) for rcpt in mail.rcpt_tos
    }
    dan_context.close()
