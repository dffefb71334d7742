"""How close an open ticket is to missing its nearest deadline: the badge of the queue.

One definition, in SQL, shared by the queue and the dashboard so both count the same tickets:
- breached: the nearest unmet deadline (queue_due) has passed;
- at risk: 80 % of that target's time is gone (the warn mark the SLA engine keeps);
- on time: otherwise;
- waiting: the customer has the move, no vendor deadline runs (queue_due is empty).
"""

import datetime

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from tickets.models import CLOCK_RUNNING_STATES, State


class Urgency(models.TextChoices):
    BREACHED = "breached", _("Breached")
    AT_RISK = "at_risk", _("At risk")
    ON_TIME = "on_time", _("On time")
    WAITING = "waiting", _("Waiting on the customer")


def breached_q(now: datetime.datetime) -> Q:
    return Q(queue_due__lte=now)


def at_risk_q(now: datetime.datetime) -> Q:
    warned = Q(state=State.REGISTERED, reaction_warn_at__lte=now) | Q(
        state__in=CLOCK_RUNNING_STATES, resolution_warn_at__lte=now
    )
    return Q(queue_due__gt=now) & warned


def with_urgency(tickets: QuerySet, now: datetime.datetime) -> QuerySet:
    """Annotate `urgency` (an Urgency value) on open tickets."""
    return tickets.annotate(
        urgency=Case(
            When(queue_due__isnull=True, then=Value(Urgency.WAITING.value)),
            When(breached_q(now), then=Value(Urgency.BREACHED.value)),
            When(at_risk_q(now), then=Value(Urgency.AT_RISK.value)),
            default=Value(Urgency.ON_TIME.value),
            output_field=models.CharField(),
        )
    )
