"""Reads of the colleagues pages. An organization admin sees their own organization only:
a colleague or an invitation of another organization is missing (Http404), never forbidden.
Whoever is not an organization admin gets 403 (the page exists; it is not theirs)."""

import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import License, User
from colleagues.models import Invitation

INVITATION_SALT = "colleagues.invitation"


def check_organization_admin(user: User) -> None:
    """403 unless `user` is an active organization admin of an active organization."""
    if not (
        user.is_authenticated
        and user.is_active
        and user.is_customer
        and user.is_organization_admin
        and user.organization is not None
        and user.organization.is_active
    ):
        raise PermissionDenied


def colleagues_of(*, admin: User) -> QuerySet[User]:
    """The people of `admin`'s organization with the licenses each may file for: two queries
    (the people, the chosen licenses), whatever their number."""
    check_organization_admin(admin)
    return (
        User.objects.filter(organization_id=admin.organization_id)
        .prefetch_related(
            Prefetch("filing_licenses", queryset=License.objects.order_by("key").only("id", "key"))
        )
        .order_by("-is_active", "first_name", "last_name", "email")
    )


def colleague_for(*, admin: User, pk: int) -> User:
    """A person of `admin`'s organization; anyone else is missing."""
    check_organization_admin(admin)
    colleague = User.objects.filter(organization_id=admin.organization_id, pk=pk).first()
    if colleague is None:
        raise Http404("No such colleague")
    return colleague


def licenses_of(*, admin: User) -> QuerySet[License]:
    check_organization_admin(admin)
    return License.objects.filter(organization_id=admin.organization_id).order_by("key")


def invitations_of(*, admin: User, limit: int = 50) -> list[Invitation]:
    """The organization's latest invitations (pending first on the page): one query."""
    check_organization_admin(admin)
    return list(
        Invitation.objects.filter(organization_id=admin.organization_id).select_related(
            "invited_by", "accepted_by"
        )[:limit]
    )


def invitation_for(*, admin: User, pk: int) -> Invitation:
    check_organization_admin(admin)
    invitation = Invitation.objects.filter(organization_id=admin.organization_id, pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def invitation_token(invitation: Invitation) -> str:
    """The signed token in the invitation's link (not stored anywhere but the mail)."""
    return signing.dumps({"i": invitation.pk}, salt=INVITATION_SALT)


def invitation_by_token(token: str) -> Invitation:
    """The invitation a link names; a forged or mangled link is missing (Http404). Whether it
    can still be used is the accepting service's question (it answers with a message)."""
    try:
        value = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature as error:
        raise Http404("No such invitation") from error
    pk = value.get("i") if isinstance(value, dict) else None
    invitation = (
        Invitation.objects.select_related("organization").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def pending_count(*, admin: User, now: datetime.datetime) -> int:
    return Invitation.objects.filter(organization_id=admin.organization_id).pending(now).count()
