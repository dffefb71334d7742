"""How close an open ticket is to missing its nearest deadline: the badge of the queue.

One definition, in SQL, shared by the queue and the dashboard so both count the same tickets.
It reads the ticket's real deadline (`sla_due`), which is the queue key `queue_due` except for
a disputed ticket: that one sorts at the top of the queue from the moment of the dispute, but
its deadline is the resumed resolution deadline, and only that may call it breached.
- breached: the nearest unmet deadline has passed;
- at risk: 80 % of that target's time is gone (the warn mark the SLA engine keeps);
- on time: otherwise;
- waiting: the customer has the move, no vendor deadline runs (queue_due is empty).
"""

import datetime

from django.db import models
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from tickets.models import CLOCK_RUNNING_STATES, State


class Urgency(models.TextChoices):
    BREACHED = "breached", _("Breached")
    AT_RISK = "at_risk", _("At risk")
    ON_TIME = "on_time", _("On time")
    WAITING = "waiting", _("Waiting on the customer")


def sla_due() -> Case:
    """The deadline a ticket's badge counts down to (see the module docstring)."""
    return Case(
        When(state=State.DISPUTED, then=F("resolution_due")),
        default=F("queue_due"),
        output_field=models.DateTimeField(),
    )


def breached_q(now: datetime.datetime) -> Q:
    # queue_due <= resolution_due always holds for a disputed ticket, so the first condition
    # stays on the queue index and the second only looks at the few disputed rows it found.
    return Q(queue_due__lte=now) & (~Q(state=State.DISPUTED) | Q(resolution_due__lte=now))


def at_risk_q(now: datetime.datetime) -> Q:
    warned = Q(state=State.REGISTERED, reaction_warn_at__lte=now) | Q(
        state__in=CLOCK_RUNNING_STATES, resolution_warn_at__lte=now
    )
    not_breached = (Q(queue_due__gt=now) & ~Q(state=State.DISPUTED)) | Q(
        state=State.DISPUTED, resolution_due__gt=now
    )
    return not_breached & warned


def with_urgency(tickets: QuerySet, now: datetime.datetime) -> QuerySet:
    """Annotate `urgency` (an Urgency value) and `sla_due` (the real deadline) on open tickets."""
    return tickets.annotate(
        sla_due=sla_due(),
        urgency=Case(
            When(queue_due__isnull=True, then=Value(Urgency.WAITING.value)),
            When(breached_q(now), then=Value(Urgency.BREACHED.value)),
            When(at_risk_q(now), then=Value(Urgency.AT_RISK.value)),
            default=Value(Urgency.ON_TIME.value),
            output_field=models.CharField(),
        ),
    )
