"""Who may read which SLA reports: the one place that says so (PRODUCT.md §3).

An organization's reports are read by its organization admins, and by engineers and admins
(any organization). Anyone else, a colleague who is not an organization admin included, gets
404 here: the page does not confirm that the organization or its report exists.
"""

import datetime

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organization, User
from reports.models import SlaReport


def reads_any_organization(user: User) -> bool:
    return user.is_authenticated and (user.is_engineer or user.is_staff)


def organization_for_reports(*, user: User, organization_id: int) -> Organization:
    """The organization whose reports `user` may read; otherwise Http404."""
    if reads_any_organization(user):
        organization = Organization.objects.filter(pk=organization_id).first()
    elif (
        user.is_authenticated
        and user.is_customer
        and user.is_organization_admin
        and user.organization_id == organization_id
    ):
        organization = user.organization
    else:
        organization = None
    if organization is None:
        raise Http404("No such organization")
    return organization


def reports_of(organization: Organization) -> QuerySet[SlaReport]:
    """The stored reports of an organization, newest first (their figures deferred)."""
    return organization.sla_reports.defer("data", "breaches").order_by("-month")


def stored_report(
    *, organization: Organization, month: datetime.date, with_all_breaches: bool = False
) -> SlaReport | None:
    """The stored report; every breach is read only when asked for (the CSV)."""
    reports = SlaReport.objects.filter(organization=organization, month=month)
    if not with_all_breaches:
        reports = reports.defer("breaches")
    return reports.first()
