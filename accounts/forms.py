import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


def _zone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc")
    )
    return [(zone, zone.replace("_", " ")) for zone in zones]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_zone_choices)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "language", "time_zone"]
