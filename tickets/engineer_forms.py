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
