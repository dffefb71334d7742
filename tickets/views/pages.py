"""The pages people read: lists, the new-ticket form, the ticket itself, downloads."""

import functools
import mimetypes
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods

from knowledge import selectors as knowledge_selectors
from sla.business_time import business_today
from sla.explain import explain_deadlines
from tickets import engineer_forms, forms, selectors, services, session_forms
from tickets.deadlines import silence_explanation
from tickets.drafts import draft_done, draft_key
from tickets.errors import TicketActionError
from tickets.models import Attachment, Message, State, TicketRating
from tickets.notifications import read_ticket_and_count_unread
from tickets.paging import COUNT_UP_TO, CappedPaginator, count_limit
from tickets.rating_links import SCORES
from tickets.services.rating import may_be_rated
from tickets.services.seen import Seen

PAGE_SIZE = 25
# The session key of a refused action's text, shown once on the next view of the ticket.
UNSENT_KEY = "unsent:%s"

# Types a browser may show inline are still sent as downloads; these are the only types we
# name, everything else is an opaque octet stream so nothing uploaded can run in our origin.
_SAFE_TYPES = {
    "text/plain",
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "application/zip",
    "application/gzip",
    "application/vnd.tcpdump.pcap",
}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_engineer:
        return redirect("workspace:queue")
    return redirect("tickets:list")


@require_GET
@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    state, query, mine = list_filters(request)
    tickets = selectors.ticket_list_for_user(
        user=request.user, state=state, query=query, mine=mine, related=("customer",)
    )
    number = request.GET.get("page")
    up_to = count_limit(
        searching=bool(query.strip()), page=number, per_page=PAGE_SIZE, up_to=COUNT_UP_TO
    )
    paginator = CappedPaginator(tickets, PAGE_SIZE, counted=tickets, count_up_to=up_to)
    page = paginator.get_page(number)
    context = {
        "page": page,
        "state": state,
        "query": query,
        "mine": mine,
        "states": State.choices,
        "hotlines": selectors.hotlines_for(user=request.user, day=business_today()),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "tickets/list.html", context)


def list_filters(request: HttpRequest) -> tuple[str, str, bool]:
    """The ticket list's filters from the query string: state, search, "filed by me"."""
    state = request.GET.get("state", "")
    if state not in {"", "open", *State.values}:
        state = ""
    query = request.GET.get("q", "")[:200]
    mine = request.user.is_customer and request.GET.get("mine") == "1"
    return state, query, mine


@require_http_methods(["GET", "POST"])
@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    contacts = selectors.contacts_for(customer=request.user)
    if request.method == "POST":
        form = forms.TicketForm(request.POST, request.FILES, contacts=contacts)
        if form.is_valid():
            try:
                ticket = services.ticket_register(actor=request.user, **form.service_arguments())
            except ValidationError as error:
                form.add_service_errors(error)
            except TicketActionError as error:
                form.add_error(None, error.message)
            else:
                draft_done(request, draft_key(request.user, "new", "ticket"))
                return redirect("tickets:registered", number=ticket.number)
        status = 400
    else:
        form = forms.TicketForm(initial={"contact_email": request.user.email}, contacts=contacts)
        status = 200
    context = {
        "form": form,
        "licenses": selectors.filing_licenses_for(user=request.user, day=business_today()),
        "priorities": form.fields["priority"].queryset,
        "upload_limits": forms.upload_limits_text(),
        "hotlines": selectors.hotlines_for(user=request.user, day=business_today()),
        "checklists": knowledge_selectors.checklists(),
        "suggestions_panel": True,
    }
    return render(request, "tickets/new.html", context, status=status)


@require_GET
@login_required
def ticket_registered(request: HttpRequest, number: str) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    return render(request, "tickets/registered.html", {"ticket": ticket})


