"""Signal receivers that feed the security audit; each only hands over to accounts.security.

Connected in `AccountsConfig.ready`. Sign-in failures and lockouts are recorded by the account
adapter (accounts/adapters.py), where allauth decides them; ended sessions by the sessions
adapter.
"""

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import signals as auth_signals
from django.db.models import signals as model_signals
from django.http import HttpRequest

from accounts import security
from accounts.models import Organization, SecurityEvent, User

Kind = SecurityEvent.Kind


def _signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    security.security_event_record(kind=Kind.SIGNED_IN, user=user, request=request)


def _signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        security.security_event_record(kind=Kind.SIGNED_OUT, user=user, request=request)


def _password_event(how: str) -> Any:
    def receiver(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        security.security_event_record(
            kind=Kind.PASSWORD_CHANGED, user=user, request=request, detail={"how": how}
        )

    return receiver


def _authenticator_event(kind: SecurityEvent.Kind) -> Any:
    def receiver(
        sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kw: Any
    ) -> None:
        security.security_event_record(
            kind=kind, user=user, request=request, detail={"method": authenticator.type}
        )

    return receiver


def _remember_activity(sender: Any, instance: User | Organization, **kwargs: Any) -> None:
    """Before a save that switches something off, note whether it was on until now."""
    fields = kwargs.get("update_fields")
    if instance.pk and not instance.is_active and (fields is None or "is_active" in fields):
        model = type(instance)
        instance._was_active = model.objects.filter(pk=instance.pk, is_active=True).exists()


def _user_saved(sender: Any, instance: User, **kwargs: Any) -> None:
    if getattr(instance, "_was_active", False) and not instance.is_active:
        instance._was_active = False
        security.user_deactivated(user=instance)


def _organization_saved(sender: Any, instance: Organization, **kwargs: Any) -> None:
    if getattr(instance, "_was_active", False) and not instance.is_active:
        instance._was_active = False
        security.organization_deactivated(organization=instance)


# Made once and kept here: signals hold their receivers weakly.
_PASSWORD_RECEIVERS = {
    account_signals.password_changed: _password_event("change"),
    account_signals.password_set: _password_event("set"),
    account_signals.password_reset: _password_event("reset"),
}
_AUTHENTICATOR_RECEIVERS = {
    mfa_signals.authenticator_added: _authenticator_event(Kind.SECOND_FACTOR_ADDED),
    mfa_signals.authenticator_removed: _authenticator_event(Kind.SECOND_FACTOR_REMOVED),
    mfa_signals.authenticator_reset: _authenticator_event(Kind.RECOVERY_CODES_RENEWED),
    mfa_signals.authentication_failed: _authenticator_event(Kind.SECOND_FACTOR_FAILED),
}


def connect() -> None:
    auth_signals.user_logged_in.connect(_signed_in, dispatch_uid="security_signed_in")
    auth_signals.user_logged_out.connect(_signed_out, dispatch_uid="security_signed_out")
    for signal, receiver in (_PASSWORD_RECEIVERS | _AUTHENTICATOR_RECEIVERS).items():
        signal.connect(receiver, dispatch_uid=f"security_{id(signal)}")
    for model, saved in ((User, _user_saved), (Organization, _organization_saved)):
        model_signals.pre_save.connect(_remember_activity, sender=model, weak=False)
        model_signals.post_save.connect(saved, sender=model, weak=False)
