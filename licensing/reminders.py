"""Support periods that end soon: the organization admins and the account manager are told 30
and 7 days before (issue 15), once each.

Set-based and idempotent (docs/architecture.md, "Jobs"): one INSERT … SELECT … ON CONFLICT DO
NOTHING RETURNING claims the reminders due today (licensing.models.SupportReminder is unique per
license, end date and stage), and only the claimed ones are notified, in the same transaction.
A second run, or two at once, sends nothing more; a run after downtime catches up: a license
within 30 days of its end that was never reminded is reminded now (with 7 days or less left,
only the 7-day reminder goes, never both at once).
"""

import datetime
from collections import defaultdict

from django.db import connection, transaction
from django.urls import reverse

from accounts.models import License, Organization, User
from licensing.models import SupportReminder
from sla.business_time import business_date
from tickets.models import Notification
from tickets.notifications import store_notifications

# (days before the end, the fewest days left this stage is sent with)
STAGES = ((30, 8), (7, 0))


def _claim(
    *, days_before: int, first: datetime.date, last: datetime.date, now: datetime.datetime
) -> list[int]:
    reminder, license, organization = (
        SupportReminder._meta.db_table,
        License._meta.db_table,
        Organization._meta.db_table,
    )
    sql = f"""
        INSERT INTO {reminder} (license_id, support_ends_on, days_before, sent_at)
        SELECT l.id, l.support_ends_on, %s, %s
        FROM {license} l JOIN {organization} o ON o.id = l.organization_id
        WHERE o.is_active AND l.support_ends_on BETWEEN %s AND %s
        ON CONFLICT (license_id, support_ends_on, days_before) DO NOTHING
        RETURNING license_id
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [days_before, now, first, last])
        return [row[0] for row in cursor.fetchall()]


def _person(user: User | None) -> dict[str, str] | None:
    if user is None or not user.is_active:
        return None
    return {"name": str(user), "email": user.email, "phone": user.phone}


def _notifications(
    license_ids: list[int], *, today: datetime.date, now: datetime.datetime
) -> list[Notification]:
    licenses = (
        License.objects.filter(pk__in=license_ids)
        .select_related("organization__account_manager", "tier")
        .order_by("organization_id", "support_ends_on", "key")
    )
    groups: defaultdict[tuple[int, datetime.date], list[License]] = defaultdict(list)
    for license in licenses:
        groups[(license.organization_id, license.support_ends_on)].append(license)
    admins: defaultdict[int, list[User]] = defaultdict(list)
    for admin in User.objects.filter(
        organization_id__in={org for org, _day in groups},
        is_organization_admin=True,
        is_active=True,
    ).order_by("pk"):
        admins[admin.organization_id].append(admin)  # type: ignore[index]
    rows: list[Notification] = []
    for (organization_id, ends_on), group in groups.items():
        organization = group[0].organization
        manager = organization.account_manager
        data = {
            "organization": organization.name,
            "organization_id": organization_id,
            "ends_on": ends_on.isoformat(),
            "days_left": (ends_on - today).days,
            "licenses": [
                {"key": one.key, "product": one.product, "tier": one.tier.code} for one in group
            ],
            "title": organization.name,
        }
        for person in admins[organization_id]:
            rows.append(_row(person, {**data, "path": "/", "manager": _person(manager)}, now))
        if manager is not None and manager.is_active:
            path = reverse("admin:accounts_organization_change", args=[organization_id])
            rows.append(_row(manager, {**data, "path": path}, now))
    return rows


def _row(person: User, data: dict, now: datetime.datetime) -> Notification:
    return Notification(
        recipient=person,
        email=person.email,
        language=person.language,
        ticket=None,
        kind=Notification.Kind.SUPPORT_ENDING,
        data=data,
        created_at=now,
        email_status=Notification.EmailStatus.PENDING,
        email_next_attempt_at=now,
    )


@transaction.atomic
def support_reminders_send(*, now: datetime.datetime) -> dict[str, int]:
    """Claim and notify the reminders due at `now` (see the module's docstring); returns how
    many licenses were reminded per stage."""
    today = business_date(now)
    report: dict[str, int] = {}
    for days_before, fewest in STAGES:
        claimed = _claim(
            days_before=days_before,
            first=today + datetime.timedelta(days=fewest),
            last=today + datetime.timedelta(days=days_before),
            now=now,
        )
        if claimed:
            store_notifications(_notifications(claimed, today=today, now=now))
        report[f"support_ending_{days_before}"] = len(claimed)
    return report
