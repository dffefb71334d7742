"""What ends with a ticket: agreements still waiting for an answer (regulation 2.3).

A priority proposal or a session proposal needs the other side's answer; once the ticket is
closed (confirmed, withdrawn, closed for silence) nobody can give it, so the proposal is
withdrawn, with an audit event that says so. One UPDATE per kind for a whole batch of tickets.
"""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tickets.models import PriorityChange, SessionProposal, Ticket, TicketEvent

if TYPE_CHECKING:
    from accounts.models import User


def end_pending_agreements(
    *, tickets: Sequence[Ticket], now: datetime.datetime, actor: "User | None" = None
) -> int:
    """Withdraw the pending priority and session proposals of closed `tickets`; how many."""
    ids = [ticket.pk for ticket in tickets]
    events: list[TicketEvent] = []
    for model, kind in (
        (PriorityChange, TicketEvent.Kind.PRIORITY_WITHDRAWN),
        (SessionProposal, TicketEvent.Kind.SESSION_WITHDRAWN),
    ):
        pending = model.objects.select_for_update().filter(
            ticket_id__in=ids, status=model.Status.PENDING
        )
        ended = list(pending.values_list("pk", "ticket_id"))
        if not ended:
            continue
        answered = {"decided_at": now} if model is PriorityChange else {"answered_at": now}
        model.objects.filter(pk__in=[pk for pk, _ in ended]).update(
            status=model.Status.WITHDRAWN, **answered
        )
        events.extend(
            TicketEvent(
                ticket_id=ticket_id,
                actor=actor,
                kind=kind,
                data={"proposal": pk, "reason": "ticket_closed"},
                created_at=now,
            )
            for pk, ticket_id in ended
        )
    TicketEvent.objects.bulk_create(events)
    return len(events)
