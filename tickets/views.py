"""Ticket pages. Short: selector -> (form -> service) -> render or redirect."""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from tickets import selectors

# Types a browser may show inline are still sent as downloads; these are the only types we
# name, everything else is an opaque octet stream so nothing uploaded can run in our origin.
_SAFE_TYPES = {
    "text/plain",
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/zip",
    "application/gzip",
    "application/vnd.tcpdump.pcap",
}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("tickets:list")


@require_GET
@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    tickets = (
        selectors.tickets_visible_to(request.user)
        .select_related("organization", "priority", "assignee")
        .order_by("-registered_at")[:100]
    )
    return render(request, "tickets/list.html", {"tickets": tickets})


@require_GET
@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    context = {
        "ticket": ticket,
        "messages_list": selectors.messages_for_user(user=request.user, ticket=ticket),
        "events": selectors.events_for_user(user=request.user, ticket=ticket),
    }
    return render(request, "tickets/detail.html", context)


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_for_user(user=request.user, pk=pk)
    guessed = attachment.content_type or mimetypes.guess_type(attachment.name)[0] or ""
    content_type = guessed if guessed in _SAFE_TYPES else "application/octet-stream"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
