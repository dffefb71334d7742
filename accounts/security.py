"""The security audit and the end of sessions.

`security_event_record` is the one writer of `SecurityEvent` rows; the signal receivers in
`accounts/signals.py` and the adapters in `accounts/adapters.py` call it. Deactivating a person
(or a customer's organization) ends their sessions for good: the session rows are deleted, so
reactivating the account later does not bring back a cookie held before.
"""

import ipaddress
from typing import Any

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from accounts.models import Organization, SecurityEvent, User, email_is

USER_AGENT_LENGTH = SecurityEvent._meta.get_field("user_agent").max_length or 300


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the rate limits see it (TRUSTED_PROXY_COUNT), or None."""
    try:
        ip = get_adapter().get_client_ip(request)
        ipaddress.ip_address(ip)
    except (PermissionDenied, ValueError):
        return None
    return ip


def security_event_record(
    *,
    kind: SecurityEvent.Kind,
    user: User | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Store one audit row; the address and browser come from `request` when there is one."""
    ip, agent = None, ""
    if request is not None:
        ip = client_ip(request)
        agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
    return SecurityEvent.objects.create(
        kind=kind, user=user, ip=ip, user_agent=agent, detail=detail or {}
    )


def user_for_login(email: str) -> User | None:
    """The account a typed e-mail names, if any (for the audit only: never shown at sign-in)."""
    return User.objects.filter(email_is(email.strip())).first() if email else None


def user_sessions_end(*, user: User) -> int:
    """End every session `user` has, deleting it from the session store; how many ended."""
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    return len(sessions)


def user_deactivated(*, user: User) -> None:
    """A person's account was switched off: their sessions end and the audit says so."""
    ended = user_sessions_end(user=user)
    security_event_record(
        kind=SecurityEvent.Kind.DEACTIVATED, user=user, detail={"sessions_ended": ended}
    )


def organization_deactivated(*, organization: Organization) -> None:
    """A customer organization was switched off: each of its customers' sessions end."""
    for user in organization.members.filter(role=User.Role.CUSTOMER):
        ended = user_sessions_end(user=user)
        if ended:
            security_event_record(
                kind=SecurityEvent.Kind.SESSION_ENDED,
                user=user,
                detail={"sessions_ended": ended, "reason": "organization_deactivated"},
            )
