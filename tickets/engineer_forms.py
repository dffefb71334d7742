"""The forms of the engineer's side of a ticket. As with the customer's forms, they only carry
what was typed; the services decide (and their errors land back on these fields)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import reference
from accounts.models import User
from tickets.forms import ServiceErrorsMixin, _text
from tickets.models import HandlingMethod, InfoNeed
from tickets.widgets import KeptChoices, PlainSelect


class AssignForm(ServiceErrorsMixin, forms.Form):
    engineer = forms.ModelChoiceField(
        label=_("Engineer"), queryset=User.objects.none(), widget=PlainSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["engineer"]
        if self.is_bound:  # what a POST is checked against
            field.queryset = User.objects.engineers()
        else:  # shown only: the engineers each process keeps (no queryset to build)
            field.widget.choices = KeptChoices(
                (("", field.empty_label),), reference.engineers.get()
            )


class InfoRequestForm(ServiceErrorsMixin, forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What is needed"),
        choices=InfoNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    body = _text(_("Request to the customer"), rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _("Required when nothing is ticked above.")

    def service_arguments(self) -> dict[str, Any]:
        return {"body": self.cleaned_data["body"] or "", "needs": self.cleaned_data["needs"]}


class ResolveForm(ServiceErrorsMixin, forms.Form):
    result = _text(_("Result for the customer"), rows=5)


class HandlingMethodForm(ServiceErrorsMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("Handling method"),
        choices=HandlingMethod.choices,
        required=False,
        widget=PlainSelect,
    )


class ContactForm(ServiceErrorsMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("Contact"),
        choices=[
            (HandlingMethod.REMOTE.value, HandlingMethod.REMOTE.label),
            (HandlingMethod.PHONE.value, HandlingMethod.PHONE.label),
        ],
        required=False,
        widget=PlainSelect,
    )
    summary = _text(_("Summary of the session"), rows=4)


def _ticket_number(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "SUP-2026-000123"}
        ),
    )


class MergeForm(ServiceErrorsMixin, forms.Form):
    """Merge this ticket into another (issue 18): the other's number and a confirmation."""

    into = _ticket_number(_("Number of the ticket to merge into"))
    confirm = forms.BooleanField(
        label=_("I understand: this ticket closes as a duplicate and its customer is told."),
        error_messages={"required": _("Tick the box to confirm the merge.")},
    )


class LinkForm(ServiceErrorsMixin, forms.Form):
    """Link a related ticket of any organization by its number (issue 18)."""

    number = _ticket_number(_("Number of the related ticket"))


# The names for_ticket gives its forms.
FOR_TICKET = (
    "assign_form",
    "info_form",
    "resolve_form",
    "method_form",
    "contact_form",
    "merge_form",
    "link_form",
)


def for_ticket(ticket: Any, bound: dict[str, Any]) -> dict[str, Any]:
    """The engineer's forms of a ticket page, by their names in the page's context: each
    filled from a refused attempt (`bound`, by prefix), or fresh for `ticket`. Reads of the
    ticket only its assignee, handling method and tier (whether it is Extended): the kept
    panels (templatetags/engineer_panels.py) build them from those alone."""
    initial_method = {"method": ticket.handling_method or HandlingMethod.PORTAL}
    method_form = bound.get("method") or HandlingMethodForm(prefix="method", initial=initial_method)
    contact_form = bound.get("contact") or ContactForm(prefix="contact")
    if not ticket.tier.extended:  # phone consultations are for Extended tiers only
        for form in (method_form, contact_form):
            field = form.fields["method"]
            field.choices = [c for c in field.choices if c[0] != HandlingMethod.PHONE]
    return {
        "assign_form": bound.get("assign")
        or AssignForm(prefix="assign", initial={"engineer": ticket.assignee_id}),
        "info_form": bound.get("info") or InfoRequestForm(prefix="info"),
        "resolve_form": bound.get("resolve") or ResolveForm(prefix="resolve"),
        "method_form": method_form,
        "contact_form": contact_form,
        "merge_form": bound.get("merge") or MergeForm(prefix="merge"),
        "link_form": bound.get("link") or LinkForm(prefix="link"),
    }
