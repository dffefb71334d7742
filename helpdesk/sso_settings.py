"""Single sign-on settings from the environment (.env.example, "Single sign-on").

Kept apart from settings.py so that the test suite builds the provider from variables exactly
as a deployment does. Nothing set -> no provider, no button on the sign-in page.
"""

from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

# The provider's slug in the portal's URLs: /accounts/oidc/<id>/login/callback/ is the
# redirect URI to register at the identity provider.
DEFAULT_PROVIDER_ID = "vendor"


def vendor_email_domains(env: environ.Env) -> list[str]:
    """VENDOR_EMAIL_DOMAINS, lower case, without a leading "@"."""
    raw = env.list("VENDOR_EMAIL_DOMAINS", default=[])
    return [domain.strip().lstrip("@").lower() for domain in raw if domain.strip()]


def _optional(env: environ.Env, name: str, default: str) -> str:
    """An optional variable; set but empty counts as unset."""
    return env(name, default="").strip() or default


def openid_connect_apps(env: environ.Env) -> list[dict[str, Any]]:
    """allauth's app list for the openid_connect provider: one app when OIDC_SERVER_URL is
    set, none otherwise. A half-done configuration stops the start with the missing name."""
    server_url = env("OIDC_SERVER_URL", default="").strip()
    if not server_url:
        return []
    missing = [
        name for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET") if not _optional(env, name, "")
    ]
    if not vendor_email_domains(env):
        missing.append("VENDOR_EMAIL_DOMAINS")
    if missing:
        raise ImproperlyConfigured(
            f"OIDC_SERVER_URL is set, so single sign-on is on; it also needs {', '.join(missing)}."
        )
    return [
        {
            "provider_id": _optional(env, "OIDC_PROVIDER_ID", DEFAULT_PROVIDER_ID),
            "name": _optional(env, "OIDC_PROVIDER_NAME", "SSO"),
            "client_id": env("OIDC_CLIENT_ID"),
            "secret": env("OIDC_CLIENT_SECRET"),
            "settings": {
                # The issuer; allauth reads <issuer>/.well-known/openid-configuration.
                "server_url": server_url,
                # PKCE on top of the client secret (RFC 9700); providers accept it.
                "oauth_pkce_enabled": _optional(env, "OIDC_PKCE", "true").lower()
                not in {"0", "false", "no", "off"},
            },
        }
    ]
