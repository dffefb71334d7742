"""SLA: the deadlines a ticket must meet.

The seam the ticket services call. Until the SLA engine lands it computes nothing (None means
"no deadline known"), rather than inventing a deadline that people would then trust.
"""

import dataclasses
import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tickets.models import Ticket


@dataclasses.dataclass(frozen=True)
class Deadlines:
    reaction_due: datetime.datetime | None
    resolution_due: datetime.datetime | None


def deadlines_for(ticket: "Ticket") -> Deadlines:
    """The reaction and resolution deadlines of `ticket` under its tier's and priority's target."""
    return Deadlines(reaction_due=None, resolution_due=None)