def render_ticket(
    request: HttpRequest,
    ticket: Any,
    *,
    bound: dict[str, Any] | None = None,
    unsent: list[tuple[str, str]] | None = None,
    files_lost: bool = False,
    changes: Sequence[Any] = (),
    status: int = 200,
    unread: int | None = None,
) -> HttpResponse:
    """The ticket page, with any forms a failed action left filled in (`bound`), the text of
    a refused action whose form is gone (`unsent`), what others changed meanwhile (`changes`)."""
    user = request.user
    bound = bound or {}
    related = selectors.related_tickets_for_user(user=user, ticket=ticket)
    read = selectors.conversation_for_user(
        user=user, ticket=ticket, merged_from=related.merged_from
    )
    conversation = read.messages
    agreements = selectors.agreements_of(ticket=ticket)
    is_engineer = user.is_engineer or user.is_staff
    events = selectors.events_for_user(user=user, ticket=ticket)
    context = {
        **_watching(user, ticket, is_engineer=is_engineer),
        "ticket": ticket,
        # What this person may do now, as the state machine says (the templates ask it).
        "actions": {t.name for t in ticket.get_available_user_state_transitions(user)},
        "now": timezone.now(),
        "conversation": conversation,
        "timeline": selectors.timeline_for_user(
            user=user, messages=conversation, agreements=agreements
        ),
        "silence": silence_explanation(ticket),
        "filed_attachments": read.filed_attachments,
        "images": _inline_images(read),
        "related": related,
        "merged_conversations": read.merged,
        **_histories(ticket, events, is_engineer, priorities=agreements.priority_labels),
        # What this page shows, for the writing forms to send back (no query of its own).
        **{"seen": str(Seen.of(conversation, events)), "changes": changes},
        **_rating(ticket, user),
        "explanation": _explanation(ticket),
        "pending_change": agreements.pending_change,
        **_awaited_answers(ticket, conversation),
        "hotlines": _hotlines(ticket, user),
        "upload_limits": forms.upload_limits_text(),
        **_conversation_forms(bound),
        **(_engineer_forms(ticket, bound) if user.is_engineer else {}),
        **session_forms.session_panel(user=user, ticket=ticket, agreements=agreements, bound=bound),
        # The forms a refused action left filled in, by prefix: their parts are drawn with the
        # page, never kept (templatetags/engineer_panels.py).
        "refused_forms": frozenset(bound),
        "files_lost": files_lost or any(form.files for form in bound.values()),
        "unsent": unsent or [],
        # Counted by ticket_detail already; otherwise the context processor counts.
        **({"unread_notifications": unread} if unread is not None else {}),
    }
    return render(request, "tickets/detail.html", context, status=status)


def _hotlines(ticket: Any, user: Any) -> Sequence[Any]:
    """The hotline numbers for an Extended tier's customer (read with the ticket)."""
    if not (user.is_customer and ticket.tier.extended):
        return ()
    return selectors.hotlines_of(ticket=ticket, user=user, day=business_today())


def _awaited_answers(ticket: Any, conversation: Sequence[Any]) -> dict[str, Any]:
    """The request or the resolution the customer is to answer now, if any."""
    return {
        "info_request": _last(conversation, Message.Kind.INFO_REQUEST)
        if ticket.state == State.AWAITING_CUSTOMER
        else None,
        "resolution": _last(conversation, Message.Kind.RESOLUTION)
        if ticket.state == State.RESOLVED
        else None,
    }


def _explanation(ticket: Any) -> Any:
    # From the targets each process keeps (accounts/reference.py): no query.
    return explain_deadlines(
        tier_id=ticket.tier_id, priority_id=ticket.priority_id, registered=ticket.registered_at
    )


def _watching(user: Any, ticket: Any, *, is_engineer: bool) -> dict[str, Any]:
    """Who follows the ticket, whether the reader does, and (for the organization's people)
    the colleagues they may add: one query for the watchers, one for the colleagues; for
    engineers the contact person, whose phone serves a phone consultation (issue 15)."""
    watchers = selectors.watchers_of(ticket=ticket)
    watching = {watcher.user_id for watcher in watchers}
    addable: list[Any] = []
    if user.is_customer and ticket.is_open:
        addable = [
            person
            for person in selectors.colleagues_of(ticket=ticket, customer=user)
            if person.pk not in watching and person.pk != ticket.customer_id
        ]
    return {
        "watchers": watchers,
        "is_watching": user.pk in watching,
        "may_follow": user.is_customer or user.is_engineer,
        "addable_colleagues": addable,
        "contact_person": selectors.contact_person(ticket=ticket) if is_engineer else None,
    }


