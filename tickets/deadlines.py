"""Explaining a ticket's customer-side deadlines with the component used for the SLA ones.

The silence before auto-close (regulation 2.4, docs/regulation.md): the ticket closes at 00:00
of the 11th business day after the later of the moment it began waiting on the customer and
the customer's last activity on the portal. The page shows when, from what, and the days off
on the way, in the same shape as sla.explain's deadline explanations.
"""

import dataclasses
import datetime

from django.utils.translation import gettext as _

from sla import selectors
from sla.explain import SpecialDay
from sla.services import SILENCE_BUSINESS_DAYS
from tickets.models import Ticket


@dataclasses.dataclass(frozen=True)
class SilenceExplanation:
    start: datetime.datetime  # the later of waiting start and last customer activity
    due: datetime.datetime  # the auto-close instant
    calendar: str
    time_zone: str
    special_days: tuple[SpecialDay, ...]
    started_by_activity: bool  # the customer's own activity is the later of the two
    always_open: bool = False

    @property
    def target_text(self) -> str:
        return _(
            "More than %(n)d business days without an answer: closes at 00:00 of the "
            "%(next)dth business day"
        ) % {"n": SILENCE_BUSINESS_DAYS, "next": SILENCE_BUSINESS_DAYS + 1}


def silence_explanation(ticket: Ticket) -> SilenceExplanation | None:
    """Why the ticket closes for silence when it does; None unless that is scheduled."""
    if ticket.auto_close_at is None:
        return None
    anchors = [t for t in (ticket.waiting_since, ticket.last_customer_activity_at) if t]
    if not anchors:
        return None
    start = max(anchors)
    calendar_row = selectors.default_calendar()
    calendar = selectors.customer_calendar()
    return SilenceExplanation(
        start=start.astimezone(calendar.tz),
        due=ticket.auto_close_at.astimezone(calendar.tz),
        calendar=calendar_row.label if calendar_row else str(calendar.tz),
        time_zone=str(calendar.tz),
        special_days=tuple(
            SpecialDay(*item) for item in calendar.explain_span(start, ticket.auto_close_at)
        ),
        started_by_activity=start == ticket.last_customer_activity_at,
    )
