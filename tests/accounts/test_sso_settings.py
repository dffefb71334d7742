"""Single sign-on is configured by environment variables only, and is off when none is set."""

import json
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ImproperlyConfigured

from helpdesk import sso_settings
from tests.accounts.support import LOGIN

ROOT = Path(__file__).resolve().parent.parent.parent
SSO_VARIABLES = {
    "OIDC_PROVIDER_ID",
    "OIDC_PROVIDER_NAME",
    "OIDC_SERVER_URL",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_PKCE",
    "VENDOR_EMAIL_DOMAINS",
}
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps([settings.SOCIALACCOUNT_PROVIDERS, settings.VENDOR_EMAIL_DOMAINS]))"
)


def probe(**env: str) -> subprocess.CompletedProcess:
    """The production settings in a fresh process with nothing but `env` about SSO. The other
    variables are set empty: a developer's .env never overrides what is already set."""
    clean = {k: v for k, v in os.environ.items() if k not in SSO_VARIABLES}
    clean.update(dict.fromkeys(SSO_VARIABLES, ""))
    clean.update(DJANGO_SETTINGS_MODULE="helpdesk.settings", SECRET_KEY="probe", **env)
    return subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_it_is_off_when_nothing_is_set():
    done = probe()
    assert done.returncode == 0, done.stderr
    providers, domains = json.loads(done.stdout.strip().splitlines()[-1])
    assert providers == {"openid_connect": {"APPS": []}}
    assert domains == []


def test_it_builds_the_provider_from_the_variables():
    done = probe(
        OIDC_PROVIDER_NAME="Vendor SSO",
        OIDC_SERVER_URL="https://id.vendor.example/realms/staff",
        OIDC_CLIENT_ID="support-portal",
        OIDC_CLIENT_SECRET="s3cret",
        VENDOR_EMAIL_DOMAINS="vendor.example, @Staff.Vendor.Example",
    )
    assert done.returncode == 0, done.stderr
    providers, domains = json.loads(done.stdout.strip().splitlines()[-1])
    assert providers["openid_connect"]["APPS"] == [
        {
            "provider_id": "vendor",
            "name": "Vendor SSO",
            "client_id": "support-portal",
            "secret": "s3cret",
            "settings": {
                "server_url": "https://id.vendor.example/realms/staff",
                "oauth_pkce_enabled": True,
            },
        }
    ]
    assert domains == ["vendor.example", "staff.vendor.example"]


def test_a_half_done_configuration_stops_the_start_and_names_what_is_missing():
    done = probe(OIDC_SERVER_URL="https://id.vendor.example", OIDC_CLIENT_ID="portal")
    assert done.returncode != 0
    assert (
        "OIDC_SERVER_URL is set, so single sign-on is on; it also needs "
        "OIDC_CLIENT_SECRET, VENDOR_EMAIL_DOMAINS." in done.stderr
    )


def test_the_same_check_for_each_missing_variable(monkeypatch):
    monkeypatch.setenv("OIDC_SERVER_URL", "https://id.vendor.example")
    for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "VENDOR_EMAIL_DOMAINS"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ImproperlyConfigured, match="OIDC_CLIENT_ID, OIDC_CLIENT_SECRET"):
        sso_settings.openid_connect_apps(environ.Env())


def test_the_sign_in_page_has_no_sso_button_by_default(client, db, settings, monkeypatch):
    for name in SSO_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    apps = sso_settings.openid_connect_apps(environ.Env())
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    page = client.get(LOGIN).content.decode()
    assert "Sign in with" in page  # the passkey button, so the page did render its buttons
    assert "/accounts/oidc/" not in page
    assert "Vendor staff" not in page


def test_the_provider_start_address_is_404_while_sso_is_off(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    assert client.post("/accounts/oidc/vendor/login/").status_code == 404


def test_an_app_stored_in_the_database_is_ignored(client, db, settings):
    """Only the environment configures SSO: no admin page adds a provider behind its back."""
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="rogue",
        name="Rogue",
        client_id="x",
        secret="y",
        settings={"server_url": "https://rogue.example"},
    )
    assert "Sign in with Rogue" not in client.get(LOGIN).content.decode()
    assert client.post("/accounts/oidc/rogue/login/").status_code == 404


def test_admins_see_connected_identities_but_no_provider_or_token_pages(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/socialaccount/socialaccount/?q=eve").status_code == 200
    assert client.get("/admin/socialaccount/socialapp/").status_code == 404
    assert client.get("/admin/socialaccount/socialtoken/").status_code == 404
