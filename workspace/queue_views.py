"""The queue page, its rows for the auto-refresh, and the bulk take/assign of chosen tickets.

The page works without JavaScript; static/js/queue.js fetches `queue_rows` with the page's own
query string every QUEUE_REFRESH_SECONDS and swaps the table body in place.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import engineer_required
from accounts.models import User
from tickets import services
from workspace.queue import VIEWS, queue_for, queue_page
from workspace.queue_forms import Choices, QueueBulkForm, QueueFilterForm, engineer_choices
from workspace.queue_rows import ROW_VALUES, rows_for, total_text
from workspace.saved_views import normalized_query, saved_views_for

# The query parameters the queue page understands; a bulk action returns to the queue with
# these (and nothing else) from the page it was sent from.
QUEUE_PARAMS = (*QueueFilterForm.base_fields, "page")


def _queue_page(request: HttpRequest, people: Choices = ()) -> dict[str, Any]:
    """The filter form and the page of tickets it asks for (two queries: a count and a page)."""
    now = timezone.now()
    form = QueueFilterForm(request.GET, people=people)
    filters = form.filters()
    page = queue_page(
        queue_for(user=request.user, now=now, **filters),
        number=request.GET.get("page"),
        per_page=form.page_size(),
        q=filters["q"],
        values=ROW_VALUES,
    )
    # An organization's link keeps the other filters: the query without it and the page.
    others = request.GET.copy()
    for name in ("organization", "page"):
        others.pop(name, None)
    return {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows_for(
            page,
            now,
            tiers=dict(form.fields["tier"].choices),
            priorities=dict(form.fields["priority"].choices),
        ),
        "total_text": total_text(page.paginator),
        "organization_query": f"{others.urlencode()}&" if others else "",
    }


@require_GET
@engineer_required
def queue(request: HttpRequest) -> HttpResponse:
    people = engineer_choices()
    context = _queue_page(request, people)
    current = normalized_query(request.GET, form=context["form"])
    saved = [
        (pk, name, query, query == current) for pk, name, query in saved_views_for(request.user)
    ]
    context |= {
        "views": VIEWS.items(),
        "saved_views": saved,
        "saved_active": any(active for *_rest, active in saved),
        "bulk_form": QueueBulkForm(people=people),
        "query": request.GET.urlencode(),
        "refresh_seconds": settings.QUEUE_REFRESH_SECONDS,
    }
    return render(request, "workspace/queue.html", context)


@require_GET
@engineer_required
def queue_rows(request: HttpRequest) -> HttpResponse:
    """Only the table body of the queue page for the same query (data-total: the count)."""
    context = _queue_page(request)
    response = render(request, "workspace/_queue_rows.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@engineer_required
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Take or assign the chosen tickets through the services, each in its own transaction (a
    refusal stops none of the others), and say which were done and why each refused one was
    refused; then back to the queue as it was filtered."""
    form = QueueBulkForm(request.POST, people=engineer_choices())
    back = reverse("workspace:queue") + _queue_query(QueryDict(request.POST.get("query", "")))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    numbers, assign = form.cleaned_data["tickets"], form.cleaned_data["action"] == form.ASSIGN
    if assign:
        engineer = User.objects.get(pk=form.cleaned_data["engineer"])
        outcomes = services.tickets_bulk_assign(
            actor=request.user, numbers=numbers, engineer=engineer
        )
        text = _("Assigned to %(name)s: %(numbers)s.")
    else:
        engineer = request.user
        outcomes = services.tickets_bulk_take(actor=request.user, numbers=numbers)
        text = _("Taken into work: %(numbers)s.")
    for outcome in outcomes:
        if outcome.missing:
            messages.error(request, _("%(number)s: no such ticket.") % {"number": outcome.number})
        elif not outcome.done:
            reason = " ".join(outcome.reasons)
            messages.error(
                request,
                _("%(number)s was not changed: %(reason)s")
                % {"number": outcome.number, "reason": reason},
            )
    done = [outcome.number for outcome in outcomes if outcome.done]
    if done:
        messages.success(request, text % {"name": str(engineer), "numbers": ", ".join(done)})
    return redirect(back)


def _queue_query(params: QueryDict) -> str:
    """`?…` with the queue's own parameters from `params` (empty ones left out), or ""."""
    kept = QueryDict(mutable=True)
    for name in QUEUE_PARAMS:
        value = params.get(name, "")
        if value:
            kept[name] = value[:200]
    return f"?{kept.urlencode()}" if kept else ""
