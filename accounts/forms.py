import datetime
import re
import zoneinfo

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User

# Russia's zones from west to east, named by their city in the reader's language: most people
# here pick one of these, so they come first.
RUSSIA = {
    "Europe/Kaliningrad": _("Kaliningrad"),
    "Europe/Moscow": _("Moscow"),
    "Europe/Kirov": _("Kirov"),
    "Europe/Volgograd": _("Volgograd"),
    "Europe/Astrakhan": _("Astrakhan"),
    "Europe/Saratov": _("Saratov"),
    "Europe/Ulyanovsk": _("Ulyanovsk"),
    "Europe/Samara": _("Samara"),
    "Asia/Yekaterinburg": _("Yekaterinburg"),
    "Asia/Omsk": _("Omsk"),
    "Asia/Novosibirsk": _("Novosibirsk"),
    "Asia/Barnaul": _("Barnaul"),
    "Asia/Tomsk": _("Tomsk"),
    "Asia/Novokuznetsk": _("Novokuznetsk"),
    "Asia/Krasnoyarsk": _("Krasnoyarsk"),
    "Asia/Irkutsk": _("Irkutsk"),
    "Asia/Chita": _("Chita"),
    "Asia/Yakutsk": _("Yakutsk"),
    "Asia/Khandyga": _("Khandyga"),
    "Asia/Vladivostok": _("Vladivostok"),
    "Asia/Ust-Nera": _("Ust-Nera"),
    "Asia/Magadan": _("Magadan"),
    "Asia/Sakhalin": _("Sakhalin"),
    "Asia/Srednekolymsk": _("Srednekolymsk"),
    "Asia/Kamchatka": _("Kamchatka"),
    "Asia/Anadyr": _("Anadyr"),
}
# The IANA regions after Russia, nearest first; anything else (old aliases such as
# "US/Eastern") goes last under "Other", so a saved choice always stays selectable.
REGIONS = {
    "Europe": _("Europe"),
    "Asia": _("Asia"),
    "Africa": _("Africa"),
    "America": _("America"),
    "Atlantic": _("Atlantic Ocean"),
    "Indian": _("Indian Ocean"),
    "Australia": _("Australia"),
    "Pacific": _("Pacific Ocean"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
}

Choices = list[tuple[str, str]]
PHONE = re.compile(r"\+?[0-9 ()\-.]+")


def _offset(zone: str, now: datetime.datetime) -> str:
    """ "UTC+3", "UTC-9:30", "UTC" for the zone's offset at `now`."""
    offset = now.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or datetime.timedelta()
    minutes = int(offset.total_seconds()) // 60
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_choices() -> list[tuple[str | Promise, Choices]]:
    """The time zones as <optgroup>s: Russia's by offset, then each region by place name.

    Each label reads "Place (UTC+3)"; the offset is today's, summer time included."""
    now = datetime.datetime.now(tz=datetime.UTC)
    russia = [(zone, f"{name} ({_offset(zone, now)})") for zone, name in RUSSIA.items()]
    grouped: dict[str, Choices] = {region: [] for region in [*REGIONS, ""]}
    for zone in sorted(zoneinfo.available_timezones()):
        region, _slash, place = zone.partition("/")
        if not place or region == "Etc" or zone in RUSSIA:
            continue
        label = zone if region not in REGIONS else place.replace("/", " / ")
        grouped[region if region in REGIONS else ""].append(
            (zone, f"{label.replace('_', ' ')} ({_offset(zone, now)})")
        )
    return [
        (_("Russia"), russia),
        *((REGIONS.get(region, _("Other")), zones) for region, zones in grouped.items() if zones),
    ]


class TimeZoneField(forms.ChoiceField):
    """The grouped time-zone select; static/js/zone-picker.js adds a search box above it."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault(
            "widget", forms.Select(attrs={"data-zone-search": _("Find a time zone: city or UTC+3")})
        )
        super().__init__(choices=zone_choices, **kwargs)  # type: ignore[arg-type]


class PreferencesForm(forms.ModelForm):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "language", "time_zone"]

    def clean_phone(self) -> str:
        phone = " ".join(self.cleaned_data.get("phone", "").split())
        digits = sum(ch.isdigit() for ch in phone)
        if phone and (not PHONE.fullmatch(phone) or digits < 5):
            raise forms.ValidationError(
                _(
                    "Enter a phone number of digits, spaces, +, - and brackets, "
                    "e.g. +7 495 123-45-67."
                )
            )
        return phone
