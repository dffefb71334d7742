"""Template helpers for the look of the pages: Bootstrap's classes on form fields, and the
relative words beside an absolute time ("16 h 5 min left")."""

import datetime
import decimal
import types
from collections.abc import Callable, Hashable
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tickets import badges
from tickets.kept_html import LeastRecentlyUsed
from tickets.templatetags.portal import countdown, until, when
from tickets.widgets import KeptChoices

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


# Unfilled fields kept drawn (see form_field): a few forms' fields in each language.
KEPT_FIELDS = 1024
_FIELDS = LeastRecentlyUsed(KEPT_FIELDS)


@register.simple_tag
def form_field(field: BoundField, required: Any = False, extra_help: Any = "") -> SafeString:
    """One form field with Bootstrap's look: label (an asterisk when it must be filled in),
    control, help, errors. `required` forces the asterisk; `extra_help` follows the help text.

    Drawn in Python (`_partials/field.html` calls it): as a template, the fields of the
    engineer's ticket page cost more than the rest of the page. A field of a form not sent is
    the same HTML on every page that shows it with the same choices and initial value, yet its
    widget is drawn by Django's widget templates (about 5 ms for the 18 fields of an engineer's
    ticket page): it is drawn once per process and kept, under a key of everything the HTML
    depends on (_unfilled_key); a sent form's fields (the person's values, errors) never are."""
    field = styled(field)
    key = _unfilled_key(field, required, extra_help)
    return _kept(key, lambda: _draw_field(field, required, extra_help))


@register.simple_tag
def control(field: BoundField) -> SafeString:
    """The field's widget alone (where a template lays out label and help itself), kept as
    form_field keeps whole fields."""
    return _kept(_unfilled_key(field, "control only", ""), lambda: str(field))


def _kept(key: Hashable | None, draw: Callable[[], str]) -> SafeString:
    """The field's HTML kept under `key` (drawn by format_html and Django's widgets)."""
    return _FIELDS.drawn(key, draw)


class _NotPlain(Exception):
    pass


def _unfilled_key(field: BoundField, required: Any, extra_help: Any) -> Hashable | None:
    """What the HTML of a field of a form not sent depends on, as plain values: the widget
    (its class and every attribute: attrs, choices, format …), the attributes the form adds,
    name, id, initial value, label, help, the language. None for a sent form, or when anything
    is not plain data (choices read from the database, a callable): then it is drawn anew."""
    if field.form.is_bound:
        return None
    widget = field.field.widget
    try:
        return (
            type(widget),  # the class itself: kept alive by the key, so its identity is not reused
            _plain(vars(widget)),
            _plain(field.build_widget_attrs(widget.attrs)),
            field.html_name,
            field.auto_id,
            _plain(field.value()),
            _plain(field.label),
            _plain(field.help_text),
            field.field.show_hidden_initial,
            _plain(required),
            _plain(extra_help),
            translation.get_language(),
        )
    except _NotPlain:
        return None


PLAIN = (type(None), bool, int, float, decimal.Decimal, datetime.date, datetime.time)


def _plain(value: Any) -> Hashable:
    """`value` as a hashable key that equals another only for the same HTML: strings with
    their kind (safe or to be escaped), lazy translations as their text in the active
    language, containers item by item, functions as themselves; anything else (an object read
    from the database, choices read when drawn) raises _NotPlain."""
    kind = type(value)
    if kind is str:  # the usual case first: a plain string is its own key
        return value
    if kind is dict:
        return ("dict", *sorted((str(k), _plain(v)) for k, v in value.items()))
    if kind is tuple or kind is list:
        return (kind.__name__, *(_plain(item) for item in value))
    if isinstance(value, str):  # a safe string differs from one to be escaped
        return (kind.__name__, str(value))
    if isinstance(value, Promise):
        return ("lazy", str(value))
    if isinstance(value, PLAIN):
        # By repr: Decimal("1.0") == Decimal("1.00"), and an aware datetime equals its UTC
        # twin, yet each is written otherwise.
        return (type(value).__name__, repr(value))
    if isinstance(value, list | tuple):
        return (type(value).__name__, *(_plain(item) for item in value))
    if isinstance(value, dict):
        return ("dict", *sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return ("set", frozenset(_plain(item) for item in value))
    if isinstance(value, KeptChoices):  # the kept list itself (kept alive by the key)
        return ("kept choices", _plain(value.head), _Same(value.kept))
    if isinstance(value, types.FunctionType):  # a checkbox's check_test: the same function
        return ("function", value)  # (kept alive by the key, so its identity is not reused)
    raise _NotPlain(type(value).__name__)


class _Same:
    """A key part equal only to itself: the object it holds, compared by identity."""

    __slots__ = ("held",)

    def __init__(self, held: Any) -> None:
        self.held = held

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.held is self.held

    def __hash__(self) -> int:
        return id(self.held)


def _draw_field(field: BoundField, required: Any, extra_help: Any) -> SafeString:
    kind = widget_kind(field)
    star = (
        mark_safe(' <span class="req text-danger" aria-hidden="true">*</span>')
        if required or is_required(field)
        else ""
    )
    help_id = f"{field.auto_id}_help"
    if kind == "choices":
        described = format_html(' aria-describedby="{}"', help_id) if field.help_text else ""
        options = format_html_join(
            "",
            '<div class="form-check">{}<label class="form-check-label" for="{}">{}</label></div>',
            ((choice.tag(), choice.id_for_label, choice.choice_label) for choice in field),
        )
        control = format_html(
            '<fieldset{}>\n    <legend class="form-label fs-6 fw-semibold mb-1">{}{}</legend>'
            "\n    {}",
            described,
            field.label,
            star,
            options,
        )
    elif kind == "check":
        control = format_html(
            '<div class="form-check">{}<label class="form-check-label" for="{}">{}</label></div>',
            field,
            field.id_for_label,
            field.label,
        )
    else:
        control = format_html(
            '<label class="form-label fw-semibold" for="{}">{}{}</label>\n  {}',
            field.id_for_label,
            field.label,
            star,
            field,
        )
    return format_html(
        '<div class="field mb-3{}">\n  {}\n{}{}{}{}</div>',
        " has-error" if field.errors else "",
        control,
        _help(field, help_id, extra_help),
        _upload_parts(field),
        _errors(field),
        mark_safe("</fieldset>\n") if kind == "choices" else "",
    )


def _help(field: BoundField, help_id: str, extra_help: Any) -> SafeString | str:
    if not (field.help_text or extra_help):
        return ""
    extra = format_html(" {}", extra_help) if extra_help else ""
    return format_html(
        '  <div class="form-text" id="{}">{}{}</div>\n', help_id, field.help_text, extra
    )


def _upload_parts(field: BoundField) -> SafeString | str:
    if getattr(field.field.widget, "input_type", None) != "file":
        return ""
    return format_html(
        '  <div class="upload-warning small text-danger mt-1" hidden role="alert"></div>'
        '<div class="drop-hint small text-body-secondary mt-1" hidden>{}</div>'
        '<progress class="upload-progress w-100 mt-1" max="100" value="0" hidden'
        ' aria-label="{}"></progress>\n',
        _("You may also drop files here, or paste a screenshot into the text."),
        _("Upload progress"),
    )


def _errors(field: BoundField) -> SafeString | str:
    if not field.errors:
        return ""
    return format_html(
        '  <div class="invalid-feedback d-block" id="{}_errors" role="alert">{}</div>\n',
        field.auto_id,
        format_html_join("", "<div>{}</div>", ((error,) for error in field.errors)),
    )
