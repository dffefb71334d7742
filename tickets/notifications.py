"""Storing notifications with the change that caused them, and handing their mail on.

`notify` runs inside the caller's transaction, so a notification exists exactly when its cause
does (the portal's bell reads it). The e-mail goes out after commit through a Celery task; if
the broker is down the row stays pending and the beat's retry sweep hands it on later. Sending
itself is tickets.mail.
"""

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from accounts.models import User, email_is
from tickets.models import Notification, Ticket, Watcher
from tickets.tasks import deliver_notifications as deliver_notifications_task

logger = logging.getLogger(__name__)
Kind = Notification.Kind

# What a ticket's watchers are told: the ticket's own news, as its customer or assignee is.
# Not the personal ones (an assignment, the call to confirm, the alert to every engineer about
# a new urgent ticket) nor, for customers, the vendor's SLA alerts (WATCHED_BY_ENGINEERS_ONLY).
WATCHED_KINDS = frozenset(
    {
        Kind.REPLY,
        Kind.INFO_REQUESTED,
        Kind.INFO_PROVIDED,
        Kind.RESOLVED,
        Kind.DISPUTED,
        Kind.CONFIRMED,
        Kind.WITHDRAWN,
        Kind.PRIORITY_PROPOSED,
        Kind.PRIORITY_ANSWERED,
        Kind.AUTO_CLOSED,
        Kind.MERGED,
        Kind.TAKEN,
        Kind.SESSION_PROPOSED,
        Kind.SESSION_ANSWERED,
        Kind.SLA_WARNING,
        Kind.SLA_BREACHED,
    }
)
WATCHED_BY_ENGINEERS_ONLY = frozenset({Kind.SLA_WARNING, Kind.SLA_BREACHED})
# Mailed whatever the recipient's preferences: the number goes to the contact at once (2.3),
# and an invitation goes to someone who has no preferences yet.
# The 24×7 on-duty alert (issue 18) is mailed whatever the engineer chose: it may be the only
# way to reach them at night.
ALWAYS_MAILED = frozenset({Kind.REGISTERED, Kind.INVITATION, Kind.ON_DUTY_ALERT})


def mail_preference_kinds(user: User) -> list[tuple[str, str]]:
    """The kinds `user` may choose to get by e-mail or not (the profile page): those a person
    of their role can receive, less those always mailed."""
    vendor_only = {
        Kind.SLA_WARNING,
        Kind.SLA_BREACHED,
        Kind.ASSIGNED,
        Kind.URGENT_REGISTERED,
        Kind.MENTION,
    }
    return [
        (value, label)
        for value, label in Kind.choices
        if value not in ALWAYS_MAILED and (user.is_engineer or value not in vendor_only)
    ]


def build_notifications(
    *,
    ticket: Ticket,
    kind: str,
    recipients: Iterable[User] = (),
    email_to_contact: bool = False,
    data: dict | None = None,
    now: datetime.datetime,
) -> list[Notification]:
    """Unsaved notifications of `ticket` for `recipients`, one per active person.

    Customer-facing notifications go to the ticket's customer on the portal and by e-mail to
    the contact address given in the ticket (regulation 2.3).
    """
    rows: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        email = user.email
        if email_to_contact and user.pk == ticket.customer_id:
            email = _contact_address(ticket, user)
        rows.append(
            Notification(
                recipient=user,
                email=email,
                language=user.language,
                ticket=ticket,
                kind=kind,
                data=data or {},
                created_at=now,
                email_status=Notification.EmailStatus.PENDING,
                email_next_attempt_at=now,
            )
        )
    return rows


def _contact_address(ticket: Ticket, customer: User) -> str:
    """The ticket's contact address if it is still an active person of the ticket's
    organization, else the customer's own: the portal mails its members only."""
    contact = ticket.contact_email
    if not contact or contact.lower() == customer.email.lower():
        return customer.email
    is_member = User.objects.filter(
        email_is(contact), organization_id=ticket.organization_id, is_active=True
    ).exists()
    return contact if is_member else customer.email


