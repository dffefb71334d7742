"""The vendor's business time zone (settings.BUSINESS_TIME_ZONE): its today and its dates.

Filing days, ticket-number years, dashboard periods and the calendar checks all count in this
zone; the one place that reads the setting.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone


def business_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.BUSINESS_TIME_ZONE)


def business_date(instant: datetime.datetime) -> datetime.date:
    """The date `instant` falls on in the business zone."""
    return instant.astimezone(business_zone()).date()


def business_today() -> datetime.date:
    return timezone.localdate(timezone=business_zone())
