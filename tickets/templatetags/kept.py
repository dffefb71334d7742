"""{% kept_include %}: a static part of a page (the keyboard shortcuts' help) drawn once per
what it depends on and kept in this process (tickets/kept_html.py).

The template is rendered with the tag's arguments alone, never the page's context: it cannot
read the person, the request or a CSRF token, so its key (the arguments, the language and
the URL prefix) is everything its HTML depends on. The shortcuts' help, eleven translated
lines, cost the ticket page ~0.4 ms as an include."""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString

from tickets.kept_html import LeastRecentlyUsed

register = template.Library()

_PARTS = LeastRecentlyUsed(256)
_PLAIN = (str, int, bool, type(None))


@register.simple_tag
def kept_include(template_name: str, **arguments: object) -> SafeString:
    for name, value in arguments.items():
        if not isinstance(value, _PLAIN):  # an object could hide what the HTML depends on
            raise TypeError(f"kept_include takes plain values, not {name}={value!r}")
    key = (
        template_name,
        tuple(sorted((name, type(value), value) for name, value in arguments.items())),
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
    )
    return _PARTS.rendered(key, template_name, dict(arguments))
