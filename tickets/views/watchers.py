"""Following a ticket, and adding colleagues to it (issue 15): POSTs that redirect back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets import selectors, services
from tickets.errors import TicketActionError


def _done(request: HttpRequest, number: str, act: object, success: str) -> HttpResponse:
    try:
        act()  # type: ignore[operator]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except TicketActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("tickets:detail", number=number)


@require_POST
@login_required
def follow(request: HttpRequest, number: str) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    return _done(
        request,
        number,
        lambda: services.ticket_follow(actor=request.user, ticket=ticket),
        _("You follow this ticket: its notifications come to you too."),
    )


@require_POST
@login_required
def unfollow(request: HttpRequest, number: str) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    return _done(
        request,
        number,
        lambda: services.ticket_unfollow(actor=request.user, ticket=ticket),
        _("You no longer follow this ticket."),
    )


@require_POST
@login_required
def watcher_add(request: HttpRequest, number: str) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    colleague = selectors.colleague_on_ticket(ticket=ticket, pk=request.POST.get("user", ""))
    if colleague is None:
        messages.error(request, _("Choose a colleague to add."))
        return redirect("tickets:detail", number=number)
    return _done(
        request,
        number,
        lambda: services.watcher_add(actor=request.user, ticket=ticket, user=colleague),
        _("%(person)s now follows this ticket.") % {"person": colleague},
    )


@require_POST
@login_required
def watcher_remove(request: HttpRequest, number: str, user_id: int) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    watcher = selectors.watcher_of(ticket=ticket, user_id=user_id)  # 404 if not watching
    return _done(
        request,
        number,
        lambda: services.watcher_remove(actor=request.user, ticket=ticket, user=watcher.user),
        _("%(person)s no longer follows this ticket.") % {"person": watcher.user},
    )
