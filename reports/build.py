"""Building an organization's monthly SLA report: the figures, stored as JSON (issue 15).

The tickets of the report are those the organization registered in the month (days of the
business time zone, settings.BUSINESS_TIME_ZONE), as the dashboard counts a period:
- by priority and state: each ticket in the state it had when the report was built;
- targets met per priority: workspace.dashboard's definitions of met, missed and pending
  (its docstring), summed over the tiers; the percentage is of the decided ones;
- the charts: the dashboard's own (opened and closed per week; targets met, missed and
  pending per tier and priority), drawn from these figures by reports.presentation;
- each breach (a reaction or resolution target missed) with its explanation: the target, its
  calendar, the stored deadline and the days it skipped (sla.explain.explain_due), when the
  reaction or resolution came, how late, and whether the deadline moved while the customer had
  the move. The explanations are computed here, once; the views only put them into words.
  A bad month can have thousands of breaches: `data` (read by the page and the PDF) keeps
  their counts per priority and kind and the SHOWN_BREACHES most overdue, the separate
  `SlaReport.breaches` (read by the CSV only) keeps them all.

A fixed number of queries whatever the number of tickets (tests/reports/test_build.py): the
counts are GROUP BY queries, the breaches one SELECT, the targets one, the calendars cached.
"""

import calendar as calendar_module
import dataclasses
import datetime
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, QuerySet

from accounts.models import Organization
from reports.models import SlaReport
from sla import selectors
from sla.business_time import business_zone
from sla.explain import explain_due
from sla.models import Calendar, Priority, Target, Tier
from sla.services import due_after
from tickets.models import State, Ticket
from workspace import dashboard as stats

VERSION = 2


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar_module.monthrange(month.year, month.month)[1])


def previous_month(day: datetime.date) -> datetime.date:
    return month_start(month_start(day) - datetime.timedelta(days=1))


def period_of(month: datetime.date) -> stats.Period:
    return stats.Period(start=month, end=month_end(month), zone=business_zone())


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _outcome(outcome: stats.Outcome) -> dict[str, Any]:
    percent = outcome.met_percent
    return {
        "met": outcome.met,
        "missed": outcome.missed,
        "pending": outcome.pending,
        "percent": round(percent, 1) if percent is not None else None,
    }


def _labels(tiers: list[Tier], priorities: list[Priority]) -> dict[str, Any]:
    # Both languages are kept: the stored report reads the same whatever is renamed later.
    return {
        "tiers": [{"code": t.code, "en": t.name, "ru": t.name_ru} for t in tiers],
        "priorities": [{"code": p.code, "en": p.name, "ru": p.name_ru} for p in priorities],
        "states": [state.value for state in State],
    }


def _by_priority_and_state(tickets: QuerySet[Ticket]) -> dict[str, dict[str, int]]:
    rows = tickets.values("priority_id", "state").annotate(count=Count("*")).order_by()
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        table.setdefault(row["priority_id"], {})[row["state"]] = row["count"]
    return table


def _per_priority(rows: list[stats.TargetRow], priorities: list[Priority]) -> list[dict[str, Any]]:
    result = []
    for priority in priorities:
        mine = [row for row in rows if row.cell.priority.pk == priority.pk]
        result.append(
            {
                "priority": priority.code,
                "reaction": _outcome(sum((row.reaction for row in mine), stats.Outcome())),
                "resolution": _outcome(sum((row.resolution for row in mine), stats.Outcome())),
            }
        )
    return result


BREACH_FIELDS = (
    "number",
    "subject",
    "tier_id",
    "priority_id",
    "state",
    "registered_at",
    "reaction_due",
    "reacted_at",
    "resolution_due",
    "resolved_at",
    "missed_reaction",
    "missed_resolution",
)


SHOWN_BREACHES = 50  # on the page and in the PDF; the CSV has them all


def _special_days(
    calendar_row: Calendar,
    amount: int,
    unit: str,
    start: datetime.datetime,
    due: datetime.datetime,
    memo: dict[tuple, list[list[str]]],
) -> list[list[str]]:
    """The days between `start` and `due` the calendar skipped or shortened, as
    [date, kind, reason]: they depend on the two local dates only, so each span is explained
    once however many breaches share it."""
    if calendar_row.always_open:
        return []
    zone = selectors.business_calendar(calendar_row).tz
    key = (calendar_row.pk, start.astimezone(zone).date(), due.astimezone(zone).date())
    if key not in memo:
        explanation = explain_due(calendar_row, amount, unit, start, due)
        memo[key] = [
            [day.day.isoformat(), day.kind, day.reason] for day in explanation.special_days
        ]
    return memo[key]


def _explained(
    target: Target | None,
    kind: str,
    registered_at: datetime.datetime,
    due: datetime.datetime | None,
    memo: dict[tuple, list[list[str]]],
) -> dict[str, Any] | None:
    """A breach's explanation, computed here once and stored: the page, the PDF and the CSV
    only put it into words. The calendar's names are the report's `calendars` (by key)."""
    if target is None or due is None:
        return None
    calendar_row = getattr(target, f"{kind}_calendar")
    amount, unit = getattr(target, f"{kind}_amount"), getattr(target, f"{kind}_unit")
    nominal = due_after(selectors.business_calendar(calendar_row), registered_at, amount, unit)
    return {
        "amount": amount,
        "unit": unit,
        "calendar": str(calendar_row.pk),
        "special_days": _special_days(calendar_row, amount, unit, registered_at, due, memo),
        # Later than the target alone gives: the clock stopped while the customer had the move.
        "moved_by_pauses": due > nominal,
    }


