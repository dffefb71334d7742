"""Agreeing a remote session or a phone consultation (tickets.services.sessions), through HTTP.

Each is a POST checked again by the service: an outsider gets 404 from the selectors, the
wrong side gets 403, and a refusal re-renders the ticket with what was typed still in place.
"""

from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets import selectors, services
from tickets.models import Ticket
from tickets.session_forms import SessionAnswerForm, SessionCounterForm, SessionProposalForm
from tickets.views.actions import run_action


@require_POST
@login_required
def session_propose(request: HttpRequest, number: str) -> HttpResponse:
    def act(ticket: Ticket, form: Any) -> object:
        data = form.cleaned_data
        return services.session_propose(
            actor=request.user,
            ticket=ticket,
            method=data["method"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            phone=data["phone"],
            note=data["note"],
        )

    return run_action(
        request,
        number,
        form_class=partial(SessionProposalForm, zone=request.user.time_zone),  # type: ignore[arg-type]
        prefix="session",
        act=act,
        done=_("The session is proposed; the customer is asked to accept it."),
    )


@require_POST
@login_required
def session_answer(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    accept = request.POST.get("decision") == "accept"

    def act(ticket: Ticket, form: Any) -> object:
        proposal = selectors.session_for_user(user=request.user, ticket=ticket, pk=pk)
        return services.session_answer(
            actor=request.user, proposal=proposal, accept=accept, note=form.cleaned_data["note"]
        )

    return run_action(
        request,
        number,
        form_class=SessionAnswerForm,
        prefix="session_answer",
        act=act,
        done=_("The session is agreed.") if accept else _("The session proposal is declined."),
    )


@require_POST
@login_required
def session_counter(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    def act(ticket: Ticket, form: Any) -> object:
        proposal = selectors.session_for_user(user=request.user, ticket=ticket, pk=pk)
        data = form.cleaned_data
        return services.session_counter(
            actor=request.user,
            proposal=proposal,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            note=data["note"],
        )

    return run_action(
        request,
        number,
        form_class=partial(SessionCounterForm, zone=request.user.time_zone),  # type: ignore[arg-type]
        prefix="session_counter",
        act=act,
        done=_("Another time is proposed; the other side is asked to accept it."),
    )
