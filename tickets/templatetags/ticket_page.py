"""The ticket page's long parts, drawn fast: the conversation's message cards, rendered once
per process and reader's view, and the audit history's lines.

A ticket page with 50 messages spent most of its time rendering the same cards again: a
message never changes once written, so its card depends only on what the key below names
(the language and time zone it is shown in, the images the reader may see, the author's name
and role, its files). The cards are kept in an LRU of this process, so no round trip to a
cache server is paid per card; a change of any part of the key renders the card afresh.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tickets.kept_html import LeastRecentlyUsed
from tickets.templatetags.portal import when

register = template.Library()

KEPT_CARDS = 4096


@register.simple_tag(takes_context=True)
def message_card(context: template.Context, message: Any) -> SafeString:
    images = context.get("images") or {}
    images_key = context.render_context.get("message_cards_images")
    if images_key is None:
        images_key = tuple(sorted(images.items()))
        context.render_context["message_cards_images"] = images_key
    files = getattr(message, "files", ())
    key = (
        message.pk,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        images_key,
        str(message.author),
        message.author.is_engineer,
        tuple((f.pk, f.name) for f in files),
    )
    html = _CARDS.get(key)
    if html is None:
        html = str(
            get_template("tickets/_message.html").render({"message": message, "images": images})
        )
        _CARDS.put(key, html)
    return mark_safe(html)  # noqa: S308 (a rendered template, escaped there)


_CARDS = LeastRecentlyUsed(KEPT_CARDS)


@register.simple_tag
def history_line(entry: Any) -> SafeString:
    """One line of the engineers' audit history: a template per line cost a page of 30 events
    several milliseconds."""
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
