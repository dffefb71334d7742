"""What people do to a ticket: every state change is a POST, checked again by the service.

Invalid input re-renders the ticket page with the errors beside the person's text. An action
the ticket's state or the person's role refuses, and a successful one, both redirect to the
ticket page (POST/redirect/GET, so a reload never sends the form again): the refusal as a
message, and the text that was not sent kept to copy (see keep_unsent).
"""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets import forms, selectors, services
from tickets.drafts import draft_done, draft_key
from tickets.errors import ChangedMeanwhile, TicketActionError
from tickets.mentions import handles_in
from tickets.models import Ticket
from tickets.services.seen import Seen, check_seen
from tickets.views.pages import UNSENT_KEY, render_ticket

# The transition each protected form runs (tickets/services/seen.py): when the ticket no longer
# allows it, the service's own refusal is shown instead of the list of changes.
TRANSITIONS = {"info": "request_info", "resolve": "resolve", "dispute": "dispute"}


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
    if form.is_valid():
        try:
            _act_on_what_was_seen(request, ticket, form, prefix=prefix, act=act)
        except ValidationError as error:
            form.add_service_errors(error)  # type: ignore[attr-defined]
        except ChangedMeanwhile as changed:
            fresh = selectors.ticket_for_user(user=request.user, number=number)
            return render_ticket(
                request, fresh, bound={prefix: form}, changes=changed.changes, status=409
            )
        except TicketActionError as error:
            messages.error(request, error.message)
            keep_unsent(request, ticket.number, form)
            return redirect("tickets:detail", number=ticket.number)
        else:
            messages.success(request, done)
            draft_done(request, draft_key(request.user, ticket.number, prefix))
            return redirect("tickets:detail", number=ticket.number)
    # Invalid input: the ticket as it is now, the errors beside what was typed.
    fresh = selectors.ticket_for_user(user=request.user, number=number)
    return render_ticket(request, fresh, bound={prefix: form}, status=400)


def _act_on_what_was_seen(
    request: HttpRequest,
    ticket: Ticket,
    form: django_forms.Form,
    *,
    prefix: str,
    act: Callable[[Ticket, Any], object],
) -> None:
    """Run the action; a form that says what its page showed ("seen") runs it only if nobody
    else changed the ticket since, checked under the ticket's row lock (ChangedMeanwhile)."""
    seen = Seen.parse(request.POST.get("seen"))
    with transaction.atomic():
        if seen is not None:
            check_seen(
                actor=request.user, ticket=ticket, seen=seen, transition=TRANSITIONS.get(prefix)
            )
        act(ticket, form)


def keep_unsent(request: HttpRequest, number: str, form: django_forms.Form) -> None:
    """Keep the text of a refused action for the next view of the ticket (never lost), and
    whether files were chosen (they cannot be kept across a redirect)."""
    texts = []
    for name in form.fields:
        value = form.data.get(form.add_prefix(name), "")
        if isinstance(value, str) and value.strip():
            texts.append((str(form[name].label), value))
    request.session[UNSENT_KEY % number] = {"texts": texts, "files_lost": bool(form.files)}


@require_POST
@login_required
def reply(request: HttpRequest, number: str) -> HttpResponse:
    internal = request.POST.get("internal") == "1"

    def post(ticket: Ticket, form: Any) -> None:
        message = services.message_post(
            actor=request.user,
            ticket=ticket,
            body=form.cleaned_data["body"],
            files=form.uploads,
            internal=internal,
        )
        if internal:  # an @name that is nobody's: say so, the note stays as written
            unknown = [h for h in handles_in(message.body) if h not in message.mentions]
            if unknown:
                names = ", ".join(f"@{handle}" for handle in unknown)
                messages.warning(
                    request,
                    _("Nobody was told of %(names)s: no active engineer has that name.")
                    % {"names": names},
                )

    return run_action(
        request,
        number,
        form_class=forms.MessageForm,
        prefix="reply",
        act=post,
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
            actor=request.user,
            ticket=ticket,
            reason=form.cleaned_data["reason"],
            files=form.cleaned_data.get("files") or [],
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
