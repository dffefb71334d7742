"""What the system does on its own (docs/architecture.md, jobs), for a batch of tickets at once.

The caller (tickets.jobs) has locked the rows with SELECT … FOR UPDATE SKIP LOCKED inside the
current transaction, and selected only rows that are due; each function changes the batch with
one UPDATE, writes one audit event per ticket and stores the notifications, in bulk.
"""

import datetime
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from tickets import deadlines, signals
from tickets.models import Ticket, TicketEvent
from tickets.notifications import build_notifications, store_notifications
from tickets.services._base import Kind, NKind, snapshot
from tickets.services.closing import end_pending_agreements

if TYPE_CHECKING:
    from accounts.models import User


def iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _apply(
    tickets: Sequence[Ticket],
    change: Callable[[Ticket], TicketEvent | None],
) -> None:
    """Run `change` on each ticket, then save what changed in one statement."""
    changed: set[str] = set()
    events = []
    for ticket in tickets:
        before = snapshot(ticket)
        event = change(ticket)
        if event is not None:
            events.append(event)
        changed.update(name for name, value in before.items() if getattr(ticket, name) != value)
    if changed:
        Ticket.objects.bulk_update(tickets, sorted(changed), batch_size=500)
    TicketEvent.objects.bulk_create(events, batch_size=1000)
    if events:
        signals.events_recorded.send(sender=TicketEvent, events=events)


def auto_close(*, tickets: Sequence[Ticket], now: datetime.datetime) -> None:
    """Close tickets the customer left silent for more than 10 business days (2.4).

    Each goes through its FSM transition (which refuses any ticket not waiting on the
    customer), gets close reason `no_customer_response`, an audit event and a notification.
    """
    notifications = []

    def close(ticket: Ticket) -> TicketEvent:
        previous = ticket.state
        ticket.auto_close(now=now)
        deadlines.apply_clock(ticket, previous_state=previous, now=now)
        notifications.extend(
            build_notifications(
                ticket=ticket,
                kind=NKind.AUTO_CLOSED,
                recipients=[ticket.customer],
                email_to_contact=True,
                now=now,
            )
        )
        return TicketEvent(
            ticket=ticket,
            kind=Kind.AUTO_CLOSE,
            from_state=previous,
            to_state=ticket.state,
            created_at=now,
        )

    _apply(tickets, close)
    end_pending_agreements(tickets=tickets, now=now)
    store_notifications(notifications)


def flag_unconfirmed(*, tickets: Sequence[Ticket], now: datetime.datetime) -> None:
    """Flag resolutions not confirmed or disputed in time; remind the customer once."""
    notifications = []

    def flag(ticket: Ticket) -> TicketEvent:
        ticket.unconfirmed_flagged_at = now
        notifications.extend(
            build_notifications(
                ticket=ticket,
                kind=NKind.CONFIRMATION_REMINDER,
                recipients=[ticket.customer],
                email_to_contact=True,
                now=now,
            )
        )
        return TicketEvent(
            ticket=ticket,
            kind=Kind.UNCONFIRMED,
            data={"confirmation_due": iso(ticket.confirmation_due)},
            created_at=now,
        )

    _apply(tickets, flag)
    store_notifications(notifications)


def mark_sla(
    *,
    tickets: Sequence[Ticket],
    deadline: str,
    breached: bool,
    team: Sequence["User"],
    now: datetime.datetime,
) -> None:
    """Record that `deadline` ("reaction" or "resolution") is near (80 %) or breached.

    Each is told once (on the portal and by mail) to the assignee, or to the whole team if
    nobody has the ticket.
    """
    mark = f"{deadline}_{'breached' if breached else 'warned'}_at"
    notifications = []

    def record(ticket: Ticket) -> TicketEvent:
        setattr(ticket, mark, now)
        recipients: Sequence[User] = [ticket.assignee] if ticket.assignee is not None else team
        notifications.extend(
            build_notifications(
                ticket=ticket,
                kind=NKind.SLA_BREACHED if breached else NKind.SLA_WARNING,
                recipients=recipients,
                data={"deadline": deadline},
                now=now,
            )
        )
        return TicketEvent(
            ticket=ticket,
            kind=Kind.SLA_BREACH if breached else Kind.SLA_WARNING,
            data={"deadline": deadline, "due": iso(getattr(ticket, f"{deadline}_due"))},
            created_at=now,
        )

    _apply(tickets, record)
    store_notifications(notifications)
