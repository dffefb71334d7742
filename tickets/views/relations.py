"""Merging a duplicate and linking related tickets (issue 18): engineers' POSTs.

A refusal re-renders the ticket page with the message beside the number that was typed (kept);
a success redirects (POST/redirect/GET): a merge to the ticket the work goes on in.
"""

from collections.abc import Callable

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import engineer_required
from tickets import engineer_forms, selectors, services
from tickets.errors import TicketActionError
from tickets.models import Ticket
from tickets.views.pages import render_ticket


def _act_on_number(
    request: HttpRequest,
    number: str,
    *,
    form: django_forms.Form,
    field: str,
    act: Callable[[Ticket, Ticket], HttpResponse],
) -> HttpResponse:
    """Find the ticket whose number was typed in `form`'s `field` and `act` on the pair; a
    refusal (an unknown number included) re-renders the page with the form as it was sent."""
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    if form.is_valid():
        typed = form.cleaned_data[field]
        other = selectors.ticket_by_number_for_user(user=request.user, number=typed)
        if other is None:
            form.add_error(field, _("No ticket has the number %(number)s.") % {"number": typed})
        else:
            try:
                return act(ticket, other)
            except ValidationError as error:
                form.add_service_errors(error)  # type: ignore[attr-defined]
            except TicketActionError as error:
                form.add_error(None, error.message)
    fresh = selectors.ticket_for_user(user=request.user, number=number)
    return render_ticket(request, fresh, bound={form.prefix or "": form}, status=400)


@require_POST
@engineer_required
def merge(request: HttpRequest, number: str) -> HttpResponse:
    def act(ticket: Ticket, into: Ticket) -> HttpResponse:
        services.ticket_merge(actor=request.user, ticket=ticket, into=into)
        messages.success(
            request,
            _("%(number)s is merged into this ticket and closed; its customer is told.")
            % {"number": ticket.number},
        )
        return redirect("tickets:detail", number=into.number)

    form = engineer_forms.MergeForm(request.POST, prefix="merge")
    return _act_on_number(request, number, form=form, field="into", act=act)


@require_POST
@engineer_required
def link(request: HttpRequest, number: str) -> HttpResponse:
    def act(ticket: Ticket, other: Ticket) -> HttpResponse:
        services.ticket_link(actor=request.user, ticket=ticket, other=other)
        messages.success(
            request, _("%(number)s is linked as a related ticket.") % {"number": other.number}
        )
        return redirect("tickets:detail", number=ticket.number)

    form = engineer_forms.LinkForm(request.POST, prefix="link")
    return _act_on_number(request, number, form=form, field="number", act=act)


@require_POST
@engineer_required
def unlink(request: HttpRequest, number: str, other: str) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    related = selectors.ticket_by_number_for_user(user=request.user, number=other)
    if related is None:
        raise Http404("No such ticket")
    try:
        services.ticket_unlink(actor=request.user, ticket=ticket, other=related)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except TicketActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(number)s is no longer linked.") % {"number": related.number})
    return redirect("tickets:detail", number=ticket.number)
