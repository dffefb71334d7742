"""What the hotline covers, for the pages that show its number (the rule lives in
tickets.services.registration, where hotline registrations are checked)."""

from django import template

from sla.models import Tier
from tickets.services.registration import hotline_for_emergencies_only

register = template.Library()


@register.filter
def hotline_emergencies_only(tier: Tier) -> bool:
    """Premium's hotline takes Critical problems only; Platinum's any priority."""
    return hotline_for_emergencies_only(tier)
