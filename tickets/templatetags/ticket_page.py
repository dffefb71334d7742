"""The ticket page's long parts, drawn fast: the conversation's message cards and the deadline
explanation, rendered once per process and reader's view; the audit history's lines and the
files' lines, drawn in Python.

A ticket page with 50 messages spent most of its time rendering the same cards again: a
message never changes once written, so its card depends only on what the key below names
(the language and time zone it is shown in, the images the reader may see, the author's name
and role, its files). The cards are kept in an LRU of this process, so no round trip to a
cache server is paid per card; a change of any part of the key renders the card afresh.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts import reference
from tickets.history import customer_timeline, describe, names_only_kept_people
from tickets.kept_html import LeastRecentlyUsed
from tickets.templatetags.portal import when

register = template.Library()

KEPT_CARDS = 4096


@register.simple_tag(takes_context=True)
def message_card(context: template.Context, message: Any) -> SafeString:
    images = context.get("images") or {}
    # What every card of the page shares, worked out once per page.
    shared = context.render_context.get("message_cards_shared")
    if shared is None:
        shared = (
            translation.get_language(),
            timezone.get_current_timezone_name(),
            tuple(sorted(images.items())),
        )
        context.render_context["message_cards_shared"] = shared
    files = getattr(message, "files", ())
    author = message.author
    key = (
        message.pk,
        shared,
        str(author),
        author.is_engineer,
        tuple((f.pk, f.name) for f in files),
    )
    return _CARDS.rendered(key, "tickets/_message.html", {"message": message, "images": images})


_CARDS = LeastRecentlyUsed(KEPT_CARDS)


@register.simple_tag
def history_lines(events: list[Any], priorities: dict[str, str]) -> SafeString:
    """The engineers' audit history (tickets/history.py), line by line, kept per what it
    shows: events are never changed once written, so their lines depend only on the events,
    the names of their actors, the language and time zone, the priorities' labels and the
    reference data the details name (engineers, tiers, product areas: reference.py's
    version). A history naming someone who is no longer an active engineer (read from the
    database by describe) is drawn each time. Describing and drawing 30 events cost the
    engineer's ticket page ~1 ms."""
    named = tuple((event.pk, str(event.actor) if event.actor_id else None) for event in events)
    return _HISTORIES.drawn(
        _history_key(named, events, priorities),
        lambda: _lines(history_line, describe(events, priorities=priorities)),
    )


def _lines(draw: Any, entries: list[Any]) -> str:
    """Each entry's line as the templates laid them out, one per line of the list."""
    return "".join(f"\n      {draw(entry)}\n    " for entry in entries)


_HISTORIES = LeastRecentlyUsed(KEPT_CARDS)


def _history_key(shown: tuple, events: list[Any], priorities: dict[str, str]) -> tuple | None:
    """A history's key: `shown` (what of its events and ticket the lines name) and what the
    lines' words depend on; None when they name someone describe() reads from the database."""
    if not names_only_kept_people(events):
        return None
    return (
        shown,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        tuple(sorted(priorities.items())),
        reference.current_version(),
    )


def history_line(entry: Any) -> SafeString:
    """One line of the engineers' audit history, drawn in Python (a template per line cost a
    page of 30 events several milliseconds)."""
    event = entry.event
    states = f": {entry.states}" if entry.states else ""
    details = format_html(' <span class="data">({})</span>', entry.details) if entry.details else ""
    return format_html(
        '<li class="mb-1"><time datetime="{}">{}</time> — {}{}{} · {}</li>',
        event.created_at.isoformat(),
        when(event.created_at),
        entry.title,
        states,
        details,
        event.actor or _("system"),
    )


@register.simple_tag
def customer_history_lines(ticket: Any, events: list[Any], priorities: dict[str, str]) -> str:
    """The customer's readable history (tickets/history.py: customer_timeline), line by
    line, kept as the engineers' is (history_lines): per the events, the deadlines met, the
    language and time zone, the priorities' labels and the reference data's version. Empty
    when there is nothing to show."""
    shown = (
        tuple(event.pk for event in events),
        (ticket.reaction_met, ticket.reacted_at, ticket.resolution_met, ticket.resolved_at),
    )
    return _CUSTOMER_HISTORIES.drawn(
        _history_key(shown, events, priorities),
        lambda: _lines(
            customer_history_line, customer_timeline(ticket, events, priorities=priorities)
        ),
    )


_CUSTOMER_HISTORIES = LeastRecentlyUsed(KEPT_CARDS)

