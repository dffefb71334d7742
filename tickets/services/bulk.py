"""Acting on many tickets at once (the queue's bulk take and assign).

Each ticket goes through its own service call in its own transaction, so one refusal stops
none of the others; the caller gets an outcome per number, in the order given.
"""

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from tickets.errors import TicketActionError
from tickets.models import Ticket
from tickets.services.lifecycle import ticket_assign, ticket_take

if TYPE_CHECKING:
    from accounts.models import User


@dataclasses.dataclass(frozen=True)
class BulkOutcome:
    number: str
    done: bool
    reasons: tuple[str, ...] = ()  # why it was refused, in the actor's language
    missing: bool = False  # no ticket the actor may see has this number


def _each(
    *, actor: "User", numbers: Sequence[str], act: Callable[[Ticket], object]
) -> list[BulkOutcome]:
    # Only tickets the actor may see: any other number is no ticket at all (never "forbidden").
    found = {t.number: t for t in Ticket.objects.visible_to(actor).filter(number__in=numbers)}
    outcomes = []
    for number in numbers:
        ticket = found.get(number)
        if ticket is None:
            outcomes.append(BulkOutcome(number, False, missing=True))
            continue
        try:
            act(ticket)
        except TicketActionError as error:
            outcomes.append(BulkOutcome(number, False, (str(error.message),)))
        except ValidationError as error:
            outcomes.append(BulkOutcome(number, False, tuple(error.messages)))
        else:
            outcomes.append(BulkOutcome(number, True))
    return outcomes


def tickets_bulk_take(*, actor: "User", numbers: Sequence[str]) -> list[BulkOutcome]:
    """Take each ticket into work as `actor` (ticket_take)."""
    return _each(
        actor=actor, numbers=numbers, act=lambda ticket: ticket_take(actor=actor, ticket=ticket)
    )


def tickets_bulk_assign(
    *, actor: "User", numbers: Sequence[str], engineer: "User"
) -> list[BulkOutcome]:
    """Assign each ticket to `engineer` (ticket_assign)."""
    return _each(
        actor=actor,
        numbers=numbers,
        act=lambda ticket: ticket_assign(actor=actor, ticket=ticket, engineer=engineer),
    )
