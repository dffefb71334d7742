"""Reads of duty data: the settings (kept per process) and the engineers' duties."""

import dataclasses
from collections.abc import Iterable

from accounts.models import User
from accounts.reference import Kept
from duty.models import AssignmentSettings
from duty.rules import Duty


@dataclasses.dataclass(frozen=True)
class Shift:
    """The auto-assignment settings as the chooser reads them."""

    enabled: bool
    tier_ids: frozenset[str]
    priority_ids: frozenset[str]

    def round_the_clock(self, tier_id: str, priority_id: str) -> bool:
        """Whether a ticket of this tier and priority belongs to the 24×7 shift."""
        return tier_id in self.tier_ids and priority_id in self.priority_ids


def _load_shift() -> Shift:
    row = AssignmentSettings.load()
    return Shift(
        enabled=row.enabled,
        tier_ids=frozenset(row.round_the_clock_tiers.values_list("pk", flat=True)),
        priority_ids=frozenset(row.round_the_clock_priorities.values_list("pk", flat=True)),
    )


shift = Kept(_load_shift)
"""The settings, read again only after a change anywhere (accounts/reference.py)."""


def _duty_of(user: User) -> Duty:
    profile = getattr(user, "duty", None)
    if profile is None:
        return Duty(user.pk, str(user), frozenset(), frozenset(), None, False, None, False)
    return Duty(
        engineer_id=user.pk,
        name=str(user),
        tier_ids=frozenset(t.pk for t in profile.tiers.all()),
        area_ids=frozenset(a.pk for a in profile.areas.all()),
        calendar=profile.calendar,
        on_duty_24x7=profile.on_duty_24x7,
        last_auto_assigned_at=profile.last_auto_assigned_at,
        has_profile=True,
    )


def duties(users: Iterable[User] | None = None) -> list[Duty]:
    """The duties of the active engineers (or of `users`): three queries however many."""
    people = (
        User.objects.engineers()
        if users is None
        else User.objects.filter(pk__in=[u.pk for u in users])
    )
    people = people.select_related("duty", "duty__calendar").prefetch_related(
        "duty__tiers", "duty__areas"
    )
    return [_duty_of(user) for user in people]


def duty_of(engineer: User) -> Duty:
    return duties([engineer])[0]