# The customer's readable history (tickets/history.py): a tone marks a deadline met or missed.
_TONE_BADGES = {"ok": "text-bg-success", "missed": "text-bg-danger"}


def customer_history_line(entry: Any) -> SafeString:
    """One line of the customer's history: as a template, 75 lines cost the page ~1 ms."""
    title = entry.title
    if badge := _TONE_BADGES.get(entry.tone):
        title = format_html('<span class="badge {}">{}</span>', badge, title)
    details = format_html(' <span class="data">({})</span>', entry.details) if entry.details else ""
    return format_html(
        '<li class="mb-1{}"><time datetime="{}">{}</time> — {}{}</li>',
        f" tone-{entry.tone}" if entry.tone else "",
        entry.at.isoformat(),
        when(entry.at),
        title,
        details,
    )


@register.simple_tag
def canned_picker(field: Any, number: str) -> SafeString:
    """A canned reply picker for one text area of the ticket page (engineers only), shown by
    static/js/canned_replies.js once the replies are loaded (without the script the form works
    as before). Its list and texts come from two JSON answers, so the page reads nothing more.
    Drawn in Python, and kept per text area, ticket and language: its addresses and words
    cost the page ~0.5 ms for its three pickers."""
    key = (field.auto_id, number, translation.get_language(), get_script_prefix(), get_urlconf())
    return _PICKERS.drawn(key, lambda: _draw_canned_picker(field.auto_id, number))


_PICKERS = LeastRecentlyUsed(KEPT_CARDS)


def _draw_canned_picker(target_id: str, number: str) -> str:
    picker_id = f"{target_id}-canned"
    return format_html(
        '<div class="canned-picker mb-2" hidden data-target="{}" data-choices-url="{}" '
        'data-fill-url="{}" data-team-label="{}" data-mine-label="{}" data-failed="{}" '
        'data-inserted="{}">\n'
        '  <label for="{}" class="form-label small mb-1">{}</label>\n'
        '  <div class="d-flex gap-2">\n'
        '    <select id="{}" class="form-select form-select-sm canned-select" '
        'aria-describedby="{}-status"><option value="">{}</option></select>\n'
        '    <button type="button" class="btn btn-sm btn-outline-secondary canned-insert '
        'text-nowrap">{}</button>\n'
        "  </div>\n"
        '  <div class="canned-status small mt-1" id="{}-status" role="status" '
        'aria-live="polite"></div>\n'
        "</div>\n",
        target_id,
        reverse("replies:choices"),
        reverse("replies:fill", args=[0, number]),
        _("Team replies"),
        _("My replies"),
        _("The canned reply could not be loaded. Try again."),
        _("Inserted."),
        picker_id,
        _("Canned reply"),
        picker_id,
        picker_id,
        _("Choose a reply, then Enter or Insert"),
        _("Insert"),
        picker_id,
    )


@register.simple_tag
def deadline_explanation(explanation: Any, resolution_due: Any) -> SafeString:
    """How the deadlines were counted (`tickets/_deadline_explanation.html`). An explanation
    is a value (sla.explain.Explanation: the targets, calendars and days it counted), so its
    HTML depends only on it, the language and whether the resolution deadline was moved on by
    a pause: rendered once per those and kept. Its two included parts cost the page ~1 ms."""
    paused = resolution_due is not None and resolution_due != explanation.resolution.due
    key = (explanation, translation.get_language(), paused)
    context = {"explanation": explanation, "paused": paused}
    return _EXPLANATIONS.rendered(key, "tickets/_deadline_explanation.html", context)


_EXPLANATIONS = LeastRecentlyUsed(KEPT_CARDS)


@register.simple_tag
def attachment_item(attachment: Any) -> SafeString:
    """One file of a ticket or of a message: its download link, size and checksum, and the
    image itself when it is one. A template included per file cost ~0.1 ms each."""
    url = reverse("tickets:attachment", args=[attachment.pk])
    image = (
        format_html(
            '<br><a href="{}" download><img src="{}" alt="{}" '
            'class="inline-image img-fluid border rounded mt-1" loading="lazy"></a>',
            url,
            url,
            attachment.name,
        )
        if attachment.is_inline_image
        else ""
    )
    return format_html(
        '<li class="mb-1 text-break"><a href="{}" download>{}</a> '
        '<span class="small text-body-secondary">{} · SHA-256 <code title="{}">{}…</code></span>'
        "{}</li>\n",
        url,
        attachment.name,
        filesizeformat(attachment.size),
        attachment.sha256,
        attachment.sha256[:12],
        image,
    )
