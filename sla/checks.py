"""Tell admins when a year has no official production calendar loaded (docs/architecture.md)."""

import datetime

from django.core.checks import Warning as CheckWarning
from django.core.checks import register
from django.utils.translation import gettext as _

from sla.business_time import business_today
from sla.production_calendar import official_years


def years_without_official_calendar(today: datetime.date) -> list[int]:
    """This year and the next (deadlines reach into it) when the decree data is missing."""
    known = official_years()
    return [year for year in (today.year, today.year + 1) if year not in known]


def missing_calendar_message(year: int) -> str:
    return _(
        "No official Russian production calendar is loaded for %(year)d: deadlines in %(year)d "
        "count only the statutory holidays and are marked provisional. Upgrade the “holidays” "
        "package, or enter the year's transferred days off as calendar exceptions."
    ) % {"year": year}


@register()
def production_calendar_years(app_configs: object = None, **kwargs: object) -> list:
    return [
        CheckWarning(missing_calendar_message(year), id="sla.W001")
        for year in years_without_official_calendar(business_today())
    ]
