"""allauth's hooks for the portal: no public sign-up, who may sign in, the audit of sign-ins,
second factors that may not be removed, and ended sessions.

The single sign-on (allauth.socialaccount) adapter builds on `AccountAdapter`.
"""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from accounts import security
from accounts.backends import SECOND_FACTORS
from accounts.models import SecurityEvent, User

Kind = SecurityEvent.Kind


def _typed_email(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "")[:254]


class AccountAdapter(DefaultAccountAdapter):
    error_messages = DefaultAccountAdapter.error_messages | {
        # The same words for an unknown e-mail as for a known one: the limit counts typed
        # addresses, so it tells nobody whether an account exists.
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Signing in to this account is paused for up to "
            "15 minutes; try again later, or reset your password by e-mail."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Accounts are created by admins only."""
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            email = _typed_email(credentials)
            security.security_event_record(
                kind=Kind.LOCKED_OUT,
                user=security.user_for_login(email),
                request=request,
                detail={"email": email},
            )
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        email = _typed_email(credentials)
        security.security_event_record(
            kind=Kind.SIGN_IN_FAILED,
            user=security.user_for_login(email),
            request=request,
            detail={"email": email},
        )

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        """The right password of someone who may not sign in: a clear refusal, audited."""
        if isinstance(user, User) and not user.may_sign_in:
            reason = "inactive" if not user.is_active else "organization_inactive"
            security.security_event_record(
                kind=Kind.SIGN_IN_FAILED, user=user, request=request, detail={"reason": reason}
            )
            if user.is_active:
                clear_login(request)
                messages.error(
                    request,
                    _(
                        "Your organization's access to the portal is suspended, so you cannot "
                        "sign in. Please contact your account manager at the vendor."
                    ),
                )
                return redirect("account_login")
        return super().pre_login(request, user, **kwargs)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = DefaultMFAAdapter.error_messages | {
        "cannot_delete_authenticator": _(
            "Your account must keep two-factor authentication: add another authenticator app "
            "or security key before you remove this one."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Whoever must use a second factor keeps at least one."""
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not user.needs_second_factor:
            return True
        others = Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS)
        return others.exclude(pk=authenticator.pk).exists()


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions: Any) -> None:
        """Ended from the sessions page: each one is audited, with where it was open."""
        for session in sessions:
            session.end()
            security.security_event_record(
                kind=Kind.SESSION_ENDED,
                user=session.user,
                request=context.request,
                detail={"session_ip": session.ip, "session_browser": session.user_agent[:120]},
            )
