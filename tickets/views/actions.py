"""What people do to a ticket: every state change is a POST, checked again by the service.

A refused action re-renders the ticket page with the person's text still in the form and a
message saying why; a successful one redirects (POST/redirect/GET).
"""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets import forms, selectors, services
from tickets.errors import ActionNotPermitted, TicketActionError
from tickets.models import Ticket
from tickets.views.pages import render_ticket


def run_action(
    request: HttpRequest,
    number: str,
    *,
    form_class: type[django_forms.Form],
    prefix: str,
    act: Callable[[Ticket, Any], object],
    done: str,
) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    form = form_class(request.POST, request.FILES, prefix=prefix)
    status = 400
    if form.is_valid():
        try:
            act(ticket, form)
        except ValidationError as error:
            form.add_service_errors(error)  # type: ignore[attr-defined]
        except TicketActionError as error:
            messages.error(request, error.message)
            status = 403 if isinstance(error, ActionNotPermitted) else 409
        else:
            messages.success(request, done)
            return redirect("tickets:detail", number=ticket.number)
    # Show the ticket as it is now, with what the person typed still in the form; if the
    # ticket moved on and that form is gone, the text is shown to copy (never lost).
    fresh = selectors.ticket_for_user(user=request.user, number=number)
    unsent = []
    if status != 400:
        for name in form.fields:
            value = form.data.get(form.add_prefix(name), "")
            if isinstance(value, str) and value.strip():
                unsent.append((form[name].label, value))
    return render_ticket(request, fresh, bound={prefix: form}, unsent=unsent, status=status)


@require_POST
@login_required
def reply(request: HttpRequest, number: str) -> HttpResponse:
    internal = request.POST.get("internal") == "1"
    return run_action(
        request,
        number,
        form_class=forms.MessageForm,
        prefix="reply",
        act=lambda ticket, form: services.message_post(
            actor=request.user,
            ticket=ticket,
            body=form.cleaned_data["body"],
            files=form.uploads,
            internal=internal,
        ),
        done=_("Internal note saved.") if internal else _("Your message was sent."),
    )


@require_POST
@login_required
def confirm(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=django_forms.Form,
        prefix="confirm",
        act=lambda ticket, form: services.ticket_confirm(actor=request.user, ticket=ticket),
        done=_("Thank you: the resolution is confirmed and the ticket is closed."),
    )


@require_POST
@login_required
def dispute(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=forms.DisputeForm,
        prefix="dispute",
        act=lambda ticket, form: services.ticket_dispute(
            actor=request.user, ticket=ticket, reason=form.cleaned_data["reason"]
        ),
        done=_("The resolution is disputed; the ticket went back to the engineers."),
    )


@require_POST
@login_required
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=forms.WithdrawForm,
        prefix="withdraw",
        act=lambda ticket, form: services.ticket_withdraw(
            actor=request.user, ticket=ticket, reason=form.cleaned_data["reason"]
        ),
        done=_("The ticket is withdrawn and closed."),
    )


@require_POST
@login_required
def priority_propose(request: HttpRequest, number: str) -> HttpResponse:
    return run_action(
        request,
        number,
        form_class=forms.PriorityProposalForm,
        prefix="proposal",
        act=lambda ticket, form: services.priority_change_propose(
            actor=request.user,
            ticket=ticket,
            to_priority=form.cleaned_data["to_priority"] or "",
            reason=form.cleaned_data["reason"],
        ),
        done=_("The priority change is proposed; it applies when the other side agrees."),
    )


@require_POST
@login_required
def priority_answer(request: HttpRequest, number: str, change_id: int) -> HttpResponse:
    accept = request.POST.get("decision") == "accept"

    def act(ticket: Ticket, form: Any) -> object:
        change = get_object_or_404(ticket.priority_changes, pk=change_id)
        return services.priority_change_answer(
            actor=request.user, change=change, accept=accept, note=form.cleaned_data["note"]
        )

    return run_action(
        request,
        number,
        form_class=forms.PriorityAnswerForm,
        prefix="answer",
        act=act,
        done=_("The new priority is accepted.") if accept else _("The proposal is declined."),
    )
