"""Single sign-on in a real Chromium against a real OpenID Connect provider (tests/oidc_provider,
its own process and port): the portal's sign-in page -> the provider's sign-in and consent ->
back in the portal as a new engineer; an address outside the vendor is refused and told why."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.browser import pages
from tests.oidc_provider.people import PASSWORD
from tests.oidc_provider.running import configure_portal, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def provider(live_server):
    with running_provider([f"{live_server.url}/accounts/oidc/vendor/login/callback/"]) as running:
        yield running


@pytest.fixture
def sso(provider, settings, monkeypatch):
    """The portal configured for the provider through its environment variables only."""
    return configure_portal(provider, settings, monkeypatch)


def sign_in_at_the_provider(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with Vendor SSO").click()
    expect(page.get_by_role("heading", name="Test identity provider")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the IdP").click()
    expect(page.get_by_role("heading", name="Authorize Support portal?")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()


def test_a_vendor_engineer_signs_in_through_the_provider_for_the_first_time(
    page, live_server, sso, tmp_path
):
    sign_in_at_the_provider(page, live_server, "ivan")

    # Straight to the engineers' queue: no password, and no authenticator to set up first.
    expect(page).to_have_url(re.compile(r"/work/queue/"))
    expect(page.locator("a.who")).to_have_text("ivan.petrov@vendor.example")
    page.screenshot(path=tmp_path / "queue.png", full_page=True)
    ivan = User.objects.get(email="ivan.petrov@vendor.example")
    assert ivan.role == User.Role.ENGINEER
    assert ivan.organization is None


def test_someone_outside_the_vendor_is_refused_with_a_clear_message(
    page, live_server, sso, tmp_path
):
    sign_in_at_the_provider(page, live_server, "mallory")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".flash .alert-danger")).to_contain_text(
        "Single sign-on is for the vendor's staff only, and mallory@elsewhere.example is not "
        "a vendor address. Customers sign in with their e-mail and password."
    )
    expect(page.locator("a.who")).to_have_count(0)
    page.screenshot(path=tmp_path / "refused.png", full_page=True)
    assert not User.objects.filter(email="mallory@elsewhere.example").exists()


def test_the_sign_in_page_has_no_sso_button_when_sso_is_off(page, live_server, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Sign in with Vendor"))).to_have_count(0)


@pytest.mark.parametrize("language", pages.LANGUAGES)
@pytest.mark.parametrize("width", pages.WIDTHS)
def test_the_sign_in_page_with_the_sso_button_fits(browser, live_server, sso, language, width):
    context = browser.new_context(
        viewport={"width": width, "height": pages.HEIGHTS[width]},
        locale="ru-RU" if language == "ru" else "en-US",
        is_mobile=width == pages.PHONE,
        has_touch=width == pages.PHONE,
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        name = "Войти через Vendor SSO" if language == "ru" else "Sign in with Vendor SSO"
        expect(page.get_by_role("button", name=name)).to_be_visible()
        assert pages.overflow(page) is None
    finally:
        context.close()
