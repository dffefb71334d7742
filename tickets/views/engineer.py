"""The engineer's actions on a ticket, and registering a ticket after a hotline call.

Like the customer's actions (tickets.views.actions), each is a POST that the service checks
again; a refusal re-renders the ticket with the text kept.
"""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import engineer_required
from accounts.models import User
from tickets import engineer_forms, services
from tickets.errors import TicketActionError
from tickets.forms import upload_limits_text
from tickets.views.actions import run_action
from tickets.views.pages import business_today


@require_POST
@engineer_required
def take(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=django_forms.Form,
        prefix="take",
        act=lambda ticket, form: services.ticket_take(actor=request.user, ticket=ticket),
        done=_("The ticket is yours now."),
    )


@require_POST
@engineer_required
def assign(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=engineer_forms.AssignForm,
        prefix="assign",
        act=lambda ticket, form: services.ticket_assign(
            actor=request.user, ticket=ticket, engineer=form.cleaned_data["engineer"]
        ),
        done=_("The ticket is assigned."),
    )


@require_POST
@engineer_required
def request_info(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=engineer_forms.InfoRequestForm,
        prefix="info",
        act=lambda ticket, form: services.ticket_request_info(
            actor=request.user, ticket=ticket, body=form.request_text()
        ),
        done=_("The request is sent; the resolution clock waits for the customer's answer."),
    )


@require_POST
@engineer_required
def resolve(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=engineer_forms.ResolveForm,
        prefix="resolve",
        act=lambda ticket, form: services.ticket_resolve(
            actor=request.user, ticket=ticket, result=form.cleaned_data["result"]
        ),
        done=_("The ticket is resolved; the customer is asked to confirm it."),
    )


@require_POST
@engineer_required
def handling_method(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=engineer_forms.HandlingMethodForm,
        prefix="method",
        act=lambda ticket, form: services.ticket_set_handling_method(
            actor=request.user, ticket=ticket, method=form.cleaned_data["method"]
        ),
        done=_("The handling method is recorded."),
    )


@require_POST
@engineer_required
def record_contact(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=engineer_forms.ContactForm,
        prefix="contact",
        act=lambda ticket, form: services.ticket_record_contact(
            actor=request.user,
            ticket=ticket,
            method=form.cleaned_data["method"],
            summary=form.cleaned_data["summary"],
        ),
        done=_("The session is recorded in the conversation."),
    )


@require_http_methods(["GET", "POST"])
@engineer_required
def hotline_new(request: HttpRequest) -> HttpResponse:
    """Register a ticket for a customer who called the hotline (channel `hotline`)."""
    form = engineer_forms.HotlineTicketForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            customer = _caller(form)
            try:
                if customer is None:
                    raise ValidationError({"customer_email": _caller_missing(form)})
                ticket = services.ticket_register(
                    actor=request.user, customer=customer, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except TicketActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Ticket %(number)s is registered for %(customer)s.")
                    % {"number": ticket.number, "customer": customer},
                )
                return redirect("tickets:detail", number=ticket.number)
    context = {
        "form": form,
        "priorities": form.fields["priority"].queryset,
        "upload_limits": upload_limits_text(),
        "today": business_today(),
    }
    return render(request, "tickets/hotline_new.html", context, status=status)


def _caller_missing(form: engineer_forms.HotlineTicketForm) -> str:
    if not (form.cleaned_data.get("customer_email") or "").strip():
        return _("Enter the e-mail of the customer who called.")
    return _("No active customer account has this e-mail.")


def _caller(form: engineer_forms.HotlineTicketForm) -> User | None:
    email = (form.cleaned_data.get("customer_email") or "").strip()
    if not email:
        return None
    return User.objects.filter(email__iexact=email, role=User.Role.CUSTOMER, is_active=True).first()
