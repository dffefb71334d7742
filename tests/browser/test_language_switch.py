"""The language switch in a real Chromium: Russian is kept per user, pages are translated."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_it_switches_to_russian_and_keeps_it_for_the_user(
    page, browser, live_server, customer, license_a, tmp_path
):
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    switch = page.locator("form.lang-switch")
    switch.locator("#language-select").select_option("ru")
    switch.get_by_role("button", name="Switch").click()

    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_title(re.compile("^Заявки"))
    expect(page.get_by_role("navigation", name="Основное меню")).to_contain_text("Выйти")
    customer.refresh_from_db()
    assert customer.language == "ru"

    page.goto(f"{live_server.url}/tickets/new/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("header nav")).to_contain_text("Выйти")
    page.screenshot(path=tmp_path / "russian.png")

    # Kept per user, not per browser: a fresh browser with no cookies signs in to Russian.
    other = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    try:
        fresh = other.new_page()
        login(fresh, live_server, customer)
        expect(fresh.locator("html")).to_have_attribute("lang", "ru")
        expect(fresh.locator("header nav")).to_contain_text("Выйти")
    finally:
        other.close()

    # Last, so that everything above is known to work whatever this says: the list's heading
    # is translated too.
    page.goto(f"{live_server.url}/tickets/")
    expect(page.locator("h1")).to_contain_text("Заявки")
