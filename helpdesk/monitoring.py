"""What operations watch, read in a few set-based queries (helpdesk/health.py, metrics.py).

Each figure is one query on an index the portal already keeps: the open tickets by state and
the breached ones on the queue's partial index, the outbox backlog on the index of mail due.
"""

import datetime

from django.db.models import Count

from tickets.beat import SWEEP
from tickets.models import OPEN_STATES, Notification, SweepRun, Ticket
from workspace.urgency import breached_q


def open_tickets_by_state() -> dict[str, int]:
    """Every open state, with 0 for a state no ticket is in."""
    found = dict(Ticket.objects.open().order_by().values_list("state").annotate(count=Count("id")))
    return {str(state): found.get(state, 0) for state in OPEN_STATES}


def breached_now(now: datetime.datetime) -> int:
    """Open tickets past their nearest unmet deadline: the queue's and dashboard's "breached"."""
    return Ticket.objects.open().filter(breached_q(now)).count()


def outbox_backlog() -> int:
    """Notification mails not yet sent and not given up."""
    return Notification.objects.filter(email_status=Notification.EmailStatus.PENDING).count()


def last_sweep() -> SweepRun | None:
    return SweepRun.objects.filter(name=SWEEP).first()
