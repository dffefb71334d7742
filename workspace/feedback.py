"""Customer feedback on the dashboard (issue 17): satisfaction (CSAT) and self-help.

- CSAT: the ratings given in the period (their `created_at`), averaged and counted per
  support tier, priority and engineer (the ticket's assignee), and per week; the latest
  comments. One grouped query per table.
- Deflections: articles suggested on the new-ticket form and opened in the period, and how
  many of them no ticket of that customer followed within a day.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import TruncWeek
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from knowledge.models import FILING_WINDOW, SuggestionOpen
from tickets.models import Channel, Ticket, TicketRating
from workspace.dashboard import Cell, Period

COMMENTS_LIMIT = 20


@dataclass(frozen=True)
class CsatRow:
    label: str
    count: int
    average: float


def _grouped(ratings, field: str, labels: dict) -> list[CsatRow]:  # type: ignore[no-untyped-def]
    rows = ratings.values(field).annotate(n=Count("pk"), avg=Avg("score")).order_by(field)
    return [
        CsatRow(label=str(labels.get(row[field], "—")), count=row["n"], average=row["avg"])
        for row in rows
    ]


def csat(period: Period, cells: Sequence[Cell]) -> dict[str, object]:
    """The period's ratings by tier, priority, engineer and week, and the latest comments:
    five queries (the tiers' and priorities' names come with the dashboard's `cells`)."""
    ratings = TicketRating.objects.filter(
        created_at__gte=period.starts_at, created_at__lt=period.ends_at
    )
    weeks = list(
        ratings.annotate(week=TruncWeek("created_at", tzinfo=period.zone))
        .values("week")
        .annotate(n=Count("pk"), avg=Avg("score"))
        .order_by("week")
    )
    count = sum(row["n"] for row in weeks)
    points = sum(row["n"] * row["avg"] for row in weeks)
    engineers = (
        ratings.values("ticket__assignee", "ticket__assignee__email")
        .annotate(n=Count("pk"), avg=Avg("score"))
        .order_by("ticket__assignee__email")
    )
    return {
        "total": CsatRow(label="", count=count, average=points / count if count else 0),
        "by_tier": _grouped(ratings, "ticket__tier", {c.tier.pk: c.tier.label for c in cells}),
        "by_priority": _grouped(
            ratings, "ticket__priority", {c.priority.pk: c.priority.label for c in cells}
        ),
        "by_engineer": [
            CsatRow(
                label=row["ticket__assignee__email"] or str(_("Unassigned")),
                count=row["n"],
                average=row["avg"],
            )
            for row in engineers
        ],
        "by_week": [
            CsatRow(label=_week_label(row["week"]), count=row["n"], average=row["avg"])
            for row in weeks
        ],
        "comments": list(
            ratings.exclude(comment="")
            .select_related("ticket", "ticket__assignee")
            .order_by("-created_at")[:COMMENTS_LIMIT]
        ),
    }


def _week_label(monday: datetime.datetime | datetime.date) -> str:
    day = monday.date() if isinstance(monday, datetime.datetime) else monday
    return date_format(day, "SHORT_DATE_FORMAT")


def deflections(period: Period) -> dict[str, int]:
    return deflections_between(period.starts_at, period.ends_at)


def deflections_between(start: datetime.datetime, end: datetime.datetime) -> dict[str, int]:
    """Suggested articles opened in [start, end), and how many of them no ticket followed:
    none filed on the portal by the same customer within FILING_WINDOW of the opening.

    Derived when counted rather than marked at filing, so that filing writes nothing for it.
    One query: the openings by the index `suggestion_opened`, each probing its customer's
    organization's tickets registered in the window (`ticket_org_recent`: a day of one
    organization's tickets, not all of its customer's)."""
    followed = Ticket.objects.filter(
        organization_id=OuterRef("user__organization_id"),
        customer_id=OuterRef("user_id"),
        channel=Channel.PORTAL,
        registered_at__gte=OuterRef("opened_at"),
        registered_at__lt=OuterRef("opened_at") + FILING_WINDOW,
    )
    return SuggestionOpen.objects.filter(opened_at__gte=start, opened_at__lt=end).aggregate(
        opened=Count("pk"), deflected=Count("pk", filter=~Q(Exists(followed)))
    )
