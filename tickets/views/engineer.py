"""The engineer's actions on a ticket (the hotline page is tickets.views.hotline).

Like the customer's actions (tickets.views.actions), each is a POST that the service checks
again; a refusal re-renders the ticket with the text kept.
"""

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access import engineer_required
from accounts.models import User
from tickets import engineer_forms, selectors, services
from tickets.errors import TicketActionError
from tickets.mentions import local_part
from tickets.services.to_article import ticket_to_article
from tickets.views.actions import run_action


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
            actor=request.user, ticket=ticket, **form.service_arguments()
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


@require_POST
@engineer_required
def to_article(request: HttpRequest, number: str) -> HttpResponse:
    """Turn the ticket's resolution into a draft article and open it for editing."""
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    try:
        article = ticket_to_article(actor=request.user, ticket=ticket)
    except TicketActionError as error:
        messages.error(request, error.message)
        return redirect("tickets:detail", number=ticket.number)
    messages.success(
        request, _("A draft article is made from the resolution: edit and publish it.")
    )
    return redirect("knowledge:edit", pk=article.pk)


@require_GET
@engineer_required
def mention_people(request: HttpRequest) -> JsonResponse:
    """The colleagues a note may @mention (static/js/mentions.js): active engineers, by name,
    each with the handle that names them (tickets.mentions). Engineers only: one query."""
    people = User.objects.engineers().values_list("first_name", "last_name", "email")
    return JsonResponse(
        {
            "people": [
                {"handle": local_part(email), "name": f"{first} {last}".strip() or email}
                for first, last, email in people
            ]
        }
    )
