"""The rules of duty (issue 18, docs/regulation.md): who handles a ticket, who is at work.

`Duty` is what the rules read of one engineer: their profile, or the defaults for an engineer
without one (every tier and area, the default business calendar, not on the 24×7 roster).
`handling_refusal` is the one rule every assignment obeys: the manual one
(tickets.services.lifecycle.ticket_assign, which the queue's bulk assignment and the API call
too) and the automatic one (tickets.services.assignment).
"""

import dataclasses
import datetime

from django.utils.translation import gettext as _

from sla import selectors as sla_selectors
from sla.models import Calendar, Tier


@dataclasses.dataclass(frozen=True)
class Duty:
    engineer_id: int
    name: str
    tier_ids: frozenset[str]  # empty: every tier
    area_ids: frozenset[int]  # empty: every product area
    calendar: Calendar | None  # None: the default business calendar
    on_duty_24x7: bool
    last_auto_assigned_at: datetime.datetime | None
    has_profile: bool

    def handles_tier(self, tier_id: str) -> bool:
        return not self.tier_ids or tier_id in self.tier_ids

    def handles_area(self, area_id: int | None) -> bool:
        # A ticket without a product area is everyone's who handles its tier.
        return area_id is None or not self.area_ids or area_id in self.area_ids

    def handles(self, tier_id: str, area_id: int | None) -> bool:
        return self.handles_tier(tier_id) and self.handles_area(area_id)

    def is_at_work(self, now: datetime.datetime, default: Calendar | None) -> bool:
        """Within the working hours of the engineer's calendar at `now`."""
        calendar = sla_selectors.business_calendar(self.calendar or default)
        return calendar.is_working_at(now)


def handling_refusal(
    duty: Duty, *, tier: Tier, area_id: int | None, area_label: str = ""
) -> str | None:
    """Why `duty`'s engineer may not be given a ticket of `tier` and `area_id`, or None."""
    if not duty.handles_tier(tier.pk):
        return _(
            "%(name)s does not handle %(tier)s support: their duty profile lists other tiers. "
            "Choose an engineer who handles %(tier)s, or add the tier to their profile."
        ) % {"name": duty.name, "tier": tier.label}
    if not duty.handles_area(area_id):
        return _(
            "%(name)s does not handle the product area %(area)s: their duty profile lists "
            "other areas. Choose an engineer who handles it, or add the area to their profile."
        ) % {"name": duty.name, "area": area_label}
    return None
