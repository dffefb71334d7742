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

from django.db.models import Avg, Count
from django.db.models.functions import TruncWeek
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from knowledge.selectors import deflections_between
from tickets.models import TicketRating
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
