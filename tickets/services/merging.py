"""Merging a duplicate into another ticket of the same organization (issue 18).

The duplicate closes (reason `duplicate`, `Ticket.merged_into` set) through the FSM transition
`merge`, like any closing: its clock stops, its pending proposals are withdrawn. Its
conversation and files stay where they are, readable on its own page and in the "Merged from"
section of the target's (selectors.related_tickets_for_user). Its customer and watchers are
told; they and the duplicate's customer follow the target from then on.
"""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import Ticket, Watcher
from tickets.services._base import (
    Kind,
    NKind,
    lock_in_order,
    notify_customer,
    now_or_current,
    require_visible,
    run_transition,
    save_changed,
    snapshot,
    write_event,
)

if TYPE_CHECKING:
    from accounts.models import User


def _check_target(ticket: Ticket, into: Ticket) -> None:
    """Refuse a target the duplicate cannot go into, naming it (the form's number field)."""
    if into.pk == ticket.pk:
        raise ValidationError({"into": _("A ticket cannot be merged into itself.")})
    if into.merged_into_id is not None:
        raise ValidationError(
            {
                "into": _("%(number)s was itself merged into another ticket: merge into that one.")
                % {"number": into.number}
            }
        )
    if not into.is_open:
        raise ValidationError(
            {
                "into": _("%(number)s is closed: merge only into an open ticket.")
                % {"number": into.number}
            }
        )
    if into.organization_id != ticket.organization_id:
        raise ValidationError(
            {
                "into": _(
                    "%(number)s belongs to another organization: only tickets of one "
                    "organization are merged. Link them as related tickets instead."
                )
                % {"number": into.number}
            }
        )


def _carry_watchers(ticket: Ticket, into: Ticket, *, actor: "User", now: datetime.datetime) -> int:
    """The duplicate's watchers, and its customer, follow the target (each once): whoever
    followed the problem keeps hearing of it. Returns how many were added."""
    people = set(ticket.watchers.values_list("user_id", flat=True)) | {ticket.customer_id}
    people -= {into.customer_id, into.assignee_id}
    people -= set(into.watchers.values_list("user_id", flat=True))
    rows = [
        Watcher(ticket=into, user_id=user_id, added_by=actor, created_at=now)
        for user_id in sorted(people)
    ]
    created = Watcher.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


@transaction.atomic
def ticket_merge(
    *, actor: "User", ticket: Ticket, into: Ticket, now: datetime.datetime | None = None
) -> Ticket:
    """Close `ticket` as a duplicate of `into` (an open ticket of the same organization).

    Engineers only. Both rows are locked in id order; the refusals say what is wrong: not an
    engineer, the ticket closed already, into itself, into a closed or merged ticket, across
    organizations. An audit event on each ticket; the duplicate's customer (and watchers) told.
    """
    now = now_or_current(now)
    require_visible(ticket, actor)
    if not actor.is_engineer:
        raise ActionNotPermitted(_("Only support engineers merge tickets."))
    if into.pk == ticket.pk:
        _check_target(ticket, into)
    current = lock_in_order(ticket, into)
    if not current[ticket.pk].is_open:
        raise ActionNotAllowedNow(
            _("This ticket is closed already: only an open ticket is merged into another.")
        )
    target = current[into.pk]
    _check_target(ticket, target)
    run_transition(ticket, "merge", actor=actor, now=now, into=target, data={"into": target.number})
    before = snapshot(target)
    target.updated_at = now
    save_changed(target, before)
    carried = _carry_watchers(ticket, target, actor=actor, now=now)
    write_event(
        target,
        Kind.MERGED_FROM,
        actor=actor,
        now=now,
        data={"ticket": ticket.number, "watchers_added": carried},
    )
    notify_customer(ticket, NKind.MERGED, now=now, actor=actor, data={"into": target.number})
    return ticket
