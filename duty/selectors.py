"""Reads of duty data: the settings (kept per process) and the engineers' duties."""

import dataclasses

from accounts.models import User
from accounts.reference import Kept
from duty.models import AssignmentSettings, DutyProfile
from duty.rules import Duty
from sla.models import Calendar


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


@dataclasses.dataclass(frozen=True)
class Roster:
    """Every active engineer's duty, and the default business calendar (for those without
    a calendar of their own)."""

    duties: tuple[Duty, ...]
    default_calendar: Calendar | None

    def of(self, engineer: User) -> Duty:
        found = next((d for d in self.duties if d.engineer_id == engineer.pk), None)
        return found or _default_duty(engineer.pk, str(engineer))


def _default_duty(pk: int, name: str) -> Duty:
    return Duty(pk, name, frozenset(), frozenset(), None, False, None, False)


def _load_roster() -> Roster:
    """Four light queries (tuples, no model instances: 100 engineers with their tiers and
    areas as objects took tens of milliseconds per registration)."""
    people = User.objects.engineers().values_list(
        "pk",
        "first_name",
        "last_name",
        "email",
        "duty__engineer_id",
        "duty__calendar_id",
        "duty__on_duty_24x7",
    )
    tiers: dict[int, set[str]] = {}
    for profile_id, tier_id in DutyProfile.tiers.through.objects.values_list(
        "dutyprofile_id", "tier_id"
    ):
        tiers.setdefault(profile_id, set()).add(tier_id)
    areas: dict[int, set[int]] = {}
    for profile_id, area_id in DutyProfile.areas.through.objects.values_list(
        "dutyprofile_id", "productarea_id"
    ):
        areas.setdefault(profile_id, set()).add(area_id)
    calendars = {c.pk: c for c in Calendar.objects.all()}
    duties = []
    for pk, first, last, email, profile, calendar_id, on_duty in people:
        name = f"{first} {last}".strip() or email  # as User.__str__
        if profile is None:
            duties.append(_default_duty(pk, name))
            continue
        duties.append(
            Duty(
                engineer_id=pk,
                name=name,
                tier_ids=frozenset(tiers.get(pk, ())),
                area_ids=frozenset(areas.get(pk, ())),
                calendar=calendars.get(calendar_id) if calendar_id else None,
                on_duty_24x7=on_duty,
                last_auto_assigned_at=None,  # read under lock when choosing
                has_profile=True,
            )
        )
    default = next((c for c in calendars.values() if c.is_default), None)
    return Roster(tuple(duties), default)


roster = Kept(_load_roster)
"""The active engineers' duties, read again only after a change of an engineer, a profile,
a calendar or the settings anywhere (accounts/reference.py): no query per registration."""


def duty_of(engineer: User) -> Duty:
    return roster.get().of(engineer)
