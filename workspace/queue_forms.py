"""The queue's forms: the filters (GET) and the bulk action on chosen tickets (POST).

The organization filter is a text field, not a select: 2,000 organizations make a select too
long to use and too heavy to send every time the page loads. It takes either an organization's
id (what the organization links in the queue put there, so a link or bookmark is exact) or a
part of its name, case aside (what a person types).
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import reference
from accounts.models import Organization
from sla import selectors as sla_selectors
from tickets.models import OPEN_STATES
from tickets.widgets import PlainSelect
from workspace.queue import DEFAULT_VIEW, UNASSIGNED, VIEWS

PER_PAGE = (25, 50, 100)
DEFAULT_PER_PAGE = 50
BULK_MAX = max(PER_PAGE)  # one page at most


Choices = Sequence[tuple[str, str]]


def _small_bootstrap_widgets(form: forms.Form) -> None:
    """Bootstrap's small form controls for every visible widget of `form`."""
    for field in form.fields.values():
        small = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else None
        field.widget.attrs.setdefault("class", small or "form-control form-control-sm")


def engineer_choices() -> list[tuple[str, str]]:
    """Active engineers as (id, name) choices, by name, as each process keeps them."""
    return [(str(pk), name) for pk, name in reference.engineers.get()]


class QueueFilterForm(forms.Form):
    """What the queue shows; every field is optional and an invalid one is simply not applied."""

    view = forms.ChoiceField(label=_("View"), choices=VIEWS.items(), required=False)
    tier = forms.ChoiceField(label=_("Support tier"), required=False, widget=PlainSelect)
    priority = forms.ChoiceField(label=_("Priority"), required=False, widget=PlainSelect)
    organization = forms.CharField(
        label=_("Organization"),
        help_text=_("Its number, or a part of its name."),
        max_length=200,
        required=False,
    )
    # Checked by its form, not against the engineers: the rows partial, fetched every few
    # seconds, need not read them; an id of nobody's simply matches no ticket.
    assignee = forms.RegexField(
        label=_("Assignee"),
        regex=rf"^({UNASSIGNED}|\d{{1,18}})$",
        required=False,
        widget=PlainSelect,
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any open"))] + [(s.value, s.label) for s in OPEN_STATES],
        required=False,
        widget=PlainSelect,
    )
    q = forms.CharField(
        label=_("Search"),
        help_text=_("Number, license key, organization, or words of the subject or description."),
        max_length=200,
        required=False,
        widget=forms.SearchInput,
    )
    per_page = forms.TypedChoiceField(
        label=_("Per page"),
        choices=[(n, n) for n in PER_PAGE],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PER_PAGE,
        widget=PlainSelect,
    )

    def __init__(self, data: Any = None, *, people: Choices = (), **kwargs: Any) -> None:
        if data is not None and not data.get("per_page"):  # so the select shows the default
            data = data.copy()
            data["per_page"] = str(DEFAULT_PER_PAGE)
        super().__init__(data, **kwargs)
        # As each process keeps them (accounts/reference.py): no query on a page or a refresh.
        self.fields["tier"].choices = [
            ("", _("Any")),
            *((tier.pk, tier.label) for tier in sla_selectors.tiers.get()),
        ]
        self.fields["priority"].choices = [
            ("", _("Any")),
            *((priority.pk, priority.label) for priority in sla_selectors.priorities.get()),
        ]
        self.fields["assignee"].widget.choices = [
            ("", _("Anyone")),
            (UNASSIGNED, _("Nobody (unassigned)")),
            *people,
        ]
        self.chosen_organization: Organization | None = None  # chosen by id: its name is shown
        _small_bootstrap_widgets(self)

    def clean_organization(self) -> int | str | None:
        value = self.cleaned_data["organization"].strip()
        if not value:
            return None
        if value.isdigit():
            self.chosen_organization = Organization.objects.filter(pk=int(value)).first()
            if self.chosen_organization is None:
                raise forms.ValidationError(
                    _("There is no organization number %(id)s."), params={"id": value}
                )
            return self.chosen_organization.pk
        return value

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of workspace.queue.queue_for: the valid fields only."""
        self.is_valid()
        data = self.cleaned_data
        chosen = {
            "view": data.get("view") or DEFAULT_VIEW,
            "tier": data.get("tier") or "",
            "priority": data.get("priority") or "",
            "organization": data.get("organization"),
            "assignee": data.get("assignee") or None,
            "state": data.get("state") or "",
            "q": data.get("q") or "",
        }
        if chosen["assignee"] not in (None, UNASSIGNED):
            chosen["assignee"] = int(chosen["assignee"])
        return chosen

    def page_size(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("per_page") or DEFAULT_PER_PAGE


class TicketNumbersField(forms.Field):
    """Ticket numbers as posted by the row checkboxes; whether each exists is the view's job."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list) else [value] if value else []
        numbers = (str(number).strip() for number in values)
        return list(dict.fromkeys(number for number in numbers if number))  # in order, once


class QueueBulkForm(forms.Form):
    """Take or assign the chosen tickets (by number; the view loads them through a selector)."""

    TAKE, ASSIGN = "take", "assign"

    tickets = TicketNumbersField(
        label=_("Tickets"), error_messages={"required": _("Choose at least one ticket.")}
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[(TAKE, _("Take into work")), (ASSIGN, _("Assign"))]
    )
    engineer = forms.TypedChoiceField(
        label=_("Assign to"), coerce=int, required=False, empty_value=None, widget=PlainSelect
    )

    def __init__(self, *args: Any, people: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engineer"].choices = [("", _("Choose an engineer")), *people]
        self.fields["engineer"].widget.attrs["class"] = "form-select form-select-sm w-auto"

    def clean_tickets(self) -> list[str]:
        numbers = self.cleaned_data["tickets"]
        if len(numbers) > BULK_MAX:
            raise forms.ValidationError(
                _("Choose at most %(max)s tickets at once."), params={"max": BULK_MAX}
            )
        return numbers

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("action") == self.ASSIGN and not data.get("engineer"):
            self.add_error("engineer", _("Choose the engineer to assign the tickets to."))
        return data
