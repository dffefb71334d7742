"""The reads of the hotline page (engineers only): finding the caller, their organization's
licenses, the ticket a call is about, and the log of recent calls.

Kept beside tickets.selectors rather than in it: these serve one engineers' page, and every
view that calls them is behind `engineer_required`.
"""

import datetime
from functools import reduce
from operator import and_

from django.db.models import Q, QuerySet

from accounts.models import License, User, normalize_license_key
from tickets.models import HotlineCall

CALLER_RESULTS = 20
RECENT_CALLS = 50


def hotline_callers() -> QuerySet[User]:
    """Who may be a known caller: active customer accounts (never engineers, never the
    deactivated)."""
    return User.objects.filter(role=User.Role.CUSTOMER, is_active=True).select_related(
        "organization"
    )


def caller_search(*, query: str, limit: int = CALLER_RESULTS) -> list[User]:
    """Active customers matching every word of `query` in their name, e-mail, organization's
    name or one of its license keys; at most `limit`, by organization then name."""
    words = query.split()[:5]
    if not words:
        return []
    conditions = [
        Q(first_name__icontains=word)
        | Q(last_name__icontains=word)
        | Q(email__icontains=word)
        | Q(organization__name__icontains=word)
        | Q(organization__licenses__key__contains=normalize_license_key(word))
        for word in words
    ]
    matching = User.objects.filter(reduce(and_, conditions)).values("pk")
    return list(
        hotline_callers()
        .filter(pk__in=matching)
        .order_by("organization__name", "last_name", "first_name", "email")[:limit]
    )


def hotline_caller(*, pk: object) -> User | None:
    """The chosen caller, if `pk` names an active customer."""
    try:
        return hotline_callers().filter(pk=int(str(pk))).first()
    except ValueError:
        return None


def caller_licenses(*, caller: User, day: datetime.date) -> QuerySet[License]:
    """The caller's organization's licenses with Extended support active on `day`: the ones a
    hotline ticket may be registered under."""
    return (
        License.objects.active_on(day)
        .filter(organization_id=caller.organization_id, tier__extended=True)
        .select_related("tier")
        .order_by("key")
    )


def organization_licenses(*, caller: User) -> QuerySet[License]:
    """All the caller's organization's licenses (a call may be about any of them)."""
    return (
        License.objects.filter(organization_id=caller.organization_id)
        .select_related("tier")
        .order_by("key")
    )


def recent_calls(*, limit: int = RECENT_CALLS) -> QuerySet[HotlineCall]:
    """The latest calls with everything the log shows, in one query."""
    return HotlineCall.objects.select_related(
        "engineer", "caller", "organization", "license", "ticket"
    ).order_by("-called_at", "-id")[:limit]
