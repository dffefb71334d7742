"""The forms of the engineer's side of a ticket. As with the customer's forms, they only carry
what was typed; the services decide (and their errors land back on these fields)."""

from collections.abc import Callable
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


def _phone_for_extended_only(form: forms.Form, ticket: Any) -> forms.Form:
    """Phone consultations are for Extended tiers only."""
    if not ticket.tier.extended:
        field = form.fields["method"]
        field.choices = [c for c in field.choices if c[0] != HandlingMethod.PHONE]
    return form


def _method_form(ticket: Any, bound: dict[str, Any]) -> forms.Form:
    initial = {"method": ticket.handling_method or HandlingMethod.PORTAL}
    form = bound.get("method") or HandlingMethodForm(prefix="method", initial=initial)
    return _phone_for_extended_only(form, ticket)


def _contact_form(ticket: Any, bound: dict[str, Any]) -> forms.Form:
    return _phone_for_extended_only(bound.get("contact") or ContactForm(prefix="contact"), ticket)


def _assign_form(ticket: Any, bound: dict[str, Any]) -> forms.Form:
    return bound.get("assign") or AssignForm(
        prefix="assign", initial={"engineer": ticket.assignee_id}
    )


def _fresh(prefix: str, form_class: type[forms.Form]) -> Callable[[Any, dict[str, Any]], Any]:
    return lambda ticket, bound: bound.get(prefix) or form_class(prefix=prefix)


# The engineer's forms of a ticket page, by their names in the page's context: each filled
# from a refused attempt (`bound`, by prefix), or fresh for the ticket. They read of the ticket
# only its assignee, handling method and tier (whether it is Extended): the kept panels
# (templatetags/engineer_panels.py) build them from those alone.
BUILDERS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "assign_form": _assign_form,
    "info_form": _fresh("info", InfoRequestForm),
    "resolve_form": _fresh("resolve", ResolveForm),
    "method_form": _method_form,
    "contact_form": _contact_form,
    "merge_form": _fresh("merge", MergeForm),
    "link_form": _fresh("link", LinkForm),
}
FOR_TICKET = tuple(BUILDERS)


def for_ticket(ticket: Any, bound: dict[str, Any]) -> dict[str, Any]:
    """Every form of BUILDERS for `ticket`."""
    return {name: build(ticket, bound) for name, build in BUILDERS.items()}
