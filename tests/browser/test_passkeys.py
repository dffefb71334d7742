"""Passkeys in a real Chromium, with its virtual authenticator (the DevTools WebAuthn domain)
standing in for a phone or security key: an engineer adds one, signs out, and signs in with it
alone."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import Page, expect

from accounts.models import SecurityEvent
from tests.browser.conftest import login
from tests.factories import PASSWORD, EngineerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def virtual_authenticator(page: Page) -> None:
    """A platform authenticator that holds passkeys and verifies its user (a fingerprint)."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_an_engineer_adds_a_passkey_and_signs_in_with_it_alone(page, live_server, settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test server speaks plain http
    engineer = EngineerFactory(email="keyholder@vendor.example")
    virtual_authenticator(page)
    login(page, live_server, engineer)

    page.goto(f"{live_server.url}/accounts/2fa/webauthn/add/")
    page.get_by_label("Password").fill(PASSWORD)  # changing a second factor: the password again
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Add Security Key")).to_be_visible()
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    key = Authenticator.objects.get(user=engineer, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().is_passwordless

    # The next page must have loaded (Bootstrap's script with it) before its account menu is
    # opened: a click while it was still loading left the menu shut, once in CI.
    page.wait_for_load_state("load")
    page.locator(".account .dropdown-toggle").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(re.compile(r"/work/queue/"))
    expect(page.locator("a.who")).to_have_text(engineer.email)
    assert (
        SecurityEvent.objects.filter(user=engineer, kind=SecurityEvent.Kind.SIGNED_IN).count() == 2
    )
