"""The hotline page (engineers only): find the caller, then register a ticket for them or log
the call only; below, the log of recent calls.

The caller search works as a plain GET form; static/js/hotline.js only fetches the same
results fragment while the engineer types. Each write is a POST the service checks again; a
refusal re-renders the page with everything typed kept.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import engineer_required
from accounts.models import License, User
from sla.business_time import business_today
from tickets import hotline_selectors, selectors, services
from tickets.errors import TicketActionError
from tickets.forms import upload_limits_text
from tickets.hotline_forms import CallerSearchForm, HotlineLogForm, HotlineRegisterForm

LOG_PREFIX = "log"


@require_GET
@engineer_required
def hotline(request: HttpRequest) -> HttpResponse:
    caller = hotline_selectors.hotline_caller(pk=request.GET.get("caller"))
    return _page(request, caller=caller)


@require_http_methods(["GET", "POST"])
@engineer_required
def hotline_new(request: HttpRequest) -> HttpResponse:
    """Register a ticket for the caller (channel `hotline`) and log the call, together."""
    if request.method == "GET":
        return hotline(request)
    caller = hotline_selectors.hotline_caller(pk=request.POST.get("caller"))
    form = HotlineRegisterForm(
        request.POST, request.FILES, licenses=_hotline_licenses(caller), contacts=_contacts(caller)
    )
    if caller is None:  # deactivated since the search, or never chosen
        form.add_error("caller", _("Choose the customer who called."))
    elif form.is_valid():
        try:
            call = services.hotline_call_register(
                actor=request.user, caller=caller, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        except TicketActionError as error:
            form.add_error(None, error.message)
        else:
            assert call.ticket is not None  # noqa: S101 - the service registered it
            messages.success(
                request,
                _("Ticket %(number)s is registered for %(customer)s; the call is logged.")
                % {"number": call.ticket.number, "customer": caller},
            )
            return redirect("tickets:detail", number=call.ticket.number)
    return _page(request, caller=caller, register_form=form, status=400)


@require_POST
@engineer_required
def hotline_log(request: HttpRequest) -> HttpResponse:
    """Log a call that registered no ticket (advice, about a ticket, not eligible, other)."""
    caller = hotline_selectors.hotline_caller(pk=request.POST.get(f"{LOG_PREFIX}-caller"))
    form = HotlineLogForm(request.POST, prefix=LOG_PREFIX, licenses=_call_licenses(caller))
    if form.is_valid():
        data = form.cleaned_data
        ticket = selectors.ticket_by_number_for_user(user=request.user, number=data["ticket"])
        if data["ticket"].strip() and ticket is None:
            form.add_error(
                "ticket", _("No ticket has the number %(number)s.") % {"number": data["ticket"]}
            )
        else:
            try:
                services.hotline_call_log(
                    actor=request.user,
                    outcome=data["outcome"],
                    called_at=data["called_at"],
                    caller=caller,
                    caller_name="" if caller else data["caller_name"],
                    caller_phone=data["caller_phone"],
                    license=data["license"],
                    ticket=ticket,
                    notes=data["notes"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except TicketActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The call is logged."))
                return redirect("tickets:hotline")
    return _page(request, caller=caller, log_form=form, status=400)


@require_GET
@engineer_required
def hotline_callers(request: HttpRequest) -> HttpResponse:
    """The caller search's results as an HTML fragment (fetched by static/js/hotline.js)."""
    return render(request, "tickets/_hotline_callers.html", _search_context(request))


def _search_context(request: HttpRequest) -> dict[str, Any]:
    search = CallerSearchForm(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    return {
        "search": search,
        "query": query,
        "callers": hotline_selectors.caller_search(query=query) if query else [],
        "result_limit": hotline_selectors.CALLER_RESULTS,
    }


def _hotline_licenses(caller: User | None) -> Any:
    if caller is None:
        return License.objects.none()
    return hotline_selectors.caller_licenses(caller=caller, day=business_today())


def _contacts(caller: User | None) -> Any:
    return selectors.contacts_for(customer=caller) if caller is not None else User.objects.none()


def _call_licenses(caller: User | None) -> Any:
    if caller is None:
        return License.objects.none()
    return hotline_selectors.organization_licenses(caller=caller)


def _page(
    request: HttpRequest,
    *,
    caller: User | None,
    register_form: HotlineRegisterForm | None = None,
    log_form: HotlineLogForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {"caller": caller.pk if caller else None}
    if register_form is None and caller is not None:
        register_form = HotlineRegisterForm(
            licenses=_hotline_licenses(caller),
            contacts=_contacts(caller),
            initial={**initial, "contact_email": caller.email},
        )
    if log_form is None:
        log_form = HotlineLogForm(
            prefix=LOG_PREFIX, licenses=_call_licenses(caller), initial=initial
        )
    context = {
        **_search_context(request),
        "caller": caller,
        "register_form": register_form,
        "log_form": log_form,
        # A refused form is shown again whatever happened to the caller since: it keeps the text.
        "has_hotline": bool(
            register_form
            and (register_form.is_bound or register_form.fields["license"].queryset.exists())
        ),
        "priorities": HotlineRegisterForm.base_fields["priority"].queryset,
        "upload_limits": upload_limits_text(),
        "calls": hotline_selectors.recent_calls(),
    }
    return render(request, "tickets/hotline.html", context, status=status)
