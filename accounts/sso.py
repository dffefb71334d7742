"""Single sign-on for the vendor's staff: OpenID Connect through allauth.socialaccount.

Who may come in (docs/architecture.md, "Single sign-on"):

- The identity provider must confirm the e-mail (`email_verified`), and its domain must be one
  of VENDOR_EMAIL_DOMAINS. Anyone else is refused with a message; nothing is stored.
- No account has that e-mail: a new engineer is made (no organization, no usable password).
- An account has it: it is connected to the provider's identity only when it is an active
  engineer with a vendor address who is not an administrator. A customer account is never
  taken over through SSO; administrators keep signing in with their password and second
  factor, so the identity provider cannot hand out admin rights.
- Every later sign-in checks the same again; connecting an identity to an account that is
  signed in (allauth's "connect" process) is not offered.

The second factor: the identity provider is trusted for it. A session opened through SSO is
marked (`signed_in_by_sso`), and accounts.middleware.RequireTwoFactorMiddleware does not send it
to set up an authenticator. Someone who has set one up anyway is still asked for its code.
"""

from typing import Any, NoReturn

from allauth.account import signals as account_signals
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts import security
from accounts.models import SecurityEvent, User, email_is

SESSION_KEY = "sso_user"


def is_vendor_email(email: str) -> bool:
    domain = email.rpartition("@")[2].lower()
    return bool(domain) and domain in settings.VENDOR_EMAIL_DOMAINS


def may_use_sso(user: User) -> bool:
    """An active engineer with a vendor address, and not an administrator."""
    return (
        user.is_active
        and user.role == User.Role.ENGINEER
        and not (user.is_staff or user.is_superuser)
        and is_vendor_email(user.email)
    )


def signed_in_by_sso(request: HttpRequest) -> bool:
    """This session was opened through SSO, by the person signed in, who may still use it."""
    user = request.user
    return (
        isinstance(user, User)
        and request.session.get(SESSION_KEY) == str(user.pk)
        and may_use_sso(user)
    )


def _confirmed_email(sociallogin: SocialLogin) -> str:
    """The first address the provider confirmed, lower case; "" when there is none."""
    for address in sociallogin.email_addresses:
        if address.verified and address.email:
            return address.email.strip().lower()
    return ""


def _refuse(
    request: HttpRequest, sociallogin: SocialLogin, *, reason: str, text: str, user: Any = None
) -> NoReturn:
    security.security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED,
        user=user,
        request=request,
        detail={
            "method": "sso",
            "provider": sociallogin.account.provider,
            "email": next((a.email for a in sociallogin.email_addresses), "")[:254],
            "reason": reason,
        },
    )
    messages.error(request, text)
    raise ImmediateHttpResponse(redirect("account_login"))


def _refuse_account(request: HttpRequest, sociallogin: SocialLogin, user: User) -> NoReturn:
    """An existing account SSO may not open, told in its own words."""
    names = {"email": user.email}
    if not user.is_active:
        reason, text = "inactive", _("The account %(email)s is deactivated.") % names
    elif user.role != User.Role.ENGINEER:
        reason = "customer"
        text = (
            _(
                "%(email)s is a customer account: single sign-on is for the vendor's engineers. "
                "Sign in with your e-mail and password."
            )
            % names
        )
    elif user.is_staff or user.is_superuser:
        reason = "administrator"
        text = (
            _(
                "%(email)s is an administrator account: administrators sign in with their "
                "password and second factor, not through single sign-on."
            )
            % names
        )
    else:
        reason = "not_vendor"
        text = _("The account %(email)s does not have a vendor address.") % names
    _refuse(request, sociallogin, reason=reason, text=text, user=user)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        """The provider configured by environment variables, and nothing else: allauth would
        also read apps stored in the database, which would let one be added in admin."""
        apps = []
        for config in app_settings.PROVIDERS.get("openid_connect", {}).get("APPS", []):
            app = SocialApp(provider="openid_connect", **config)
            if provider and provider not in (app.provider, app.provider_id):
                continue
            if client_id and app.client_id != client_id:
                continue
            apps.append(app)
        return apps

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Admit, connect or refuse, before allauth signs anybody in or stores anything."""
        provider = sociallogin.account.get_provider().name
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            text = _("Connecting a single sign-on identity to an account is not offered.")
            _refuse(request, sociallogin, reason="connect", text=text)
        email = _confirmed_email(sociallogin)
        if not email:
            text = _(
                "%(provider)s did not confirm an e-mail address for you, so you cannot be "
                "signed in. Ask your administrator to check your account there."
            ) % {"provider": provider}
            _refuse(request, sociallogin, reason="no_confirmed_email", text=text)
        if not is_vendor_email(email):
            text = _(
                "Single sign-on is for the vendor's staff only, and %(email)s is not a vendor "
                "address. Customers sign in with their e-mail and password."
            ) % {"email": email}
            _refuse(request, sociallogin, reason="not_vendor", text=text)
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            user = User.objects.filter(email_is(email)).first()
        if user is None:
            return  # a new engineer: populate_user and save_user below
        if not may_use_sso(user):
            _refuse_account(request, sociallogin, user)
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        """Only a confirmed vendor address gets an account (pre_social_login refused others)."""
        return is_vendor_email(_confirmed_email(sociallogin))

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> User:
        user = super().populate_user(request, sociallogin, data)
        user.email = _confirmed_email(sociallogin)
        user.role = User.Role.ENGINEER
        user.organization = None
        user.is_staff = user.is_superuser = False
        return user

    @transaction.atomic
    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> User:
        """The new engineer, their e-mail and the provider's identity: all or nothing."""
        return super().save_user(request, sociallogin, form)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """Cancelled or refused at the provider, or the provider unreachable: back to the
        sign-in page with a message instead of allauth's bare error page."""
        messages.error(
            request,
            _(
                "Signing in with %(provider)s did not succeed (cancelled, refused or not "
                "reachable). Try again, or sign in with your e-mail and password."
            )
            % {"provider": provider.name},
        )
        raise ImmediateHttpResponse(redirect("account_login"))


def _mark_session(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """After a sign-in completes. A sign-in by password takes the mark away; signing out ends
    the session and the mark with it."""
    if kwargs.get("sociallogin") is not None:
        request.session[SESSION_KEY] = str(user.pk)
    else:
        request.session.pop(SESSION_KEY, None)


def connect() -> None:
    """Called from AccountsConfig.ready."""
    account_signals.user_logged_in.connect(_mark_session, dispatch_uid="accounts.sso.mark")
