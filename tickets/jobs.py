"""The periodic jobs (docs/architecture.md, "Jobs"): auto-close, unconfirmed, SLA, e-mail.

Every job selects its work with one indexed query for rows that are due (each has a partial
index), claims them with SELECT … FOR UPDATE SKIP LOCKED so two runs at once never take the same
row, and acts in batches through tickets.services.automation. What a job did is recorded on the
row and excluded by the next query, so a second run changes nothing, and rows that fell due
while nothing ran are simply due now: the jobs catch up after downtime.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import User
from tickets.mail import deliver_emails, reserve_due_emails
from tickets.models import (
    CLOCK_RUNNING_STATES,
    WAITING_ON_CUSTOMER_STATES,
    State,
    SweepRun,
    Ticket,
)
from tickets.notifications import enqueue_delivery, tasks_run_eagerly
from tickets.services import automation

BATCH_SIZE = 500


def _drain(due: QuerySet[Ticket], order_by: str, act: Callable[[list[Ticket]], None]) -> int:
    """Claim and process due rows in batches until none is left; returns how many."""
    done = 0
    while True:
        with transaction.atomic():
            batch = list(
                due.select_for_update(skip_locked=True, of=("self",))
                .select_related("customer", "assignee")
                .order_by(order_by)[:BATCH_SIZE]
            )
            if batch:
                act(batch)
        done += len(batch)
        if len(batch) < BATCH_SIZE:
            return done


def auto_close(*, now: datetime.datetime) -> int:
    due = Ticket.objects.filter(state__in=WAITING_ON_CUSTOMER_STATES, auto_close_at__lte=now)
    return _drain(due, "auto_close_at", lambda batch: automation.auto_close(tickets=batch, now=now))


def flag_unconfirmed(*, now: datetime.datetime) -> int:
    due = Ticket.objects.filter(
        state=State.RESOLVED, unconfirmed_flagged_at__isnull=True, confirmation_due__lte=now
    )
    return _drain(
        due,
        "confirmation_due",
        lambda batch: automation.flag_unconfirmed(tickets=batch, now=now),
    )


def _engineers() -> list[User]:
    return list(User.objects.engineers())


def watch_sla(*, now: datetime.datetime) -> dict[str, int]:
    """Warn at 80 % of each target's time and mark breaches, once per ticket and deadline.

    Both go to the assignee, or to every engineer while nobody has the ticket.
    """
    team: list[User] | None = None

    def mark(deadline: str, breached: bool) -> Callable[[list[Ticket]], None]:
        def act(batch: list[Ticket]) -> None:
            nonlocal team
            if team is None:
                team = _engineers()
            automation.mark_sla(
                tickets=batch, deadline=deadline, breached=breached, team=team, now=now
            )

        return act

    running = Ticket.objects.filter(state__in=CLOCK_RUNNING_STATES)
    waiting_reaction = Ticket.objects.filter(state=State.REGISTERED)
    return {
        "reaction_warnings": _drain(
            # A deadline already passed is breached, not approaching: no warning for it.
            waiting_reaction.filter(
                reaction_warned_at__isnull=True, reaction_warn_at__lte=now, reaction_due__gt=now
            ),
            "reaction_warn_at",
            mark("reaction", breached=False),
        ),
        "reaction_breaches": _drain(
            waiting_reaction.filter(reaction_breached_at__isnull=True, reaction_due__lte=now),
            "reaction_due",
            mark("reaction", breached=True),
        ),
        "resolution_warnings": _drain(
            running.filter(
                resolution_warned_at__isnull=True,
                resolution_warn_at__lte=now,
                resolution_due__gt=now,
            ),
            "resolution_warn_at",
            mark("resolution", breached=False),
        ),
        "resolution_breaches": _drain(
            running.filter(resolution_breached_at__isnull=True, resolution_due__lte=now),
            "resolution_due",
            mark("resolution", breached=True),
        ),
    }


def retry_email(*, now: datetime.datetime) -> dict[str, int]:
    """Send e-mail still pending after its task should have sent it: retries whose backoff
    ended, and mail whose task never ran (broker down, worker killed).

    Due rows are reserved a chunk at a time and fanned out to the workers, one task per chunk,
    so a backlog drains as fast as the workers and the mail server go. While the broker is
    down (and when tasks run eagerly, as in tests) the chunks are sent from here instead.
    """
    report = {"emails_queued": 0, "emails_sent": 0, "emails_failed": 0}
    chunk = settings.EMAIL_DELIVERY_CHUNK
    fan_out = not tasks_run_eagerly()
    while True:
        ids, lease = reserve_due_emails(now=now, limit=chunk)
        left = enqueue_delivery(ids, lease=lease) if fan_out else ids
        report["emails_queued"] += len(ids) - len(left)
        if left:
            fan_out = False  # the broker refused this chunk: it would refuse the next ones
            outcomes = deliver_emails(left, now=now, lease=lease)
            report["emails_sent"] += outcomes.get("sent", 0) + outcomes.get("unmarked", 0)
            report["emails_failed"] += outcomes.get("retry", 0) + outcomes.get("failed", 0)
        if len(ids) < chunk:
            return report


def sweep(*, now: datetime.datetime) -> dict[str, int]:
    """Run every periodic job once at `now`; returns what each did."""
    report = {
        "unconfirmed_flagged": flag_unconfirmed(now=now),
        **watch_sla(now=now),
        "auto_closed": auto_close(now=now),
    }
    report.update(retry_email(now=now))
    return report


def record_sweep(
    *, name: str, started_at: datetime.datetime, duration: float, report: dict[str, int]
) -> None:
    """Keep when the sweep `name` last finished and how long it took (one row per name)."""
    SweepRun.objects.update_or_create(
        name=name,
        defaults={
            "started_at": started_at,
            "finished_at": started_at + datetime.timedelta(seconds=duration),
            "duration_seconds": duration,
            "report": report,
        },
    )
