from django import template

from sla.business_time import business_today
from sla.checks import missing_calendar_message, years_without_official_calendar

register = template.Library()


@register.simple_tag
def calendar_warnings() -> list[str]:
    """Banner lines for admin pages: years without an official production calendar."""
    return [
        missing_calendar_message(year) for year in years_without_official_calendar(business_today())
    ]
