"""Form widgets the portal needs beyond Django's own."""

from html import escape
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A select written out in Python. Django renders every option through a template, which
    for the 200 engineers of the assignee and bulk selects took over 100 ms a page, and 20 ms
    of the ticket page's assign form."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices  # flat choices: no groups where this is used
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        options = mark_safe(options)  # noqa: S308 - every key and label escaped above
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)


class KeptChoices(BaseChoiceIterator):
    """A select's choices: a few of the form's own (`head`, such as the empty choice) and then
    a list of kept reference data (accounts/reference.py), taken as it is. Django normalizes a
    plain list of choices item by item on every form, and the kept form fields
    (templatetags/ui.py) would walk it to build their key: 200 engineers each time. The kept
    list is replaced, never changed, when its data changes, so the list itself is the key."""

    def __init__(self, head: tuple[tuple[Any, Any], ...], kept: list[tuple[Any, Any]]) -> None:
        self.head = head
        self.kept = kept

    def __iter__(self) -> Any:
        yield from self.head
        yield from self.kept
