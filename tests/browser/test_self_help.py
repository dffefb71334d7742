"""Issue 17 in a real Chromium: a suggested article while typing the subject, a ticket filed
with a ticked checklist and a pasted screenshot, and a rating from the closing mail's link
(the mail read from a real SMTP server)."""

import base64
import datetime
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from knowledge import services as knowledge_services
from knowledge.models import SuggestionOpen
from tests.browser.conftest import login
from tests.factories import ticket_in_state
from tests.integration.support import RecordingHandler, SmtpServer, start_smtp_server
from tickets.models import Attachment, Ticket, TicketRating
from workspace.feedback import deflections_between

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

# A 1×1 PNG, as a screenshot pasted from the clipboard arrives.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
    "AAAABJRU5ErkJggg=="
)

PASTE = """([selector, bytes]) => {
  const file = new File([new Uint8Array(bytes)], "image.png", { type: "image/png" });
  const data = new DataTransfer();
  data.items.add(file);
  const target = document.querySelector(selector);
  target.focus();
  const paste = { clipboardData: data, bubbles: true, cancelable: true };
  target.dispatchEvent(new ClipboardEvent("paste", paste));
}"""


@pytest.fixture
def smtp(settings, live_server) -> Iterator[SmtpServer]:
    server, controller = start_smtp_server(RecordingHandler())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = live_server.url
    yield server
    controller.stop()


def fill_ticket_form(page: Page, *, subject: str) -> None:
    page.locator("#id_license_key").fill("ALPHA-0001")
    page.locator("#id_product_version").fill("7.2.1")
    page.locator("#priority-high").check()
    page.locator("#id_subject").press_sequentially(subject, delay=20)
    page.locator("#id_description").fill("The tunnel to Kazan drops hourly.")
    page.locator("#id_diagnostics").fill("Bundle collected, see the screenshot.")


def test_a_customer_sees_a_suggested_article_and_opening_it_counts_as_a_deflection(
    page, live_server, customer, engineer, license_a, vpn
):
    article = knowledge_services.article_save(
        actor=engineer,
        title="VPN tunnel drops every hour",
        body="Renew the IKE keys.",
        area=vpn,
        language="en",
    )
    knowledge_services.article_publish(actor=engineer, article=article)
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/new/")
    page.locator("#id_subject").press_sequentially("tunnel drops", delay=30)
    suggestion = page.locator("#suggestions a.suggested-article")
    expect(suggestion).to_have_text("VPN tunnel drops every hour")
    with page.context.expect_page() as opened:
        suggestion.click()
    expect(opened.value.locator("h1")).to_have_text("VPN tunnel drops every hour")
    opened.value.wait_for_load_state()
    for _ in range(50):
        if SuggestionOpen.objects.filter(user=customer, article=article).exists():
            break
        page.wait_for_timeout(100)
    now = timezone.now()
    day = (now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1))
    assert deflections_between(*day) == {"opened": 1, "deflected": 1}  # no ticket filed


def test_a_customer_files_with_a_ticked_checklist_and_a_pasted_screenshot(
    page, live_server, colleague, engineer, license_a, vpn, licensing
):
    login(page, live_server, colleague)
    page.goto(f"{live_server.url}/tickets/new/")
    fill_ticket_form(page, subject="Tunnel drops")
    page.locator("#id_product_area").select_option(str(vpn.pk))
    expect(page.locator(f".checklist[data-area='{licensing.pk}']")).to_be_hidden()
    page.get_by_label("Collected the diagnostic bundle").check()
    page.evaluate(PASTE, ["#id_description", list(PNG)])
    expect(page.locator("#id_description")).to_have_value(re.compile(r"!\[screenshot-\S+\.png\]"))
    assert page.locator("#id_files").evaluate("input => input.files.length") == 1
    page.get_by_role("button", name="File the ticket").click()

    expect(page.locator("#ticket-number")).to_be_visible()
    ticket = Ticket.objects.get()
    assert ticket.checklist_done[0]["en"] == "Collected the diagnostic bundle"
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.name.startswith("screenshot-")
    page.get_by_role("link", name="Open the ticket").click()
    image = page.locator(f".prose img[src='/tickets/attachments/{attachment.pk}/']")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 1

    page.context.clear_cookies()
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    expect(page.locator(".checklist-done li")).to_have_text(["✓ Collected the diagnostic bundle"])


def test_a_customer_rates_the_closed_ticket_from_the_mails_link(
    page, live_server, smtp, customer, engineer, license_a
):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/{ticket.number}/")
    page.locator("#confirm-button").click()
    expect(page.locator("#ticket-state")).to_have_text("Closed")

    mails = smtp.accepted(number=ticket.number, kind_label="rate our help")
    assert len(mails) == 1
    link = re.search(r"^4: (\S+)", mails[0].text, re.MULTILINE).group(1)
    page.context.clear_cookies()  # the link works without signing in
    page.goto(link)
    expect(page.locator("#score-4")).to_be_checked()
    page.locator("#rating-comment").fill("Quick and clear")
    page.get_by_role("button", name="Send the rating").click()
    expect(page.locator("#rating-done")).to_contain_text(ticket.number)
    rating = TicketRating.objects.get()
    assert (rating.score, rating.comment, rating.via) == (4, "Quick and clear", "mail")

    page.goto(link)  # a second time: refused
    expect(page.locator(".alert-info")).to_contain_text("rated already")