def _calendars(targets: dict[tuple[str, str], Target]) -> dict[str, dict[str, Any]]:
    calendars = {}
    for target in targets.values():
        for row in (target.reaction_calendar, target.resolution_calendar):
            calendars[str(row.pk)] = {
                "en": row.name,
                "ru": row.name_ru,
                "time_zone": row.time_zone,
                "always_open": row.always_open,
            }
    return calendars


def _late_seconds(
    due: datetime.datetime | None, done: datetime.datetime | None, now: datetime.datetime
) -> int:
    """How late the reaction or resolution came, or is by `now` if it has not come."""
    if due is None:
        return 0
    return max(0, int(((done or now) - due).total_seconds()))


def _breaches(
    tickets: QuerySet[Ticket], now: datetime.datetime, targets: dict[tuple[str, str], Target]
) -> list[dict[str, Any]]:
    """Every breach of the month, the most overdue first."""
    rows = (
        tickets.annotate(
            missed_reaction=ExpressionWrapper(
                stats.reaction_missed_q(now), output_field=BooleanField()
            ),
            missed_resolution=ExpressionWrapper(
                stats.resolution_missed_q(now), output_field=BooleanField()
            ),
        )
        .filter(stats.reaction_missed_q(now) | stats.resolution_missed_q(now))
        .order_by("registered_at", "id")
        .values(*BREACH_FIELDS)
    )
    memo: dict[tuple, list[list[str]]] = {}
    breaches = []
    for row in rows:
        target = targets.get((row["tier_id"], row["priority_id"]))
        for kind, done_field in (("reaction", "reacted_at"), ("resolution", "resolved_at")):
            if not row[f"missed_{kind}"]:
                continue
            due, done = row[f"{kind}_due"], row[done_field]
            breaches.append(
                {
                    "number": row["number"],
                    "subject": row["subject"],
                    "tier": row["tier_id"],
                    "priority": row["priority_id"],
                    "state": row["state"],
                    "kind": kind,
                    "registered_at": _iso(row["registered_at"]),
                    "due": _iso(due),
                    "done_at": _iso(done),
                    "late_seconds": _late_seconds(due, done, now),
                    "explanation": _explained(target, kind, row["registered_at"], due, memo),
                }
            )
    breaches.sort(key=lambda breach: -breach["late_seconds"])  # stable: then by registration
    return breaches


def _breach_summary(
    breaches: list[dict[str, Any]], priorities: list[Priority]
) -> list[dict[str, Any]]:
    counts = Counter((breach["priority"], breach["kind"]) for breach in breaches)
    return [
        {
            "priority": priority.code,
            "reaction": counts.get((priority.code, "reaction"), 0),
            "resolution": counts.get((priority.code, "resolution"), 0),
        }
        for priority in priorities
    ]


@dataclasses.dataclass(frozen=True)
class ReportContent:
    data: dict[str, Any]  # the figures and the first SHOWN_BREACHES breaches (SlaReport.data)
    breaches: list[dict[str, Any]]  # every breach (SlaReport.breaches, for the CSV)


def report_content(
    organization: Organization, month: datetime.date, *, now: datetime.datetime
) -> ReportContent:
    """The figures and breaches of `organization`'s report for `month` (its first day) as of
    `now`."""
    period = period_of(month)
    tickets = Ticket.objects.filter(organization=organization)
    in_month = tickets.filter(registered_at__gte=period.starts_at, registered_at__lt=period.ends_at)
    cells = stats.sla_cells()
    tiers = list(dict.fromkeys(cell.tier for cell in cells))
    priorities = list(dict.fromkeys(cell.priority for cell in cells))
    weeks = stats.weekly_flow(period, tickets)
    target_rows = stats.targets(period, cells, now, tickets)
    by_state = _by_priority_and_state(in_month)
    targets = {
        (t.tier_id, t.priority_id): t
        for t in Target.objects.select_related("reaction_calendar", "resolution_calendar")
    }
    breaches = _breaches(in_month, now, targets)
    data = {
        "version": VERSION,
        "organization": organization.name,
        "month": month.isoformat(),
        "time_zone": str(period.zone),
        "as_of": now.isoformat(),
        "labels": _labels(tiers, priorities),
        "total": sum(sum(states.values()) for states in by_state.values()),
        "by_priority_state": by_state,
        "targets_by_priority": _per_priority(target_rows, priorities),
        "targets_by_cell": [
            {
                "tier": row.cell.tier.code,
                "priority": row.cell.priority.code,
                "reaction": _outcome(row.reaction),
                "resolution": _outcome(row.resolution),
            }
            for row in target_rows
        ],
        "weeks": [
            {
                "monday": week.monday.isoformat(),
                "first_day": week.first_day.isoformat(),
                "last_day": week.last_day.isoformat(),
                "opened": week.opened,
                "closed": week.closed,
            }
            for week in weeks
        ],
        "calendars": _calendars(targets),
        "breach_count": len(breaches),
        "breach_summary": _breach_summary(breaches, priorities),
        "breaches": breaches[:SHOWN_BREACHES],
    }
    return ReportContent(data=data, breaches=breaches)


def sla_report_build(
    *, organization: Organization, month: datetime.date, now: datetime.datetime
) -> SlaReport:
    """The stored report of `organization` for `month`, built now if there is none.

    Two builders at once (the beat and an engineer's page) store one report: the unique
    (organization, month) keeps the first, and the second reads it.
    """
    existing = SlaReport.objects.filter(organization=organization, month=month).first()
    if existing is not None:
        return existing
    content = report_content(organization, month, now=now)
    with transaction.atomic():
        report, _created = SlaReport.objects.get_or_create(
            organization=organization,
            month=month,
            defaults={"data": content.data, "breaches": content.breaches, "built_at": now},
        )
    return report
