"""The service-level dashboard: the period's flow and targets, and the queue as it is now.

The figures come from workspace.dashboard (their definitions are in its docstring), the bars
from workspace.charts; this module only puts them side by side with their labels.
"""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from accounts.access import engineer_required
from sla.business_time import business_zone
from workspace import charts, feedback
from workspace import dashboard as stats
from workspace import dashboard_snapshot as snapshot
from workspace.dashboard_forms import PeriodForm
from workspace.urgency import Urgency

# Short words that mean something else elsewhere in the portal ("Closed" is a ticket's state,
# "Pending" an e-mail's) get their own context, so each can be translated for what it counts.
OPENED = charts.Series("opened", pgettext_lazy("dashboard", "Opened"))
CLOSED = charts.Series("closed", pgettext_lazy("dashboard", "Closed"))
MET = charts.Series("met", pgettext_lazy("dashboard", "Met"))
MISSED = charts.Series("missed", pgettext_lazy("dashboard", "Missed"))
PENDING = charts.Series("pending", pgettext_lazy("dashboard", "Pending"))
BREACHED = charts.Series("breached", Urgency.BREACHED.label)
AT_RISK = charts.Series("at_risk", Urgency.AT_RISK.label)
VENDOR_MOVE = charts.Series("vendor", _("Vendor's move"))
CUSTOMER_MOVE = charts.Series("customer", _("Waiting on the customer"))


def _cell_label(cell: stats.Cell) -> str:
    return f"{cell.tier.label} · {cell.priority.label}"


def flow_chart(weeks: Sequence[stats.Week]) -> charts.Chart:
    return charts.column_chart(
        dom_id="chart-flow",
        title=_("Tickets opened and closed per week"),
        description=_(
            "Two bars per week, starting on Monday: tickets opened and tickets closed. "
            "The table beside the chart gives the numbers."
        ),
        categories=[date_format(week.monday, "SHORT_DATE_FORMAT") for week in weeks],
        names=[
            _("Week of %(monday)s") % {"monday": date_format(week.monday, "SHORT_DATE_FORMAT")}
            for week in weeks
        ],
        series=[OPENED, CLOSED],
        values=[(week.opened, week.closed) for week in weeks],
    )


def targets_by_kind(rows: Sequence[stats.TargetRow], kind: str, title: str) -> dict[str, Any]:
    """One of the two targets (reaction, resolution): its chart, table rows and total.

    Also the monthly SLA report's (reports.presentation), from the figures it stored."""
    outcomes = [getattr(row, kind) for row in rows]
    chart = charts.bar_chart(
        dom_id=f"chart-{kind}",
        title=title,
        description=_(
            "One bar per support tier and priority, of the tickets registered in the period: "
            "targets met, missed and pending. The table beside the chart gives the numbers."
        ),
        categories=[_cell_label(row.cell) for row in rows],
        series=[MET, MISSED, PENDING],
        values=[(one.met, one.missed, one.pending) for one in outcomes],
    )
    return {
        "key": kind,
        "title": title,
        "chart": chart,
        "rows": [
            {"cell": row.cell, "outcome": one} for row, one in zip(rows, outcomes, strict=True)
        ],
        "total": sum(outcomes, stats.Outcome()),
    }


def _urgency_chart(rows: Sequence[stats.UrgencyRow]) -> charts.Chart:
    return charts.bar_chart(
        dom_id="chart-urgency",
        title=_("Breached and at-risk tickets now"),
        description=_(
            "One bar per support tier and priority: open tickets past their deadline, and "
            "those with four fifths of the time gone. The table beside the chart gives the "
            "numbers."
        ),
        categories=[_cell_label(row.cell) for row in rows],
        series=[BREACHED, AT_RISK],
        values=[(row.breached, row.at_risk) for row in rows],
    )


def _load_chart(team: stats.TeamLoad) -> charts.Chart:
    rows = [(str(row.engineer), row.load) for row in team.engineers]
    rows.append((str(_("Unassigned")), team.unassigned))
    return charts.bar_chart(
        dom_id="chart-load",
        title=_("Open tickets per engineer"),
        description=_(
            "One bar per engineer, and one for the unassigned tickets: those where the vendor "
            "has the move, and those waiting on the customer. The table beside the chart gives "
            "the numbers."
        ),
        categories=[name for name, _load in rows],
        series=[VENDOR_MOVE, CUSTOMER_MOVE],
        values=[(load.vendor_move, load.customer_move) for _name, load in rows],
    )


@require_GET
@engineer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    zone = business_zone()
    form = PeriodForm(request.GET, today=timezone.localdate(now, zone))
    current = snapshot.now_figures(now)
    urgency, team = current.urgency, current.team
    context: dict[str, Any] = {
        "form": form,
        "now": now,
        "as_of": current.computed_at,
        # The rendered figures are kept as long as the figures, per language and time zone.
        "now_key": current.computed_at.isoformat(),
        "view_key": f"{translation.get_language()}:{timezone.get_current_timezone_name()}",
        "fresh_for": int(snapshot.FRESH_FOR.total_seconds()),
        "business_zone": str(zone),
        "urgency": urgency,
        # Charts are built only when their section is rendered, not when it comes from the
        # cache: the template calls a callable it is given.
        "urgency_chart": lambda: _urgency_chart(urgency),
        "urgency_total": {
            "breached": sum(row.breached for row in urgency),
            "at_risk": sum(row.at_risk for row in urgency),
            "open": sum(row.open for row in urgency),
        },
        "worst": current.worst,
        "worst_limit": stats.WORST_LIMIT,
        "team": team,
        "load_chart": lambda: _load_chart(team),
    }
    if not form.is_valid():
        return render(request, "workspace/dashboard.html", context, status=400)
    period = form.period(zone)
    figures = snapshot.period_figures(period, now)
    weeks, targets = figures.weeks, figures.targets
    context.update(
        period=period,
        as_of=min(current.computed_at, figures.computed_at),
        period_key=f"{period.start}:{period.end}:{figures.computed_at.isoformat()}",
        weeks=weeks,
        flow_chart=lambda: flow_chart(weeks),
        flow_total={
            "opened": sum(week.opened for week in weeks),
            "closed": sum(week.closed for week in weeks),
        },
        targets_by_kind=lambda: [
            targets_by_kind(targets, "reaction", _("Reaction targets met and missed")),
            targets_by_kind(targets, "resolution", _("Resolution targets met and missed")),
        ],
        csat=(csat := feedback.csat(period, stats.sla_cells())),  # live: a few indexed rows
        csat_tables=[
            (_("By support tier"), csat["by_tier"]),
            (_("By priority"), csat["by_priority"]),
            (_("By engineer"), csat["by_engineer"]),
            (_("By week"), csat["by_week"]),
        ],
        deflections=figures.deflections,
    )
    return render(request, "workspace/dashboard.html", context)
