"""Watchers (issue 15): people who follow a ticket besides its customer and assignee.

Any active person of the ticket's organization may follow or unfollow it, and add or remove a
colleague of the same organization; engineers may follow any ticket. What watchers are told is
tickets.notifications.watcher_rows."""

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tickets.errors import ActionNotPermitted
from tickets.models import Ticket, Watcher
from tickets.services._base import check_organization_active, now_or_current, require_visible

if TYPE_CHECKING:
    from accounts.models import User


def _check_may_watch(actor: "User", ticket: Ticket) -> None:
    require_visible(ticket, actor)  # an outsider learns nothing
    if actor.is_customer:
        check_organization_active(actor)
    elif not actor.is_engineer:
        raise ActionNotPermitted(_("Only the organization's people and engineers follow tickets."))


def _watch(ticket: Ticket, user: "User", *, added_by: "User", now: datetime.datetime) -> bool:
    try:
        with transaction.atomic():
            _watcher, created = Watcher.objects.get_or_create(
                ticket=ticket, user=user, defaults={"added_by": added_by, "created_at": now}
            )
    except IntegrityError:  # the same person added at the same moment
        return False
    return created


@transaction.atomic
def ticket_follow(*, actor: "User", ticket: Ticket, now: datetime.datetime | None = None) -> bool:
    """`actor` follows `ticket`; False if they already did."""
    now = now_or_current(now)
    _check_may_watch(actor, ticket)
    return _watch(ticket, actor, added_by=actor, now=now)


@transaction.atomic
def ticket_unfollow(*, actor: "User", ticket: Ticket) -> bool:
    """`actor` stops following `ticket`; False if they did not follow it."""
    require_visible(ticket, actor)
    deleted, _rows = Watcher.objects.filter(ticket=ticket, user=actor).delete()
    return bool(deleted)


@transaction.atomic
def watcher_add(
    *, actor: "User", ticket: Ticket, user: "User", now: datetime.datetime | None = None
) -> Watcher:
    """A person of the ticket's organization adds a colleague of the same organization."""
    now = now_or_current(now)
    _check_may_watch(actor, ticket)
    if not actor.is_customer:
        raise ActionNotPermitted(_("Colleagues are added by the organization's people."))
    if not (user.is_active and user.is_customer and user.organization_id == ticket.organization_id):
        raise ValidationError(
            {
                "user": _("Choose an active colleague of %(organization)s.")
                % {"organization": ticket.organization}
            }
        )
    if user.pk == ticket.customer_id:
        raise ValidationError(
            {
                "user": _("%(person)s filed this ticket and gets its notifications already.")
                % {"person": user}
            }
        )
    if not _watch(ticket, user, added_by=actor, now=now):
        raise ValidationError(
            {"user": _("%(person)s already follows this ticket.") % {"person": user}}
        )
    return Watcher.objects.get(ticket=ticket, user=user)


@transaction.atomic
def watcher_remove(*, actor: "User", ticket: Ticket, user: "User") -> None:
    """Stop `user` following: themselves, or a customer watcher removed by a colleague."""
    require_visible(ticket, actor)
    if user.pk != actor.pk and not (actor.is_customer and user.is_customer):
        raise ActionNotPermitted(_("You may stop following yourself only."))
    Watcher.objects.filter(ticket=ticket, user=user).delete()