def _histories(
    ticket: Any, events: list[Any], is_engineer: bool, *, priorities: dict[str, str]
) -> dict[str, Any]:
    """The audit for engineers; the customer's readable timeline for the customer's side."""
    if is_engineer:
        # Described and drawn by {% history_lines %}, which keeps the lines.
        return {"events": events, "history_priorities": priorities, "customer_events": None}
    # The customer's readable history: {% customer_history_lines %}, kept the same way.
    return {"events": (), "history_priorities": priorities, "customer_events": events}


def _rating(ticket: Any, user: Any) -> dict[str, Any]:
    """The satisfaction panel of a closed ticket: its rating, or the form to give it."""
    if ticket.state != State.CLOSED:
        return {}
    rating = TicketRating.objects.filter(ticket=ticket).first()
    return {
        "rating": rating,
        "may_rate": rating is None and user.is_customer and may_be_rated(ticket),
        "scores": SCORES,
    }


def _inline_images(read: selectors.Conversation) -> dict[str, str]:
    """File name -> download address of the images among the attachments this person sees:
    what Markdown in the conversation may show (`![screenshot](name.png)`); the ticket's own
    first, then those of the duplicates merged into it."""
    images: dict[str, str] = {}
    files: list[Attachment] = []
    for part in (read, *read.merged):
        files.extend(part.filed_attachments)
        files.extend(f for message in part.messages for f in getattr(message, "files", ()))
    for attachment in files:
        if attachment.is_inline_image:
            images.setdefault(attachment.name, reverse("tickets:attachment", args=[attachment.pk]))
    return images


def _engineer_forms(ticket: Any, bound: dict[str, Any]) -> dict[str, Any]:
    """The engineer's forms, each built only if the page draws it: the parts that show most
    of them are kept (templatetags/engineer_panels.py), and building the seven cost ~1 ms,
    which the one form drawn each time (the related tickets' link) used to pay for all."""
    return {
        name: SimpleLazyObject(functools.partial(build, ticket, bound))
        for name, build in engineer_forms.BUILDERS.items()
    }


CONVERSATION_FORMS = {
    "reply": forms.MessageForm,
    "dispute": forms.DisputeForm,
    "withdraw": forms.WithdrawForm,
    "proposal": forms.PriorityProposalForm,
    "answer": forms.PriorityAnswerForm,
}


def _conversation_forms(bound: dict[str, Any]) -> dict[str, Any]:
    """Both sides' forms: each filled from a refused attempt, or fresh, and built only if the
    page draws it (a dispute or an answer to a proposal only in their states)."""
    return {
        f"{prefix}_form": SimpleLazyObject(
            functools.partial(_refused_or_fresh, bound, prefix, form_class)
        )
        for prefix, form_class in CONVERSATION_FORMS.items()
    }


def _refused_or_fresh(bound: dict[str, Any], prefix: str, form_class: type) -> Any:
    return bound.get(prefix) or form_class(prefix=prefix)


def _last(conversation: list[Message], kind: str) -> Message | None:
    return next((m for m in reversed(conversation) if m.kind == kind), None)


@require_GET
@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    ticket = selectors.ticket_for_user(user=request.user, number=number)
    # The ticket's notifications marked read and the bell's count, in one statement.
    unread = read_ticket_and_count_unread(
        user_id=request.user.pk, ticket=ticket, now=timezone.now()
    )
    unsent = request.session.pop(UNSENT_KEY % ticket.number, None) or {}
    return render_ticket(
        request,
        ticket,
        unsent=[tuple(item) for item in unsent.get("texts", [])],
        files_lost=unsent.get("files_lost", False),
        unread=unread,
    )


@require_GET
@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    return attachment_response(selectors.attachment_for_user(user=request.user, pk=pk))


def attachment_response(attachment: Attachment) -> FileResponse:
    """A file as a download the browser never runs (the API's download sends the same)."""
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
    # A customer's logs and configurations stay out of every cache, the browser's included.
    patch_cache_control(response, private=True, no_store=True)
    return response
