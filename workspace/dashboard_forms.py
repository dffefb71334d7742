"""The dashboard's period: two dates in the query string, checked, with sensible defaults."""

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from workspace.dashboard import Period, default_period

MAX_DAYS = 366  # a year at most: up to 54 weekly bars still read as bars
# The instants of the period are computed in the business zone; far-off years overflow them.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # A date picker takes and sends ISO dates whatever the page's language.
        attrs = {"class": "form-control form-control-sm", **(attrs or {})}  # Bootstrap's
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """`start` and `end` days, both included; a missing one takes its default.

    Always bound (to the defaults where the query string says nothing), so an invalid period
    is shown back exactly as it was typed, beside what is wrong with it.
    """

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To (included)"), widget=DateInput())

    def __init__(self, query: QueryDict, *, today: datetime.date) -> None:
        start, end = default_period(today)
        data = {"start": start.isoformat(), "end": end.isoformat()}
        data.update({name: query[name] for name in data if query.get(name, "").strip()})
        super().__init__(data)
        example = {"example": today.isoformat()}
        for field in self.fields.values():
            field.error_messages["invalid"] = (
                _("Enter a date in the form YYYY-MM-DD, for example %(example)s.") % example
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        for name, day in (("start", start), ("end", end)):
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Choose a date from %(earliest)s to %(latest)s.")
                    % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
                )
        if self.errors or start is None or end is None:
            return cleaned
        if start > end:
            self.add_error("end", _("The period must not end before it starts."))
        elif (end - start).days + 1 > MAX_DAYS:
            self.add_error(
                "end",
                _("Choose a period of at most %(max)d days; this one has %(days)d.")
                % {"max": MAX_DAYS, "days": (end - start).days + 1},
            )
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}_errors"}
                )

    def period(self, zone: zoneinfo.ZoneInfo) -> Period:
        """The chosen period (call after is_valid())."""
        return Period(start=self.cleaned_data["start"], end=self.cleaned_data["end"], zone=zone)
