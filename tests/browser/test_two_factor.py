"""Signing in in a real Chromium: an engineer sets up an authenticator app and signs in with
its code; a customer who keeps guessing is locked out and told so."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, CustomerFactory, EngineerFactory, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_sign_in(page: Page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def test_an_engineer_sets_up_an_authenticator_app_and_signs_in_with_a_code(
    page, live_server, tmp_path
):
    engineer = EngineerFactory(email="newbie@vendor.example", second_factor=False)
    fill_sign_in(page, live_server, engineer.email, PASSWORD)

    # Sent to set up a second factor before anything else.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    expect(page.locator(".flash")).to_contain_text("must set up two-factor authentication")
    page.goto(f"{live_server.url}/work/queue/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/$"))
    page.get_by_role("link", name="Activate").click()

    # The password once more, then the QR code and the secret.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.screenshot(path=tmp_path / "activate.png", full_page=True)
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()

    # Now the portal opens; sign out from the account menu.
    page.goto(f"{live_server.url}/work/queue/")
    expect(page).to_have_url(re.compile(r"/work/queue/"))
    page.locator(".account .dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # Signing in again asks for the code (the one used above is spent: the next one).
    fill_sign_in(page, live_server, engineer.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.screenshot(path=tmp_path / "code.png", full_page=True)
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.locator("#id_code").fill(totp_code(secret, step=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/work/queue/"))
    expect(page.locator("a.who")).to_have_text(engineer.email)


def test_a_customer_is_locked_out_after_five_wrong_passwords(page, live_server, tmp_path):
    customer = CustomerFactory(email="guesser@alpha.example")
    for _ in range(5):
        fill_sign_in(page, live_server, customer.email, "wrong password")
        expect(page.locator(".alert-danger")).to_contain_text("are not correct")
    fill_sign_in(page, live_server, customer.email, PASSWORD)
    alert = page.locator(".alert-danger")
    expect(alert).to_contain_text("Too many failed sign-in attempts")
    expect(alert).to_contain_text("paused for up to 15 minutes")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("a.who")).to_have_count(0)
    page.screenshot(path=tmp_path / "locked.png", full_page=True)
