"""Per-request rules about the signed-in person: their language and time zone, and a second
factor for those who must have one."""

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import reference
from accounts.backends import has_second_factor
from accounts.sso import signed_in_by_sso


class ReferenceVersionMiddleware:
    """The version of the kept reference data is read once per request (accounts/reference.py),
    however many kinds of it the page uses."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with reference.one_version_per_request():
            return self.get_response(request)


class UserPreferencesMiddleware:
    """Runs after authentication: a person's saved choice beats the browser's guess."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


# What a person who still has to set up a second factor may open: the two-factor pages
# themselves ("mfa_*"), signing out, confirming their password, the language switch.
OPEN_BEFORE_SECOND_FACTOR = {"account_logout", "logout", "account_reauthenticate", "set_language"}


class RequireTwoFactorMiddleware:
    """Engineers and admins (and the customers of an organization that requires it) set up an
    authenticator app or a security key before they use the portal or Django admin: until then
    every page sends them to the two-factor page. At sign-in allauth then asks for the code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or not user.needs_second_factor:
            return None
        # The identity provider is trusted for the second factor (accounts/sso.py).
        if signed_in_by_sso(request):
            return None
        name = request.resolver_match.url_name if request.resolver_match else ""
        if name and (name.startswith("mfa_") or name in OPEN_BEFORE_SECOND_FACTOR):
            return None
        # The backend loads the answer with the user (one query per request, not two).
        known = getattr(user, "has_second_factor", None)
        if known is None:
            known = has_second_factor(user)
        if known:
            return None
        if user.is_staff or user.is_engineer:
            text = _(
                "Engineers and administrators must set up two-factor authentication before "
                "using the portal: add an authenticator app or a security key."
            )
        else:
            text = _(
                "Your organization requires two-factor authentication: add an authenticator "
                "app or a security key before using the portal."
            )
        messages.warning(request, text)
        return redirect("mfa_index")
