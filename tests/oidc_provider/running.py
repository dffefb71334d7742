"""Start the test provider as a subprocess on a free local port, and stop it."""

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent.parent
START_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str

    def portal_env(self, **extra: str) -> dict[str, str]:
        """The portal's variables for this provider, as .env.example documents them."""
        return {
            "OIDC_PROVIDER_NAME": "Vendor SSO",
            "OIDC_SERVER_URL": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "VENDOR_EMAIL_DOMAINS": "vendor.example, @staff.vendor.example",
            **extra,
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(process: subprocess.Popen, issuer: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test OIDC provider exited:\n{log.read_text()}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"The test OIDC provider did not answer in time:\n{log.read_text()}")


@contextmanager
def running_provider(redirect_uris: list[str]) -> Iterator[Provider]:
    """A fresh provider (its own SQLite file and RSA key) that knows the portal as a
    confidential client with these redirect URIs; stopped and removed afterwards."""
    port = free_port()
    provider = Provider(
        issuer=f"http://127.0.0.1:{port}/o",
        client_id=f"portal-{secrets.token_hex(4)}",
        client_secret=secrets.token_urlsafe(24),
    )
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as tmp:
        log = Path(tmp) / "provider.log"
        env = {
            **os.environ,
            "OIDC_PROVIDER_PORT": str(port),
            "OIDC_PROVIDER_DB": str(Path(tmp) / "provider.sqlite3"),
            "OIDC_CLIENT_ID": provider.client_id,
            "OIDC_CLIENT_SECRET": provider.client_secret,
            "OIDC_REDIRECT_URI": " ".join(redirect_uris),
            "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        }
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.oidc_provider"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            _wait_until_up(process, provider.issuer, log)
            yield provider
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def configure_portal(provider: Provider, settings, monkeypatch) -> Provider:
    """The portal configured for `provider` through its environment variables only, read by
    the same code as at start-up (helpdesk/sso_settings.py)."""
    import environ

    from helpdesk import sso_settings

    for name, value in provider.portal_env().items():
        monkeypatch.setenv(name, value)
    env = environ.Env()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": sso_settings.openid_connect_apps(env)}
    }
    settings.VENDOR_EMAIL_DOMAINS = sso_settings.vendor_email_domains(env)
    return provider