def watcher_rows(rows: list[Notification], *, actor: User | None = None) -> list[Notification]:
    """Copies of `rows` for the watchers of their tickets: one query whatever the number of
    tickets (the automatic jobs store many at once).

    A watcher gets a kind once per ticket and event, never their own action's, and only while
    they may still see the ticket: an active engineer, or an active person of its organization
    (who is never told the vendor's SLA alerts).
    """
    events: dict[tuple[int, str], list[Notification]] = {}
    for row in rows:
        if row.ticket_id is not None and row.kind in WATCHED_KINDS:
            events.setdefault((row.ticket_id, row.kind), []).append(row)
    if not events:
        return []
    watchers: dict[int, list[User]] = {}
    for watcher in Watcher.objects.filter(
        ticket_id__in={ticket_id for ticket_id, _kind in events}, user__is_active=True
    ).select_related("user"):
        watchers.setdefault(watcher.ticket_id, []).append(watcher.user)
    extra: list[Notification] = []
    for (ticket_id, kind), told in events.items():
        ticket = told[0].ticket
        already = {row.recipient_id for row in told}
        for user in watchers.get(ticket_id, ()):
            if user.pk in already or (actor is not None and user.pk == actor.pk):
                continue
            if user.is_customer:
                if user.organization_id != ticket.organization_id:
                    continue
                if kind in WATCHED_BY_ENGINEERS_ONLY:
                    continue
            elif not user.is_engineer:
                continue
            already.add(user.pk)
            extra.extend(
                build_notifications(
                    ticket=ticket,
                    kind=kind,
                    recipients=[user],
                    data=told[0].data,
                    now=told[0].created_at,
                )
            )
    return extra


def apply_mail_preferences(rows: list[Notification]) -> None:
    """The one place that honours "which kinds by e-mail" (the profile page): a row whose
    recipient turned its kind off keeps its place on the portal (the bell) and sends no mail.
    Reads the recipients already loaded: no query."""
    for row in rows:
        recipient = row.recipient
        if row.kind in ALWAYS_MAILED or recipient is None or recipient.wants_mail(row.kind):
            continue
        row.email_status = Notification.EmailStatus.NONE
        row.email_next_attempt_at = None


def store_notifications(
    rows: list[Notification], *, actor: User | None = None
) -> list[Notification]:
    """Save notifications (and their copies for the tickets' watchers) in the caller's
    transaction and send the e-mails their recipients want after commit. `actor`, who caused
    them, is not told of their own action as a watcher."""
    rows = [*rows, *watcher_rows(rows, actor=actor)]
    apply_mail_preferences(rows)
    Notification.objects.bulk_create(rows, batch_size=1000)
    ids = [row.pk for row in rows if row.email_status == Notification.EmailStatus.PENDING]
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))
    return rows


def notify(*, actor: User | None = None, **kwargs: Any) -> list[Notification]:
    """build_notifications + store_notifications, for one ticket event caused by `actor`
    (None: the system)."""
    return store_notifications(build_notifications(**kwargs), actor=actor)


def enqueue_delivery(ids: list[int], *, lease: datetime.datetime | None = None) -> list[int]:
    """Hand the e-mails to the workers, one task per chunk; returns the ids left unqueued.

    A dead broker only delays mail: what is left stays pending for the beat's retry sweep
    (or is sent in-process by the sweep itself). `lease` is the reservation the sweep put on
    the rows (see reserve_due_emails).
    """
    chunk_size = settings.EMAIL_DELIVERY_CHUNK
    lease_iso = lease.isoformat() if lease else None
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start : start + chunk_size]
        try:
            deliver_notifications_task.delay(chunk, lease_iso)
        except Exception:  # any broker failure: the rows stay pending for the retry sweep
            logger.warning("Broker unavailable; %d notifications left pending", len(ids) - start)
            return ids[start:]
    return []


def tasks_run_eagerly() -> bool:
    """Whether queued tasks run in this process at once (tests, debugging): no fan-out then."""
    return bool(deliver_notifications_task.app.conf.task_always_eager)


def read_ticket_and_count_unread(*, user_id: int, ticket: Ticket, now: datetime.datetime) -> int:
    """Mark a person's notifications of `ticket` read; return how many stay unread (the bell).

    The ticket page does this on every view: on PostgreSQL one statement, where a count and an
    UPDATE took two round trips whenever anything at all was unread.
    """
    if connection.vendor != "postgresql":  # the SQLite demo: no UPDATE inside a WITH
        unread = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
        return unread - mark_read(user_id=user_id, ticket=ticket, now=now) if unread else 0
    table = connection.ops.quote_name(Notification._meta.db_table)
    # The outer SELECT sees the table as it was before the UPDATE: subtract what it marked.
    sql = f"""
        WITH marked AS (
            UPDATE {table} SET read_at = %s
            WHERE recipient_id = %s AND read_at IS NULL AND ticket_id = %s
            RETURNING 1
        )
        SELECT (SELECT COUNT(*) FROM {table} WHERE recipient_id = %s AND read_at IS NULL)
             - (SELECT COUNT(*) FROM marked)
    """  # noqa: S608 - the table name is the model's own; the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, user_id, ticket.pk, user_id])
        return cursor.fetchone()[0]


def mark_read(*, user_id: int, now: datetime.datetime, ticket: Ticket | None = None) -> int:
    """Mark a person's unread notifications (of one ticket, or all) read; one UPDATE."""
    unread = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
    if ticket is not None:
        unread = unread.filter(ticket=ticket)
    return unread.update(read_at=now)
