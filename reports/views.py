"""The monthly SLA reports on the portal: the months of an organization, a report, its PDF
and CSV. Who may read what is reports.selectors' (404 for anyone else)."""

import csv
import datetime
import re
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Organization
from reports import selectors
from reports.build import month_start, sla_report_build
from reports.models import SlaReport
from reports.presentation import Breach, all_breaches, present
from sla.business_time import business_today

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
SEARCH_LIMIT = 50


def parse_month(text: str) -> datetime.date | None:
    """The first day of a finished month written YYYY-MM; None for anything else."""
    match = MONTH.match(text or "")
    if not match:
        return None
    try:
        month = datetime.date(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return month if month < month_start(business_today()) else None


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Engineers and admins find an organization; an organization admin goes to their own."""
    user = request.user
    if not selectors.reads_any_organization(user):
        organization = selectors.organization_for_reports(
            user=user, organization_id=user.organization_id or 0
        )
        return redirect("reports:months", organization.pk)
    query = request.GET.get("q", "").strip()[:200]
    organizations = Organization.objects.order_by("name")
    if query:
        organizations = organizations.filter(name__icontains=query)
    found = list(organizations.annotate(report_count=Count("sla_reports"))[: SEARCH_LIMIT + 1])
    return render(
        request,
        "reports/index.html",
        {
            "query": query,
            "organizations": found[:SEARCH_LIMIT],
            "more": len(found) > SEARCH_LIMIT,
            "limit": SEARCH_LIMIT,
        },
    )


@require_GET
@login_required
def months(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = selectors.organization_for_reports(
        user=request.user, organization_id=organization_id
    )
    may_build = selectors.reads_any_organization(request.user)
    error = ""
    if may_build and "month" in request.GET:
        month = parse_month(request.GET["month"])
        if month is not None:
            return redirect("reports:detail", organization.pk, f"{month:%Y-%m}")
        error = _("Choose a month that has ended, e.g. %(example)s.") % {
            "example": f"{month_start(business_today()) - datetime.timedelta(days=1):%Y-%m}"
        }
    return render(
        request,
        "reports/months.html",
        {
            "organization": organization,
            "reports": list(selectors.reports_of(organization)),
            "may_build": may_build,
            "month_error": error,
            "month_value": request.GET.get("month", ""),
            "last_month": f"{month_start(business_today()) - datetime.timedelta(days=1):%Y-%m}",
        },
        status=400 if error else 200,
    )


def _report(
    request: HttpRequest, organization_id: int, month_text: str, *, all_breaches: bool = False
) -> SlaReport:
    organization = selectors.organization_for_reports(
        user=request.user, organization_id=organization_id
    )
    month = parse_month(month_text)
    if month is None:
        raise Http404("No such month")
    report = selectors.stored_report(
        organization=organization, month=month, with_all_breaches=all_breaches
    )
    if report is None and selectors.reads_any_organization(request.user):
        # Engineers and admins open any month: it is built now and kept (a cache fill, the
        # same figures the beat would store; it changes nothing else).
        report = sla_report_build(organization=organization, month=month, now=timezone.now())
    if report is None:
        raise Http404("No such report")
    report.organization = organization
    return report


@require_GET
@login_required
def detail(request: HttpRequest, organization_id: int, month: str) -> HttpResponse:
    report = _report(request, int(organization_id), month)
    context = present(report)
    context["link_tickets"] = True
    return render(request, "reports/detail.html", context)


def _file_name(report: SlaReport, extension: str) -> str:
    return f"sla-report-{report.organization_id}-{report.month:%Y-%m}.{extension}"


@require_GET
@login_required
def pdf(request: HttpRequest, organization_id: int, month: str) -> HttpResponse:
    from reports.pdf import render_pdf  # WeasyPrint loads Pango: only when a PDF is asked for

    report = _report(request, int(organization_id), month)
    context = present(report)
    html = render_to_string("reports/pdf.html", context, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "pdf")}"'
    return response


@require_GET
@login_required
def csv_file(request: HttpRequest, organization_id: int, month: str) -> HttpResponse:
    report = _report(request, int(organization_id), month, all_breaches=True)
    context = present(report)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "csv")}"'
    response.write("\ufeff")  # spreadsheets read the BOM as "this is UTF-8"
    write_csv(csv.writer(response), context)
    return response


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def write_csv(writer: "csv._writer", context: dict) -> None:
    """The report as one CSV: its sections one after another, each with its header row;
    every breach, the most overdue first, with its explanation."""
    report: SlaReport = context["report"]
    writer.writerow([_("Organization"), report.data["organization"]])
    writer.writerow([_("Month"), f"{report.month:%Y-%m}"])
    writer.writerow([_("Tickets registered"), context["total"]])
    writer.writerow([])
    writer.writerow([_("Priority"), *[state.label for state in context["states"]], _("Total")])
    for row in context["state_rows"]:
        writer.writerow([row["priority"].label, *row["counts"], row["total"]])
    writer.writerow([])
    writer.writerow(
        [
            _("Priority"),
            _("Reaction: met"),
            _("Reaction: missed"),
            _("Reaction: pending"),
            _("Reaction: met, %"),
            _("Resolution: met"),
            _("Resolution: missed"),
            _("Resolution: pending"),
            _("Resolution: met, %"),
        ]
    )
    for row in context["per_priority"]:
        cells = [str(row["priority"])]
        for kind in ("reaction", "resolution"):
            outcome = row[kind]
            cells += [
                outcome["met"],
                outcome["missed"],
                outcome["pending"],
                _percent(outcome["percent"]),
            ]
        writer.writerow(cells)
    _write_breaches(writer, all_breaches(report))


def _write_breaches(writer: "csv._writer", breaches: Iterable[Breach]) -> None:
    writer.writerow([])
    writer.writerow(
        [
            _("Ticket"),
            _("Subject"),
            _("Support tier"),
            _("Priority"),
            _("Target missed"),
            _("Target"),
            _("Calendar"),
            _("Due"),
            _("Done"),
            _("Late by"),
            _("Days the calendar skipped or shortened"),
            _("Deadline moved by waiting on the customer"),
        ]
    )
    yes = _("Yes")
    for breach in breaches:
        explanation = breach.explanation
        writer.writerow(
            [
                breach.number,
                breach.subject,
                breach.tier,
                breach.priority,
                breach.kind_label,
                explanation.target_text if explanation else "",
                breach.calendar,
                breach.due.isoformat() if breach.due else "",
                breach.done_at.isoformat() if breach.done_at else "",
                breach.late,
                "; ".join(f"{day.day.isoformat()} {day.label}" for day in explanation.special_days)
                if explanation
                else "",
                yes if breach.moved_by_pauses else "",
            ]
        )
