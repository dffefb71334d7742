"""The ticket lists' rows, drawn in Python: the table row (wide screens) and the card (phones)
of each ticket; and the notifications page's items.

As template markup, a list of 25 tickets resolved some 700 variables (each ticket is shown
twice, as a row and as a card) and that was most of the list's time on the bench machine;
the same facts are now gathered once per ticket (`_facts`) and written by format_html.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sla import selectors as sla_selectors
from tickets import badges
from tickets.history import STATE_LABELS
from tickets.models import Notification
from tickets.templatetags.portal import waits_on, when

register = template.Library()


def _facts(ticket: Any) -> dict[str, Any]:
    """What a row and a card show of `ticket`, kept on it for the other of the two."""
    facts = getattr(ticket, "_list_facts", None)
    if facts is None:
        facts = {
            "url": reverse("tickets:detail", args=[ticket.number]),
            "number": ticket.number,
            "subject": ticket.subject,
            "requester": str(ticket.customer),
            "state": format_html(
                '<span class="badge state state-{} {}">{}</span>',
                ticket.state,
                badges.state_badge(ticket.state),
                STATE_LABELS.get(ticket.state, ticket.state),
            ),
            "priority": format_html(
                '<span class="badge priority priority-{} {}">{}</span>',
                ticket.priority_id,
                badges.priority_badge(ticket.priority_id),
                _priority_label(ticket.priority_id),
            ),
            "updated": when(ticket.updated_at),
            "waits_on": waits_on(ticket),
        }
        ticket._list_facts = facts
    return facts


def _priority_label(code: str) -> Any:
    """From the priorities each process keeps (the list joins no priority row)."""
    priority = sla_selectors.kept_priority(code)
    return priority.label if priority is not None else code


@register.simple_tag
def ticket_row(ticket: Any) -> SafeString:
    """The ticket as a row of the list's table."""
    facts = _facts(ticket)
    return format_html(
        "<tr>\n"
        '      <td class="text-nowrap"><a href="{}">{}</a></td>\n'
        '      <td class="text-break">{}</td>\n'
        '      <td class="small text-break requester">{}</td>\n'
        "      <td>{}</td>\n"
        "      <td>{}</td>\n"
        '      <td class="small">{}</td>\n'
        '      <td class="small">{}</td>\n'
        "    </tr>",
        facts["url"],
        facts["number"],
        facts["subject"],
        facts["requester"],
        facts["state"],
        facts["priority"],
        facts["updated"],
        facts["waits_on"],
    )


@register.simple_tag
def ticket_card(ticket: Any) -> SafeString:
    """The ticket as a card of the phone's list."""
    facts = _facts(ticket)
    return format_html(
        '<li class="card mb-2 position-relative">\n'
        '    <div class="card-body p-3">\n'
        '      <div class="d-flex flex-wrap justify-content-between gap-1 mb-1">\n'
        '        <a href="{}" class="fw-semibold text-nowrap stretched-link">{}</a>\n'
        '        <span class="small text-body-secondary">{}</span>\n'
        "      </div>\n"
        '      <p class="mb-1 text-break">{}</p>\n'
        '      <p class="mb-2 small text-body-secondary text-break requester">{}</p>\n'
        '      <div class="d-flex flex-wrap gap-1 align-items-center small">\n'
        "        {}\n"
        "        {}\n"
        '        <span class="text-body-secondary">{}</span>\n'
        "      </div>\n"
        "    </div>\n"
        "  </li>",
        facts["url"],
        facts["number"],
        facts["updated"],
        facts["subject"],
        facts["requester"],
        facts["state"],
        facts["priority"],
        facts["waits_on"],
    )


# As for states: get_kind_display() would build a dict of every kind for each notification.
_NOTIFICATION_KINDS = dict(Notification.Kind.choices)


@register.simple_tag
def notification_item(notification: Any) -> SafeString:
    """One notification of the notifications page: its ticket (or the page it points to), new
    or read, when, and what happened."""
    ticket = notification.ticket
    if ticket is not None:
        link = format_html(
            '<a href="{}" class="text-nowrap fw-semibold">{}</a>',
            reverse("tickets:detail", args=[ticket.number]),
            ticket.number,
        )
    else:
        data = notification.data or {}
        link = format_html(
            '<a href="{}" class="fw-semibold">{}</a>', data.get("path", ""), data.get("title", "")
        )
    unread = notification.read_at is None
    return format_html(
        '<li class="list-group-item{}">\n'
        '    <div class="d-flex flex-wrap justify-content-between gap-1">\n'
        "      <span>{}\n"
        "      {}</span>\n"
        '      <time datetime="{}" class="small text-body-secondary">{}</time>\n'
        "    </div>\n"
        '    <div class="text-break">{}{}</div>\n'
        "  </li>",
        " unread fw-semibold" if unread else "",
        link,
        format_html('<span class="badge text-bg-primary ms-1">{}</span>', _("new"))
        if unread
        else "",
        notification.created_at.isoformat(),
        when(notification.created_at),
        _NOTIFICATION_KINDS.get(notification.kind, notification.kind),
        format_html(": {}", ticket.subject) if ticket is not None else "",
    )
