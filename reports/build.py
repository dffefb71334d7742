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
  reaction or resolution came, and whether the deadline moved while the customer had the move.

A fixed number of queries whatever the number of tickets (tests/reports/test_build.py): the
counts are GROUP BY queries, the breaches one SELECT, the targets one, the calendars cached.
"""

import calendar as calendar_module
import datetime
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, QuerySet

from accounts.models import Organization
from reports.models import SlaReport
from sla import selectors
from sla.business_time import business_zone
from sla.explain import explain_due
from sla.models import Priority, Target, Tier
from sla.services import due_after
from tickets.models import State, Ticket
from workspace import dashboard as stats

VERSION = 1


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


def _explained(
    target: Target | None,
    kind: str,
    registered_at: datetime.datetime,
    due: datetime.datetime | None,
) -> dict[str, Any] | None:
    if target is None or due is None:
        return None
    calendar_row = getattr(target, f"{kind}_calendar")
    amount, unit = getattr(target, f"{kind}_amount"), getattr(target, f"{kind}_unit")
    explanation = explain_due(calendar_row, amount, unit, registered_at, due)
    nominal = due_after(selectors.business_calendar(calendar_row), registered_at, amount, unit)
    return {
        "amount": amount,
        "unit": unit,
        "always_open": calendar_row.always_open,
        "calendar": {"en": calendar_row.name, "ru": calendar_row.name_ru},
        "time_zone": calendar_row.time_zone,
        "special_days": [
            {"date": day.day.isoformat(), "kind": day.kind, "reason": day.reason}
            for day in explanation.special_days
        ],
        # Later than the target alone gives: the clock stopped while the customer had the move.
        "moved_by_pauses": due > nominal,
    }


def _breaches(tickets: QuerySet[Ticket], now: datetime.datetime) -> list[dict[str, Any]]:
    targets = {
        (t.tier_id, t.priority_id): t
        for t in Target.objects.select_related("reaction_calendar", "resolution_calendar")
    }
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
    breaches = []
    for row in rows:
        target = targets.get((row["tier_id"], row["priority_id"]))
        for kind, done_field in (("reaction", "reacted_at"), ("resolution", "resolved_at")):
            if not row[f"missed_{kind}"]:
                continue
            due = row[f"{kind}_due"]
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
                    "done_at": _iso(row[done_field]),
                    "explanation": _explained(target, kind, row["registered_at"], due),
                }
            )
    return breaches


def report_data(
    organization: Organization, month: datetime.date, *, now: datetime.datetime
) -> dict[str, Any]:
    """The figures of `organization`'s report for `month` (its first day) as of `now`."""
    period = period_of(month)
    tickets = Ticket.objects.filter(organization=organization)
    in_month = tickets.filter(registered_at__gte=period.starts_at, registered_at__lt=period.ends_at)
    cells = stats.sla_cells()
    tiers = list(dict.fromkeys(cell.tier for cell in cells))
    priorities = list(dict.fromkeys(cell.priority for cell in cells))
    weeks = stats.weekly_flow(period, tickets)
    target_rows = stats.targets(period, cells, now, tickets)
    by_state = _by_priority_and_state(in_month)
    return {
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
        "breaches": _breaches(in_month, now),
    }


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
    data = report_data(organization, month, now=now)
    with transaction.atomic():
        report, _created = SlaReport.objects.get_or_create(
            organization=organization, month=month, defaults={"data": data, "built_at": now}
        )
    return report
