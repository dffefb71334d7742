"""Signing in as a person does: the real sign-in form (and the code step), not force_login."""

from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, totp_code

LOGIN = reverse("account_login")
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"


def sign_in(client: Client, email: str, password: str = PASSWORD, *, data=None, **request):
    """Send the sign-in form; `request` goes to the test client (REMOTE_ADDR=...)."""
    return client.post(LOGIN, {"login": email, "password": password, **(data or {})}, **request)


def sign_in_fully(client: Client, user, *, step: int = 0):
    """Password, then the authenticator code for whoever has one; the last response."""
    response = sign_in(client, user.email)
    if response.status_code == 302 and response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(step=step)})
    assert client.session.get("_auth_user_id") == str(user.pk), response
    return response


def signed_in_as(client: Client):
    return client.session.get("_auth_user_id")


def reauthenticate(client: Client, password: str = PASSWORD):
    """Type the password again, as allauth asks before any change to the second factors."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response
    return response
