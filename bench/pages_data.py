"""What the page benchmarks read beside the load: shared by bench_pages.py and the load test.

Import after bench.bench_jobs (it sets the environment and runs django.setup()).

On top of bench_jobs.py's load (reused as it is, never reloaded here) it makes, idempotently:
- the big organization issue 14 asks for (bench/loader/bigorg.py: the largest one grown to
  --big-organization tickets, closed ones only);
- one open ticket of that organization with 50 messages, 10 attachments and 30 events (the
  ticket page's case), written straight into the tables as the portal would have left them;
- 60 notifications of the bench engineer (two pages of the notifications list).
bench_jobs.prepare() empties the event, message, attachment and notification tables on every
run, so these are made again after it whenever they are not exactly there.

Tickets registered during a benchmark (the new-ticket POST, the load test's filings) get ids
above the load's, which run from 1 to --tickets: remove_new_tickets() deletes them, so the load
keeps its size and bench_jobs.py can restore it instead of loading afresh.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import sys

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from accounts.models import License, User
from bench import bench_jobs
from bench.loader.bigorg import make_big_organization
from tickets.models import (
    Attachment,
    Message,
    Notification,
    State,
    Ticket,
    TicketEvent,
    attachment_upload_to,
)

MESSAGES, ATTACHMENTS, EVENTS, INBOX = 50, 10, 30, 60
Kind = TicketEvent.Kind


@dataclasses.dataclass(frozen=True)
class Fixtures:
    now: datetime.datetime  # the load's NOW
    organization: int
    organization_tickets: int
    license_key: str
    customer: User  # of the big organization
    engineer: User
    rich_ticket: str  # its number


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def remove_new_tickets() -> int:
    """Delete the tickets registered since the load (ids above its count), with their rows."""
    found = bench_jobs.current_load()
    if not found:
        return 0
    deleted = Ticket.objects.filter(pk__gt=found[0]["tickets"]).delete()[1].get("tickets.Ticket")
    return deleted or 0


def prepare(args: argparse.Namespace) -> Fixtures:
    """The load as loaded (bench_jobs), the big organization, the rich ticket, the inbox."""
    bench_jobs.ensure_database()
    if removed := remove_new_tickets():
        say(f"removed {removed:,} tickets a previous run registered")
    now = bench_jobs.prepare(args)
    org, count = make_big_organization(args.big_organization, say=say)
    engineer = User.objects.filter(role=User.Role.ENGINEER, is_active=True).order_by("pk").first()
    customer = User.objects.filter(organization_id=org, is_active=True).order_by("pk").first()
    if engineer is None or customer is None:
        sys.exit("No bench engineer or customer: the load is not bench/loader's.")
    license_key = License.objects.filter(organization_id=org).order_by("pk").first().key
    rich = rich_ticket(org, customer=customer, engineer=engineer, now=now)
    inbox(engineer, now=now)
    return Fixtures(now, org, count, license_key, customer, engineer, rich.number)


def rich_ticket(org: int, *, customer: User, engineer: User, now: datetime.datetime) -> Ticket:
    """The organization's first ticket in progress, with its conversation, files and history."""
    ticket = Ticket.objects.filter(organization_id=org, state=State.IN_PROGRESS).order_by("pk")[0]
    have = (ticket.messages.count(), ticket.attachments.count(), ticket.events.count())
    if have == (MESSAGES, ATTACHMENTS, EVENTS):
        return ticket
    say(f"writing {MESSAGES} messages, {ATTACHMENTS} files, {EVENTS} events on {ticket.number}")
    step = (now - ticket.registered_at) / (MESSAGES + 2)
    with transaction.atomic():
        for related in (ticket.attachments, ticket.messages, ticket.events):
            related.all().delete()
        messages = Message.objects.bulk_create(
            _message(ticket, i, customer, engineer, ticket.registered_at + step * (i + 1))
            for i in range(MESSAGES)
        )
        files = [messages[2 * i] for i in range(ATTACHMENTS // 2)]  # on customer replies
        files += [None] * (ATTACHMENTS - len(files))  # filed with the ticket
        for i, message in enumerate(files):
            _attachment(ticket, i, message, customer, ticket.registered_at)
        TicketEvent.objects.bulk_create(
            _event(ticket, i, customer, engineer, ticket.registered_at + step * i * 1.6)
            for i in range(EVENTS)
        )
    return ticket


def _message(
    ticket: Ticket, i: int, customer: User, engineer: User, at: datetime.datetime
) -> Message:
    by_customer = i % 2 == 0
    kind = Message.Kind.INFO_REQUEST if i == 5 else Message.Kind.REPLY
    body = (
        f"Message {i + 1}. "
        + (
            "The tunnel dropped again at 03:12; the log of node gw-07 is attached. "
            if by_customer
            else "Please check the IKE lifetime on both peers and send the output. "
        )
        * 4
    )
    return Message(
        ticket=ticket,
        author=customer if by_customer else engineer,
        kind=kind,
        is_internal=not by_customer and kind == Message.Kind.REPLY and i % 7 == 3,
        body=body.strip(),
        needs=["logs", "configs"] if kind == Message.Kind.INFO_REQUEST else [],
        created_at=at,
    )


def _attachment(
    ticket: Ticket, i: int, message: Message | None, customer: User, at: datetime.datetime
) -> Attachment:
    content = f"bench attachment {i} of {ticket.number}\n".encode() * 200
    attachment = Attachment(
        ticket=ticket,
        message=message,
        uploaded_by=customer,
        uuid_hex=f"{ticket.pk:016x}{i:016x}",  # the same file on every run: written once
        name=f"gw-07-diagnostics-{i + 1}.{'pcap' if i % 2 else 'log'}",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content_type="application/vnd.tcpdump.pcap" if i % 2 else "text/plain",
        created_at=message.created_at if message else at,
    )
    path = attachment_upload_to(attachment, attachment.name)
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(content))
    attachment.file.name = path
    attachment.save(force_insert=True)
    return attachment


EVENT_CYCLE = (
    (Kind.TAKE, State.REGISTERED, State.IN_PROGRESS, {}),
    (Kind.HANDLING_METHOD, "", "", {"to": "remote"}),
    (Kind.REQUEST_INFO, State.IN_PROGRESS, State.AWAITING_CUSTOMER, {}),
    (Kind.PROVIDE_INFO, State.AWAITING_CUSTOMER, State.IN_PROGRESS, {}),
    (Kind.PRIORITY_PROPOSED, "", "", {"from": "medium", "to": "high"}),
    (Kind.PRIORITY_ACCEPTED, "", "", {"from": "medium", "to": "high"}),
    (Kind.SLA_WARNING, "", "", {"deadline": "resolution"}),
    (Kind.ASSIGN, "", "", {"to": None}),  # the engineer, filled in below
)


def _event(
    ticket: Ticket, i: int, customer: User, engineer: User, at: datetime.datetime
) -> TicketEvent:
    if i == 0:
        kind, before, after, data = Kind.REGISTERED, "", State.REGISTERED, {"channel": "portal"}
    else:
        kind, before, after, data = EVENT_CYCLE[(i - 1) % len(EVENT_CYCLE)]
    if kind == Kind.ASSIGN:
        data = {"to": engineer.pk}
    by_customer = kind in {Kind.REGISTERED, Kind.PROVIDE_INFO, Kind.PRIORITY_PROPOSED}
    actor = None if kind == Kind.SLA_WARNING else customer if by_customer else engineer
    return TicketEvent(
        ticket=ticket,
        actor=actor,
        kind=kind,
        from_state=before,
        to_state=after,
        data=dict(data),
        created_at=at,
    )


def inbox(engineer: User, *, now: datetime.datetime) -> None:
    """INBOX notifications of the engineer, on as many open tickets, half of them unread."""
    if Notification.objects.filter(recipient=engineer).count() == INBOX:
        return
    kinds = (
        Notification.Kind.ASSIGNED,
        Notification.Kind.SLA_WARNING,
        Notification.Kind.URGENT_REGISTERED,
        Notification.Kind.REPLY,
    )
    tickets = Ticket.objects.open().order_by("queue_due", "pk").values_list("pk", flat=True)
    with transaction.atomic():
        Notification.objects.filter(recipient=engineer).delete()
        Notification.objects.bulk_create(
            Notification(
                recipient=engineer,
                language=engineer.language,
                ticket_id=pk,
                kind=kinds[i % len(kinds)],
                data={"deadline": "resolution"} if i % len(kinds) == 1 else {},
                created_at=now - datetime.timedelta(minutes=37 * i),
                read_at=None if i % 2 else now - datetime.timedelta(minutes=37 * i - 1),
            )
            for i, pk in enumerate(tickets[:INBOX])
        )


def sample(sql: str, params: list | None = None) -> list:
    """The first column of a query's rows (for picking tickets and people to act on)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return [row[0] for row in cursor.fetchall()]
