"""{% kept_panel %}: the forms on the ticket page, drawn once per what they show and kept in
this process (tickets/kept_html.py), like the main menu and the message cards.

Parts of the engineer's ticket page that hold forms only: tickets/_engineer_main.html (ask for
information, resolve, record a contact), _engineer_side.html (take, assign, handling method,
knowledge base, merge), _link_form.html (link a related ticket) and, while no session is
proposed or agreed, _session_panel.html (propose a session). As templates they cost the page
~3 ms. The reply form (_reply_form.html, ~0.4 ms) is kept for customers too.

Their HTML depends on what the key below holds: the template, what the ticket allows (the
state machine's actions), whether it is open or resolved, its assignee, handling method and
tier, the person (their drafts' names, "take back"), their time zone, the language and the
reference data (the engineers of the assign select). Three values differ on every page but
not the HTML around them: the CSRF token, the ticket's number and the page's `seen` marker.
They are drawn as placeholders (random per process, so that no name can carry one) and put
in at each use.

The template is rendered with a context made from the key alone (PanelTicket, PanelPerson and
the forms built from them by the page's own functions), never the page's context: it cannot
show anything its key does not hold. Plain arguments of the tag (the reply button's label) are
part of the key and of that context. A form filled from a refused attempt, a session proposed
or agreed, a customer (but for the reply form), or a number that does not read the same in an
address and in HTML: the part is drawn with the page's context, as an include would draw it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any, NamedTuple

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from accounts import reference
from tickets import engineer_forms
from tickets.forms import MessageForm, upload_limits_text
from tickets.kept_html import LeastRecentlyUsed
from tickets.session_forms import proposal_form

register = template.Library()

_PANELS = LeastRecentlyUsed(4096)

# The forms each part shows, by their prefixes.
FORMS = {
    "tickets/_engineer_main.html": {"info", "resolve", "contact"},
    "tickets/_engineer_side.html": {"assign", "method", "merge"},
    "tickets/_session_panel.html": {"session"},
    "tickets/_link_form.html": {"link"},
    "tickets/_reply_form.html": {"reply"},
}
# The parts a customer's page keeps too (the others are the engineer's).
FOR_CUSTOMERS = {"tickets/_reply_form.html"}

_NUMBER, _SEEN, _CSRF = (f"kept{secrets.token_hex(8)}" for _ in range(3))
_PLAIN_NUMBER = re.compile(r"[A-Za-z0-9_.-]+")


class PanelTier(NamedTuple):
    extended: bool


class PanelTicket(NamedTuple):
    """All the parts may read of the ticket."""

    number: str
    is_open: bool
    assignee_id: int | None
    handling_method: str
    resolved_at: bool  # whether it was resolved: the parts only ask that
    tier: PanelTier


class PanelPerson(NamedTuple):
    """All the parts may read of the engineer."""

    pk: int
    is_engineer: bool


@register.simple_tag(takes_context=True)
def kept_panel(context: template.Context, template_name: str, **arguments: str) -> SafeString:
    ticket, user = context["ticket"], context["user"]
    if not _keepable(context, template_name, ticket, user):
        with context.push(**arguments):
            return context.template.engine.get_template(template_name).render(context)
    zone = getattr(user, "time_zone", "") or timezone.get_current_timezone_name()
    shown = PanelTicket(
        _NUMBER,
        ticket.is_open,
        ticket.assignee_id,
        ticket.handling_method,
        ticket.resolved_at is not None,
        PanelTier(ticket.tier.extended),
    )
    person = PanelPerson(user.pk, user.is_engineer)
    actions = frozenset(context["actions"])
    key = (
        template_name,
        tuple(sorted((name, str(value)) for name, value in arguments.items())),
        shown,
        person,
        actions,
        zone,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
        get_urlconf(),
        reference.current_version(),
    )
    html = _PANELS.drawn(
        key,
        lambda: get_template(template_name).render(
            {
                "ticket": shown,
                "user": person,
                "actions": actions,
                "seen": _SEEN,
                "csrf_token": _CSRF,
                **engineer_forms.for_ticket(shown, {}),
                "session_form": proposal_form(ticket=shown, zone=zone, bound={}),
                "reply_form": MessageForm(prefix="reply"),
                "upload_limits": upload_limits_text(),
                **{name: str(value) for name, value in arguments.items()},
            }
        ),
    )
    html = html.replace(_NUMBER, ticket.number).replace(_SEEN, str(context["seen"]))
    return mark_safe(html.replace(_CSRF, str(context["csrf_token"])))  # noqa: S308 (drawn there)


def _keepable(context: template.Context, template_name: str, ticket: Any, user: Any) -> bool:
    if context.get("csrf_token") is None:
        return False
    if not user.is_engineer and template_name not in FOR_CUSTOMERS:
        return False
    refused = context.get("refused_forms")  # by prefix (tickets/views/pages.py)
    if refused is None or FORMS[template_name] & refused:
        return False
    sessions = context.get("pending_session") or context.get("agreed_sessions")
    if sessions and template_name == "tickets/_session_panel.html":  # it shows them
        return False
    return bool(_PLAIN_NUMBER.fullmatch(ticket.number))
