"""The SLA calculator: "why was my ticket closed", for engineers and admins.

The form's events go through sla.explain.explain_timeline, the clock the tickets use; the page
shows what the engine derived and how the deadlines were counted (the ticket page's component).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from sla.models import Priority, Tier
from tickets.clock import EVENT_KINDS, TimelineError
from tickets.deadlines import TimelineReport, explain_timeline
from tickets.models import State
from workspace.calculator_forms import CalculatorForm


def engineer_or_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Engineers and admins (staff); customers get 403, anonymous visitors the login page."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_engineer or request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@engineer_or_admin_required
@require_http_methods(["GET", "POST"])
def sla_calculator(request: HttpRequest) -> HttpResponse:
    """GET shows the form with an example; POST shows the results (nothing is stored)."""
    report: TimelineReport | None = None
    form = CalculatorForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            report = explain_timeline(
                tier_id=form.cleaned_data["tier"].pk,
                priority_id=form.cleaned_data["priority"].pk,
                events=form.cleaned_data["events"],
            )
        except TimelineError as exc:
            form.add_timeline_error(exc)
    return render(
        request,
        "workspace/calculator.html",
        {
            "form": form,
            "report": report,
            "zone": form.cleaned_data["time_zone"] if report else "",
            "state_label": State(report.clock.state).label if report else "",
            # The report names the tier and priority by code; the reader sees their names.
            "tier_label": Tier.objects.get(pk=report.tier).label if report else "",
            "priority_label": Priority.objects.get(pk=report.priority).label if report else "",
            "event_kinds": EVENT_KINDS,
        },
    )
