"""The engineers' canned replies: the page that keeps them (/replies/), and the two small JSON
answers the ticket page's picker asks (static/js/canned_replies.js), so that the ticket page
itself reads nothing more.

Customers get 403 here, like on every engineers' page; another engineer's personal reply and a
ticket the engineer may not see answer 404 (the selectors)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import engineer_required
from replies import selectors, services
from replies.filling import filled_reply, preview
from replies.forms import CannedReplyForm
from replies.models import CannedReply
from tickets import selectors as ticket_selectors
from tickets.placeholders import PLACEHOLDERS, validate_known


@require_GET
@engineer_required
def reply_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    replies = list(selectors.replies_for(user=request.user, query=query))
    context = {"replies": replies, "query": query, "placeholders": PLACEHOLDERS}
    return render(request, "replies/list.html", context)


def _previews(request: HttpRequest, form: CannedReplyForm) -> list[dict[str, object]]:
    """The texts filled with sample values, each language its own; unknown placeholders are
    reported on the form instead."""
    shown = []
    for language, field in (("ru", "text_ru"), ("en", "text_en")):
        text = form.cleaned_data.get(field) or ""
        try:
            validate_known(text)
        except ValidationError as error:
            form.add_error(field, error)
            continue
        if text.strip():
            filled = preview(
                text,
                language=language,
                engineer_name=request.user.get_full_name(),
                now=timezone.now(),
            )
            shown.append({"language": language, "text": filled.text, "missing": filled.missing})
    return shown


def _initial(reply: CannedReply | None) -> dict[str, object]:
    if reply is None:
        return {"is_active": True}
    fields = ("title", "keyword", "text_ru", "text_en", "is_active")
    return {name: getattr(reply, name) for name in fields}


def _edit(request: HttpRequest, reply: CannedReply | None) -> HttpResponse:
    may_choose_team = reply is None and request.user.is_staff
    services.check_may_edit(request.user, reply, team=bool(reply and reply.is_team))
    status, previews = 200, []
    if request.method != "POST":
        form = CannedReplyForm(initial=_initial(reply), may_choose_team=may_choose_team)
    else:
        form = CannedReplyForm(request.POST, may_choose_team=may_choose_team)
        if form.is_valid() and "preview" in request.POST:
            previews = _previews(request, form)
        elif form.is_valid():
            try:
                services.canned_reply_save(
                    actor=request.user, reply=reply, **form.service_arguments()
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The canned reply is saved."))
                return redirect("replies:list")
        status = 400 if form.errors else 200
    context = {
        "form": form,
        "reply": reply,
        "previews": previews,
        "placeholders": PLACEHOLDERS,
    }
    return render(request, "replies/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@engineer_required
def reply_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@require_http_methods(["GET", "POST"])
@engineer_required
def reply_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, selectors.reply_for_user(user=request.user, pk=pk))


@require_POST
@engineer_required
def reply_delete(request: HttpRequest, pk: int) -> HttpResponse:
    reply = selectors.reply_for_user(user=request.user, pk=pk)
    services.canned_reply_delete(actor=request.user, reply=reply)
    messages.success(
        request, _("The canned reply “%(title)s” is deleted.") % {"title": reply.title}
    )
    return redirect("replies:list")


@require_GET
@engineer_required
def choices(request: HttpRequest) -> JsonResponse:
    """The active replies the engineer may insert, for the ticket page's picker."""
    replies = selectors.replies_for(user=request.user, active_only=True).only(
        "id", "title", "keyword", "owner_id"
    )
    return JsonResponse(
        {
            "replies": [
                {"id": r.pk, "title": r.title, "keyword": r.keyword, "team": r.is_team}
                for r in replies
            ]
        }
    )


@require_GET
@engineer_required
def fill(request: HttpRequest, pk: int, number: str) -> JsonResponse:
    """The reply filled in for the ticket: {text, language, missing, note, warning}."""
    reply = selectors.reply_for_user(user=request.user, pk=pk, active_only=True)
    ticket = ticket_selectors.ticket_for_user(user=request.user, number=number)
    return JsonResponse(filled_reply(reply, ticket).as_json())
