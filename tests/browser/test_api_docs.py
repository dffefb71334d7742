"""The API documentation (Swagger UI from drf-spectacular-sidecar) runs under the portal's
Content-Security-Policy in a real Chromium: every file from the portal itself, no violation,
and the operations listed from the schema, in Russian with ?lang=ru."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_content_security_policy import signed_in, visit_cleanly

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_the_api_docs_run_under_the_policy_from_the_portals_own_files(page, live_server, customer):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    signed_in(page, live_server, customer)
    assert visit_cleanly(page, f"{live_server.url}/api/docs/") == []
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Support portal API")
    expect(page.locator("#operations-tickets-tickets_list")).to_be_visible()
    assert page.evaluate("window.__violations") == []
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), requested


def test_the_api_docs_speak_russian(page, live_server, customer):
    signed_in(page, live_server, customer)
    assert visit_cleanly(page, f"{live_server.url}/api/docs/?lang=ru") == []
    expect(page.locator("#operations-tickets-tickets_create")).to_contain_text("Подать заявку")
