"""Small template helpers for the portal pages."""

import datetime
import functools

from django import template
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tickets import drafts
from tickets.durations import DurationWords

register = template.Library()


@register.filter
def when(value: datetime.datetime | None) -> str:
    """An instant in the viewer's time zone, with the zone named: "25.11.2026 19:30 MSK"."""
    if value is None:
        return "—"
    return _when(value, timezone.get_current_timezone(), translation.get_language())


# Django's date_format walks the format letter by letter (~50 µs): a ticket page of 30 events
# and 50 messages, a list of 25 rows, wrote the same instants on every request. The text
# depends only on the instant, the zone and the language (the key; the language is the active
# one while it is written).
@functools.lru_cache(maxsize=16_384)
def _when(value: datetime.datetime, zone: datetime.tzinfo, language: str | None) -> str:
    local = timezone.localtime(value, zone)
    name = local.tzname() or str(zone)
    return f"{formats.date_format(local, 'SHORT_DATETIME_FORMAT')} {name}"


@register.filter
def until(value: datetime.datetime | None) -> str:
    """A deadline that ends a day, as people say it: "27.11.2026 24:00 MSK", not the next
    day's 00:00 (the customer's periods end at 24:00, Civil Code art. 194)."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    if local.time() != datetime.time(0, 0):
        return when(value)
    day = local.date() - datetime.timedelta(days=1)
    zone = local.tzname() or str(timezone.get_current_timezone())
    return f"{formats.date_format(day, 'SHORT_DATE_FORMAT')} 24:00 {zone}"


@register.filter
def countdown(value: datetime.datetime | None) -> str:
    """How long until `value` ("16 h left"), or how long it is overdue, from now."""
    if value is None:
        return ""
    return DurationWords().until(value, timezone.now())


@register.filter
def in_zone(value: datetime.datetime | None, zone: str) -> str:
    """An instant in a named zone (a calendar's), with the zone named."""
    if value is None:
        return "—"
    import zoneinfo

    local = value.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{formats.date_format(local, 'SHORT_DATETIME_FORMAT')} {local.tzname()}"


@register.simple_tag
def waits_on(ticket: object) -> str:
    """Whose move it is, in words."""
    state = getattr(ticket, "state", "")
    if state in {"awaiting_customer", "resolved"}:
        return _("waiting for the customer")
    if state == "closed":
        return "—"
    return _("with support")


@register.simple_tag(takes_context=True)
def draft_key(context: template.Context, where: str, form: str) -> str:
    """The name of a form's draft in the browser (tickets/drafts.py), for data-draft-key."""
    return drafts.draft_key(context["user"], str(where), form)
