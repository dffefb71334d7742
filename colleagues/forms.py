from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.forms import TimeZoneField
from accounts.models import License
from tickets.forms import ServiceErrorsMixin


class InviteForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail of your colleague"),
        max_length=254,
        error_messages={"invalid": _("Enter a valid e-mail address.")},
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class AcceptForm(ServiceErrorsMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = TimeZoneField()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        return data


class LicensesForm(ServiceErrorsMixin, forms.Form):
    restricted = forms.TypedChoiceField(
        label=_("May file tickets for"),
        choices=[
            ("", _("All licenses of the organization")),
            ("1", _("The licenses chosen below only")),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        widget=forms.RadioSelect,
    )
    licenses = forms.ModelMultipleChoiceField(
        label=_("Licenses"),
        queryset=License.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, licenses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["licenses"].queryset = licenses
        self.fields["licenses"].label_from_instance = lambda lic: f"{lic.key} · {lic.product}"
