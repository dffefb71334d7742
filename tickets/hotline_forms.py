"""The forms of the hotline page. As elsewhere they carry what was typed; the services
(tickets.services.hotline) decide, and their errors land back on these fields.

The caller is chosen by a search on the page, never typed: the forms carry the chosen
customer's id in a hidden field, and the license is picked among their organization's.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import License, User
from tickets.forms import ServiceErrorsMixin, TicketForm
from tickets.models import HotlineCall

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"

Outcome = HotlineCall.Outcome

# "Registered" is what the register form does; logging a call only offers the rest.
LOG_OUTCOMES = [
    (Outcome.ADVICE.value, Outcome.ADVICE.label),
    (Outcome.LINKED.value, Outcome.LINKED.label),
    (Outcome.NOT_ELIGIBLE.value, Outcome.NOT_ELIGIBLE.label),
    (Outcome.OTHER.value, Outcome.OTHER.label),
]


class CallerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the caller"),
        required=False,
        max_length=100,
        help_text=_("Name, e-mail, organization or license key."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class _CallFields(ServiceErrorsMixin, forms.Form):
    """What every logged call records besides its outcome."""

    caller = forms.IntegerField(required=False, widget=forms.HiddenInput)
    caller_phone = forms.CharField(label=_("Caller's phone"), required=False, max_length=40)
    called_at = forms.DateTimeField(
        label=_("Call time"),
        required=False,
        help_text=_("In your time zone; empty means now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT),
    )
    notes = forms.CharField(
        label=_("Notes on the call"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _license_field(*, required_hint: bool) -> forms.ModelChoiceField:
    attrs = {"required": True} if required_hint else {}
    return forms.ModelChoiceField(
        label=_("License"),
        queryset=License.objects.none(),
        required=False,
        empty_label=None if required_hint else _("—"),
        widget=forms.RadioSelect(attrs=attrs) if required_hint else forms.Select,
    )


class HotlineRegisterForm(_CallFields, TicketForm):
    """A ticket registered during the call for the chosen caller, and the call logged."""

    license_key = None  # the license is chosen, not typed
    license = _license_field(required_hint=True)

    def __init__(
        self,
        *args: Any,
        licenses: QuerySet[License],
        contacts: Iterable[User] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, contacts=contacts, **kwargs)
        self.fields["license"].queryset = licenses
        if not self.is_bound and len(choices := list(licenses[:2])) == 1:
            self.initial.setdefault("license", choices[0].pk)  # the only one: nothing to choose
        self.fields["license"].help_text = _(
            "The organization's licenses with Extended support active today."
        )
        self.fields["contact_email"].help_text = _(
            "Who of the caller's organization gets the ticket number and updates."
        )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "license": data["license"],
            "product_version": data["product_version"],
            "priority": data["priority"] or "",
            "subject": data["subject"],
            "description": data["description"],
            "diagnostics": data["diagnostics"],
            "contact_email": data["contact_email"],
            "files": data["files"],
            "called_at": data["called_at"],
            "caller_phone": data["caller_phone"],
            "notes": data["notes"],
        }


class HotlineLogForm(_CallFields):
    """A call logged without registering a ticket."""

    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=200)
    license = _license_field(required_hint=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=LOG_OUTCOMES, required=False, widget=forms.RadioSelect
    )
    ticket = forms.CharField(
        label=_("Ticket number"),
        required=False,
        max_length=40,
        help_text=_("For a call about an existing ticket."),
    )
    field_order = ["caller_name", "caller_phone", "license", "outcome", "ticket", "notes"]

    def __init__(self, *args: Any, licenses: QuerySet[License], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["license"].queryset = licenses
