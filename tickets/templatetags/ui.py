"""Template helpers for the look of the pages: Bootstrap's classes on form fields, and the
relative words beside an absolute time ("16 h 5 min left")."""

import datetime

from django import forms, template
from django.forms import BoundField
from django.utils import timezone
from django.utils.html import format_html

from tickets import badges
from tickets.templatetags.portal import countdown, until, when

register = template.Library()

# Bootstrap's class for each kind of widget; anything not listed is a text control.
CHOICES = (forms.RadioSelect, forms.CheckboxSelectMultiple)
SELECTS = (forms.Select, forms.SelectMultiple)


@register.filter
def widget_kind(field: BoundField) -> str:
    """ "check", "choices" (a radio or checkbox group), "select" or "control"."""
    widget = field.field.widget
    if isinstance(widget, CHOICES):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    if isinstance(widget, SELECTS):
        return "select"
    return "control"


CLASSES = {
    "choices": "form-check-input",
    "check": "form-check-input",
    "select": "form-select",
    "control": "form-control",
}


@register.filter
def styled(field: BoundField) -> BoundField:
    """The field with Bootstrap's classes on its widget, marked invalid when it has errors,
    and described by its help text and errors (the ids the field partial gives them).

    The widget belongs to this form instance (forms deep-copy their fields), so setting its
    attributes touches no other form; doing it twice changes nothing more."""
    attrs = field.field.widget.attrs
    classes = attrs.get("class", "").split()
    wanted = [CLASSES[widget_kind(field)]] + (["is-invalid"] if field.errors else [])
    attrs["class"] = " ".join(dict.fromkeys(classes + wanted))
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_errors")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field


@register.filter
def is_required(field: BoundField) -> bool:
    """Whether a person must fill the field in: required by the form, or marked `required` for
    the browser where the service decides (the form itself accepts it empty)."""
    return bool(field.field.required or field.field.widget.attrs.get("required"))


@register.filter
def timed(value: datetime.datetime | None, style: str = "") -> str:
    """An instant as a <time> element, written as `when` does, or as `until` does when
    `style` is "until" (a midnight that ends a day reads 24:00 of that day)."""
    if value is None:
        return "—"
    text = until(value) if style == "until" else when(value)
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


@register.simple_tag
def deadline(value: datetime.datetime | None, style: str = "", element_id: str = "") -> str:
    """A deadline as a <time> with its absolute moment and, beside it, muted, how long is left
    or, in red, how long it is overdue: "25.11.2026 19:30 MSK 16 h left"."""
    if value is None:
        return "—"
    return format_html("{} {}", timed(value, style), countdown_span(value, element_id))


@register.simple_tag
def countdown_span(value: datetime.datetime | None, element_id: str = "") -> str:
    """How long is left until `value` (muted) or how long it is overdue (in red)."""
    if value is None:
        return ""
    late = value <= timezone.now()
    return format_html(
        '<span class="countdown small {}"{}>{}</span>',
        "text-danger" if late else "text-body-secondary",
        format_html(' id="{}"', element_id) if element_id else "",
        countdown(value),
    )


# The badge classes of a ticket state and of a priority (one table with the queue's rows).
register.filter("state_badge", badges.state_badge)
register.filter("priority_badge", badges.priority_badge)
