"""A stored SLA report put into words and charts in the active language (page, PDF, CSV).

Nothing here reads the database: everything comes from `SlaReport.data` (reports.build). The
charts are the dashboard's (workspace.dashboard_views, drawn by workspace.charts) from the
stored figures; the deadline explanations are sla.explain's.
"""

import dataclasses
import datetime
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reports.models import SlaReport
from sla.explain import DeadlineExplanation, SpecialDay
from sla.models import Priority, Tier
from tickets.durations import DurationWords
from tickets.models import State
from workspace import dashboard as stats
from workspace import dashboard_views


def _in_language(names: dict[str, str]) -> str:
    return names["ru"] if (get_language() or "ru").startswith("ru") else names["en"]


def _moment(text: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(text) if text else None


@dataclasses.dataclass(frozen=True)
class Breach:
    number: str
    subject: str
    tier: str
    priority: str
    kind: str  # reaction | resolution
    kind_label: str
    registered_at: datetime.datetime | None
    due: datetime.datetime | None
    done_at: datetime.datetime | None
    late: str  # "2 h 15 min", or that it did not come by the report's time
    explanation: DeadlineExplanation | None
    calendar: str
    moved_by_pauses: bool


def _explanation(
    stored: dict[str, Any] | None,
    calendar: dict[str, Any] | None,
    start: datetime.datetime | None,
    due: datetime.datetime | None,
) -> DeadlineExplanation | None:
    if not stored or not calendar or start is None or due is None:
        return None
    return DeadlineExplanation(
        start=start,
        due=due,
        amount=stored["amount"],
        unit=stored["unit"],
        calendar=_in_language(calendar),
        time_zone=calendar["time_zone"],
        always_open=calendar["always_open"],
        special_days=tuple(
            SpecialDay(datetime.date.fromisoformat(day), kind, reason)
            for day, kind, reason in stored["special_days"]
        ),
    )


class BreachWords:
    """Stored breaches put into words: the explanations were computed when the report was
    built (reports.build), so a row costs some string formatting and no calendar work."""

    def __init__(self, data: dict[str, Any], tiers: dict, priorities: dict) -> None:
        self.words = DurationWords()
        self.calendars = data.get("calendars", {})
        self.tiers, self.priorities = tiers, priorities
        self.kinds = {"reaction": _("Reaction"), "resolution": _("Resolution")}
        as_of = _moment(data["as_of"])
        self.as_of = (
            date_format(timezone.localtime(as_of), "SHORT_DATETIME_FORMAT") if as_of else ""
        )

    def _label(self, names: dict, code: str) -> str:
        return names[code].label if code in names else code

    def _late(self, row: dict[str, Any]) -> str:
        late = self.words.duration(row["late_seconds"])
        if row["done_at"]:
            return late
        return _("not yet by %(time)s, %(late)s after the deadline") % {
            "time": self.as_of,
            "late": late,
        }

    def breach(self, row: dict[str, Any]) -> Breach:
        due, registered = _moment(row["due"]), _moment(row["registered_at"])
        stored = row["explanation"]
        calendar = self.calendars.get(stored["calendar"]) if stored else None
        return Breach(
            number=row["number"],
            subject=row["subject"],
            tier=self._label(self.tiers, row["tier"]),
            priority=self._label(self.priorities, row["priority"]),
            kind=row["kind"],
            kind_label=self.kinds[row["kind"]],
            registered_at=registered,
            due=due,
            done_at=_moment(row["done_at"]),
            late=self._late(row) if due else "",
            explanation=_explanation(stored, calendar, registered, due),
            calendar=_in_language(calendar) if calendar else "",
            moved_by_pauses=bool(stored and stored["moved_by_pauses"]),
        )


def _outcome(stored: dict[str, Any]) -> stats.Outcome:
    return stats.Outcome(met=stored["met"], missed=stored["missed"], pending=stored["pending"])


def _names(data: dict[str, Any]) -> tuple[dict[str, Tier], dict[str, Priority]]:
    labels = data["labels"]
    tiers = {
        t["code"]: Tier(code=t["code"], name=t["en"], name_ru=t["ru"]) for t in labels["tiers"]
    }
    priorities = {
        p["code"]: Priority(code=p["code"], name=p["en"], name_ru=p["ru"])
        for p in labels["priorities"]
    }
    return tiers, priorities


def all_breaches(report: SlaReport) -> Iterator[Breach]:
    """Every breach of the report in words, the most overdue first (the CSV)."""
    tiers, priorities = _names(report.data)
    words = BreachWords(report.data, tiers, priorities)
    return (words.breach(row) for row in report.breaches)


def _breach_context(data: dict[str, Any], tiers: dict, priorities: dict) -> dict[str, Any]:
    words = BreachWords(data, tiers, priorities)
    shown = [words.breach(row) for row in data["breaches"]]
    return {
        "breaches": shown,
        "breach_count": data["breach_count"],
        "more_breaches": data["breach_count"] - len(shown),
        "breach_summary": [
            {
                "priority": priorities.get(row["priority"], row["priority"]),
                "reaction": row["reaction"],
                "resolution": row["resolution"],
            }
            for row in data["breach_summary"]
            if row["reaction"] or row["resolution"]
        ],
    }


def _state_context(data: dict[str, Any], priorities: dict[str, Priority]) -> dict[str, Any]:
    states = [State(code) for code in data["labels"]["states"] if code in State.values]
    by_state = data["by_priority_state"]
    state_rows = []
    for code, priority in priorities.items():
        counts = [by_state.get(code, {}).get(state.value, 0) for state in states]
        state_rows.append({"priority": priority, "counts": counts, "total": sum(counts)})
    return {
        "states": states,
        "state_rows": state_rows,
        "state_totals": [sum(row["counts"][i] for row in state_rows) for i in range(len(states))],
    }


def present(report: SlaReport) -> dict[str, Any]:
    """The template context of a report: tables, charts and the first breaches, in the active
    language (reads `data` only: the page and the PDF defer `SlaReport.breaches`)."""
    data = report.data
    tiers, priorities = _names(data)
    per_priority = [
        {
            "priority": priorities.get(row["priority"], row["priority"]),
            "reaction": row["reaction"],
            "resolution": row["resolution"],
            "outcomes": [row["reaction"], row["resolution"]],
        }
        for row in data["targets_by_priority"]
    ]
    weeks = [
        stats.Week(
            monday=datetime.date.fromisoformat(week["monday"]),
            first_day=datetime.date.fromisoformat(week["first_day"]),
            last_day=datetime.date.fromisoformat(week["last_day"]),
            opened=week["opened"],
            closed=week["closed"],
        )
        for week in data["weeks"]
    ]
    cells = [
        stats.TargetRow(
            cell=stats.Cell(tiers[row["tier"]], priorities[row["priority"]]),
            reaction=_outcome(row["reaction"]),
            resolution=_outcome(row["resolution"]),
        )
        for row in data["targets_by_cell"]
        if row["tier"] in tiers and row["priority"] in priorities
    ]
    return {
        "report": report,
        "data": data,
        "month": report.month,
        "as_of": _moment(data["as_of"]),
        **_state_context(data, priorities),
        "total": data["total"],
        "per_priority": per_priority,
        "weeks": weeks,
        "flow_chart": dashboard_views.flow_chart(weeks),
        "flow_total": {
            "opened": sum(week.opened for week in weeks),
            "closed": sum(week.closed for week in weeks),
        },
        "targets_by_kind": [
            dashboard_views.targets_by_kind(
                cells, "reaction", _("Reaction targets met and missed")
            ),
            dashboard_views.targets_by_kind(
                cells, "resolution", _("Resolution targets met and missed")
            ),
        ],
        **_breach_context(data, tiers, priorities),
    }
