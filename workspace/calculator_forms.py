"""The SLA calculator's form: a tier, a priority, a time zone, and one event per line.

A line reads `2026-11-27 10:00 registered` (date, time in the chosen zone, event), with the new
priority after `priority_change`: `2026-12-01 12:00 priority_change critical`. Blank lines and
lines starting with # are skipped, so a pasted timeline can carry notes.
"""

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from sla.models import Priority, Tier
from tickets.clock import EVENT_KINDS, TimelineError, TimelineEvent

EXAMPLE = "2026-11-27 10:00 registered\n2026-11-27 11:00 take\n2026-11-29 12:00 resolve\n"
LINE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")


def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class CalculatorForm(forms.Form):
    tier = forms.ModelChoiceField(
        label=_("Support tier"), queryset=Tier.objects.all(), empty_label=None
    )
    priority = forms.ModelChoiceField(
        label=_("Priority at registration"), queryset=Priority.objects.all(), empty_label=None
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_zone_choices,
        help_text=_("The times you type are read in this zone, and the results shown in it."),
    )
    events = forms.CharField(
        label=_("Events, one per line"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_(
            "Date, time and event on each line, in time order, starting with “registered”; "
            "after priority_change, the new priority. For example: 2026-12-01 12:00 "
            "priority_change critical"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "tier": "standard",
                "priority": "medium",
                "time_zone": settings.BUSINESS_TIME_ZONE,
                "events": EXAMPLE,
            },
        )
        super().__init__(*args, **kwargs)
        self.line_numbers: list[int] = []  # of each parsed event, to name the line in errors

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.cleaned_data["time_zone"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "time_zone" in cleaned and "events" in cleaned:
            cleaned["events"] = self._parse(cleaned["events"])
        return cleaned

    def _parse(self, text: str) -> list[TimelineEvent]:
        zone = zoneinfo.ZoneInfo(self.cleaned_data["time_zone"])
        events: list[TimelineEvent] = []
        errors: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if len(words) < 3:
                errors.append(
                    _("Line %(line)d: write the date, the time and the event, as in the example.")
                    % {"line": number}
                )
                continue
            at = _local_instant(f"{words[0]} {words[1]}", zone)
            if at is None:
                errors.append(
                    _("Line %(line)d: “%(text)s” is not a date and time like 2026-11-27 10:00.")
                    % {"line": number, "text": f"{words[0]} {words[1]}"}
                )
                continue
            kind, rest = words[2], words[3:]
            if kind not in EVENT_KINDS:
                errors.append(
                    _("Line %(line)d: “%(kind)s” is not an event; the events are: %(kinds)s.")
                    % {"line": number, "kind": kind, "kinds": ", ".join(EVENT_KINDS)}
                )
                continue
            events.append(TimelineEvent(kind=kind, at=at, priority=rest[0] if rest else ""))
            self.line_numbers.append(number)
        if not errors and not events:
            errors.append(_("Add the events, starting with “registered”."))
        if errors:
            self.add_error("events", errors)
        return events

    def add_timeline_error(self, error: TimelineError) -> None:
        """Show the engine's refusal next to the events, naming the line it came from."""
        line = self.line_numbers[error.index] if error.index < len(self.line_numbers) else 1
        self.add_error(
            "events",
            _("Line %(line)d (%(kind)s): %(reason)s")
            % {"line": line, "kind": error.kind, "reason": error.reason},
        )


def _local_instant(text: str, zone: zoneinfo.ZoneInfo) -> datetime.datetime | None:
    for pattern in LINE_FORMATS:
        try:
            naive = datetime.datetime.strptime(text, pattern)  # noqa: DTZ007 - zone set below
        except ValueError:
            continue
        return naive.replace(tzinfo=zone)
    return None
