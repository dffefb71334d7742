"""What every API view shares: the caller's language and time zone, input read safely, the
portal's forms run on it, and the ticket's full answer."""

import zoneinfo
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

from api.problems import FormInvalid
from sla.explain import explain_deadlines
from tickets.deadlines import silence_explanation
from tickets.models import Ticket

NUL = "\x00"


class PortalViewMixin:
    """Runs after authentication (a token's person is known only then): their language and
    time zone, as UserPreferencesMiddleware does for the session."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        user = request.user
        if user.is_authenticated:
            translation.activate(user.language)
            request._request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()


class TicketCursor(CursorPagination):
    """Latest activity first, as the ticket lists (the `-updated_at, -id` indexes)."""

    ordering = ("-updated_at", "-id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class NewestCursor(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


def request_data(request: Request) -> Any:
    """The body as a form takes it: an object (JSON) or form fields; a NUL byte, which
    PostgreSQL refuses, is refused here as on the pages."""
    data = request.data
    if not isinstance(data, Mapping):
        raise ValidationError(_("Send an object of fields (JSON) or form fields."))
    lists = data.lists() if hasattr(data, "lists") else data.items()
    if any(_has_nul(key) or _has_nul(value) for key, value in lists):
        raise ValidationError(_("The request contains a NUL character, which no field takes."))
    return data


def run_form(request: Request, form_class: type[forms.Form], **kwargs: Any) -> forms.Form:
    """The page's own form over the request: its cleaning and its messages."""
    form = form_class(request_data(request), request.FILES, **kwargs)
    if not form.is_valid():
        raise FormInvalid(form)
    return form


def ticket_context(request: Request, ticket: Ticket) -> dict[str, Any]:
    """What the ticket's full answer adds to its fields: the explanation of its deadlines
    (the ticket page's) and the actions the caller may take now (the state machine's)."""
    explanation = explain_deadlines(
        tier_id=ticket.tier_id, priority_id=ticket.priority_id, registered=ticket.registered_at
    )
    silence = silence_explanation(ticket)
    return {
        "request": request,
        "actions": sorted(
            t.name for t in ticket.get_available_user_state_transitions(request.user)
        ),
        "explanation": {
            "reaction": explained(explanation.reaction),
            "resolution": explained(explanation.resolution),
            "provisional": explanation.provisional,
            "silence": explained(silence) if silence else None,
        }
        if explanation
        else None,
    }


def explained(item: Any) -> dict[str, Any]:
    """A deadline explanation (sla.explain, or the silence before auto-close) for the API."""
    return {
        "start": item.start,
        "due": item.due,
        "calendar": item.calendar,
        "time_zone": item.time_zone,
        "special_days": [
            {"date": day.day, "kind": day.kind, "label": day.label, "reason": day.reason}
            for day in item.special_days
        ],
        "text": item.target_text,
    }
