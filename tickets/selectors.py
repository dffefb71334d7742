"""Reads that enforce the visibility rule (docs/regulation.md). Views read tickets only here.

An object the user may not see is reported as missing (Http404), never as forbidden: an
outsider must not learn that another organization's ticket exists.
"""

import dataclasses
import datetime
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.http import Http404

from accounts.models import License, Organization, User, email_is
from helpdesk.compiled import CompiledRead, Slot
from knowledge import selectors as knowledge_selectors
from sla import selectors as sla_selectors
from sla.business_time import business_today
from tickets.models import (
    Attachment,
    Message,
    Notification,
    PriorityChange,
    SessionProposal,
    Ticket,
    TicketEvent,
    TicketLink,
    Visibility,
    Watcher,
)
from tickets.search import exact_first, exact_q, search_q

# The ticket lists: latest activity first (the id breaks ties, so pages never overlap).
LIST_ORDER = ("-updated_at", "-id")


def tickets_visible_to(user: "User") -> QuerySet[Ticket]:
    return Ticket.objects.visible_to(user)


def ticket_for_user(*, user: "User", number: str) -> Ticket:
    """The ticket with `number` if `user` may see it; otherwise Http404.

    With the number of the ticket it was merged into (`merged_into_number`, for the banner)
    and, as index probes in the same query, whether it has what the ticket page would
    otherwise ask for in a query of its own: tickets merged into it or linked to it (issue 18),
    priority proposals, session proposals, watchers (`has_…`, read by the functions below); for
    engineers also its contact person (contact_person). Most tickets have none of these, so the
    page reads them only when there are some (issue 14: the page in at most 8 queries). For a
    customer also their organization's hotlines today and their colleagues (hotlines_of,
    colleagues_of), which the page showed after a query each.
    """
    visibility = Visibility.of(user)
    if visibility.nothing:
        raise Http404("No such ticket")
    if visibility.everything:
        found = _TICKET_FOR_SUPPORT.rows(number=number)
    else:
        today = business_today()
        found = _TICKET_FOR_CUSTOMERS.rows(
            number=number, organization=visibility.organization_id, day=today
        )
        for ticket in found:
            ticket.hotlines_day = today  # type: ignore[attr-defined]
    if not found:
        raise Http404("No such ticket")
    ticket = found[0]
    _attach_kept_reference(ticket)
    return ticket


def _ticket_page_rows(*, with_contact: bool) -> QuerySet[Ticket]:
    """Every ticket with what ticket_for_user reads (for engineers with their contact
    person)."""
    tickets = Ticket.objects.select_related(
        "organization", "customer", "assignee", "license"
    ).annotate(
        merged_into_number=Subquery(
            Ticket.objects.filter(pk=OuterRef("merged_into_id")).values("number")
        ),
        has_merged_from=Exists(Ticket.objects.filter(merged_into=OuterRef("pk"))),
        has_link_up=Exists(TicketLink.objects.filter(low=OuterRef("pk"))),
        has_link_down=Exists(TicketLink.objects.filter(high=OuterRef("pk"))),
        has_priority_changes=Exists(PriorityChange.objects.filter(ticket=OuterRef("pk"))),
        has_sessions=Exists(SessionProposal.objects.filter(ticket=OuterRef("pk"))),
        has_watchers=Exists(Watcher.objects.filter(ticket=OuterRef("pk"))),
    )
    return tickets.annotate(contact_row=_contact_row()) if with_contact else tickets


# The ticket page's own statement, compiled once per process (helpdesk/compiled.py: compiling
# it cost each request ~1.3 ms, PostgreSQL's answer ~0.3). No ORDER BY: the number is unique.
_TICKET_FOR_SUPPORT = CompiledRead(
    lambda number: (
        _ticket_page_rows(with_contact=True)
        .within(Visibility(everything=True, organization_id=None))
        .filter(number=number)
        .order_by()[:1]
    ),
    number=Slot("text"),
)
_TICKET_FOR_CUSTOMERS = CompiledRead(
    lambda number, organization, day: (
        _ticket_page_rows(with_contact=False)
        .within(Visibility(everything=False, organization_id=organization))
        .annotate(**_customer_page_rows(day))
        .filter(number=number)
        .order_by()[:1]
    ),
    number=Slot("text"),
    organization=Slot("number"),
    day=Slot("day"),
)


# A customer's ticket page names their organization's hotlines and lists their colleagues (to
# add as watchers): read with the ticket, as JSON rows of what the page shows.
HOTLINE_FIELDS = ("key", "hotline_phone", "tier_id")
COLLEAGUE_FIELDS = ("id", "first_name", "last_name", "email")


def _customer_page_rows(day: datetime.date) -> dict[str, ArraySubquery]:
    """On PostgreSQL (arrays); the SQLite demo reads them after the ticket."""
    if connection.vendor != "postgresql":
        return {}
    return {"hotline_rows": _hotline_rows(day), "colleague_rows": _colleague_rows()}


def _hotline_rows(day: datetime.date) -> ArraySubquery:
    """hotlines_for's licenses of the ticket's organization (a customer's own) on `day`."""
    licenses = _hotline_licenses(_active_licenses(OuterRef("organization_id"), day))
    return ArraySubquery(licenses.values(row=JSONObject(**{f: f for f in HOTLINE_FIELDS})))


def _colleague_rows() -> ArraySubquery:
    """contacts_for's people of the ticket's organization (a customer's own)."""
    people = _contacts(OuterRef("organization_id"))
    return ArraySubquery(people.values(row=JSONObject(**{f: f for f in COLLEAGUE_FIELDS})))


def _attach_kept_reference(ticket: Ticket) -> None:
    """The ticket's tier, priority and product area from the reference data each process keeps
    (sla.selectors, knowledge.selectors) instead of joined: with eight tables joined,
    PostgreSQL spent ~5 ms planning the ticket's statement, which ran in 0.3 ms. A row not
    kept is read when used."""
    tier = {tier.pk: tier for tier in sla_selectors.tiers.get()}.get(ticket.tier_id)
    priority = sla_selectors.kept_priority(ticket.priority_id)
    if tier is not None:
        ticket.tier = tier
    if priority is not None:
        ticket.priority = priority
    if ticket.product_area_id is not None:
        areas = {area.pk: area for area in knowledge_selectors.kept_areas.get()}
        if (area := areas.get(ticket.product_area_id)) is not None:
            ticket.product_area = area


def ticket_by_number_for_user(*, user: "User", number: str) -> Ticket | None:
    """The ticket a person typed the number of (a form's field), if they may see it: None
    otherwise, for the form to say so. As typed, or in capitals (the unique index)."""
    number = (number or "").strip()
    if not number:
        return None
    return tickets_visible_to(user).filter(number__in={number, number.upper()}).first()


def has_related(ticket: Ticket) -> bool:
    """Whether ticket_for_user found tickets merged into or linked to `ticket` (True for a
    ticket read otherwise: then the related tickets are simply read)."""
    flags = ("has_merged_from", "has_link_up", "has_link_down")
    return any(getattr(ticket, flag, True) for flag in flags)


@dataclasses.dataclass(frozen=True)
class RelatedTickets:
    """The tickets merged into a ticket (oldest first) and those linked to it, as `user` may
    see them."""

    merged_from: list[Ticket]
    linked: list[Ticket]


def related_tickets_for_user(*, user: "User", ticket: Ticket) -> RelatedTickets:
    """The duplicates merged into `ticket` and its related tickets, in one query.

    Engineers see every link; a customer only the links whose other ticket is of their own
    organization (the visibility rule, tickets_visible_to). The duplicates are of the ticket's
    organization always (tickets.services.merging). Served by ticket_merged_into, the link's
    unique index (low side) and ticket_link_high (high side).
    """
    if not has_related(ticket):
        return RelatedTickets(merged_from=[], linked=[])
    linked_up = TicketLink.objects.filter(low_id=ticket.pk).values("high_id")
    linked_down = TicketLink.objects.filter(high_id=ticket.pk).values("low_id")
    rows = (
        tickets_visible_to(user)
        .filter(Q(merged_into_id=ticket.pk) | Q(pk__in=linked_up) | Q(pk__in=linked_down))
        .annotate(
            link_up=Exists(linked_up.filter(high_id=OuterRef("pk"))),
            link_down=Exists(linked_down.filter(low_id=OuterRef("pk"))),
        )
        .defer("diagnostics", "checklist_done")
        .order_by("registered_at", "id")
    )
    rows = list(rows)
    return RelatedTickets(
        merged_from=[row for row in rows if row.merged_into_id == ticket.pk],
        linked=[row for row in rows if row.link_up or row.link_down],
    )


@dataclasses.dataclass(frozen=True)
class Conversation:
    """The messages of a ticket `user` may read, each with its files (`message.files`), and
    the files filed with the ticket itself; `merged`: the same of each duplicate merged into
    it (issue 18), its ticket as `ticket`."""

    messages: list[Message]
    filed_attachments: list[Attachment]
    merged: list["Conversation"] = dataclasses.field(default_factory=list)
    ticket: Ticket | None = None


def conversation_for_user(
    *, user: "User", ticket: Ticket, merged_from: list[Ticket] | None = None
) -> Conversation:
    """The conversation as `user` may read it (customers never see internal notes nor their
    files): two queries, the messages and every file of the ticket, whatever their number;
    the tickets of `merged_from` (read by related_tickets_for_user, so visible to `user`) are
    read in the same two queries."""
    merged_from = merged_from or []
    ids = [ticket.pk, *(duplicate.pk for duplicate in merged_from)]
    internal = user.is_engineer or user.is_staff
    if merged_from:
        messages = list(_messages(Q(ticket_id__in=ids), internal=internal))
        attachments = list(_attachments(Q(ticket_id__in=ids)))
    else:  # the usual page: statements compiled once per process
        messages = _MESSAGES[internal].rows(ticket=ticket.pk)
        attachments = _ATTACHMENTS.rows(ticket=ticket.pk)
    by_ticket: dict[int, list[Message]] = {pk: [] for pk in ids}
    for message in messages:
        by_ticket[message.ticket_id].append(message)
    files: dict[int | None, list[Attachment]] = {}
    filed: dict[int, list[Attachment]] = {pk: [] for pk in ids}
    for attachment in attachments:
        if attachment.message_id is None:
            filed[attachment.ticket_id].append(attachment)
        else:
            files.setdefault(attachment.message_id, []).append(attachment)
    for message in (m for listed in by_ticket.values() for m in listed):
        message.files = files.get(message.pk, [])  # type: ignore[attr-defined]
    merged = [
        Conversation(
            messages=by_ticket[duplicate.pk],
            filed_attachments=filed[duplicate.pk],
            ticket=duplicate,
        )
        for duplicate in merged_from
    ]
    return Conversation(
        messages=by_ticket[ticket.pk], filed_attachments=filed[ticket.pk], merged=merged
    )


def _messages(tickets: Q, *, internal: bool) -> QuerySet[Message]:
    """The messages of `tickets`, in order; internal notes only if `internal`."""
    messages = with_person_as_shown(Message.objects.filter(tickets), "author")
    if not internal:
        messages = messages.filter(is_internal=False)
    return messages.order_by("created_at", "id")


def _attachments(tickets: Q) -> QuerySet[Attachment]:
    return Attachment.objects.filter(tickets).order_by("created_at", "id")


# One ticket's conversation, compiled once per process (helpdesk/compiled.py), for engineers
# (True) and for customers (False).
_MESSAGES = {
    internal: CompiledRead(
        lambda ticket, internal=internal: _messages(Q(ticket_id=ticket), internal=internal),
        ticket=Slot("number"),
    )
    for internal in (True, False)
}
_ATTACHMENTS = CompiledRead(lambda ticket: _attachments(Q(ticket_id=ticket)), ticket=Slot("number"))


@dataclasses.dataclass(frozen=True)
class TimelineEntry:
    """One entry of a ticket's conversation: a message, or a step of an agreement."""

    at: datetime.datetime
    message: Message | None = None
    priority_change: PriorityChange | None = None
    answered: bool = False  # the entry is the answer to `priority_change`, not its proposal
    session: SessionProposal | None = None


@dataclasses.dataclass(frozen=True)
class Agreements:
    """A ticket's priority proposals and session proposals, each kind read in one query; the
    ticket page derives the pending ones, the agreed sessions and the timeline from them."""

    changes: list[PriorityChange]
    sessions: list[SessionProposal]

    @property
    def pending_change(self) -> PriorityChange | None:
        pending = PriorityChange.Status.PENDING
        return next((c for c in self.changes if c.status == pending), None)

    @property
    def priority_labels(self) -> dict[str, str]:
        """The priorities the proposals name, by code: those the ticket's history names."""
        named = [p for c in self.changes for p in (c.from_priority, c.to_priority)]
        return {priority.pk: priority.label for priority in named}

    @property
    def pending_session(self) -> SessionProposal | None:
        pending = SessionProposal.Status.PENDING
        return next((s for s in self.sessions if s.status == pending), None)

    @property
    def agreed_sessions(self) -> list[SessionProposal]:
        """Accepted sessions not yet recorded as held, soonest first."""
        accepted = [s for s in self.sessions if s.status == SessionProposal.Status.ACCEPTED]
        return sorted(accepted, key=lambda s: (s.starts_at, s.pk))


def agreements_of(*, ticket: Ticket) -> Agreements:
    """`ticket`'s agreements (the caller fetched it through ticket_for_user): a query for each
    kind the ticket has (ticket_for_user's flags; both for a ticket read otherwise)."""
    changes, sessions = [], []
    if getattr(ticket, "has_priority_changes", True):
        changes = list(
            ticket.priority_changes.select_related(
                "proposed_by", "decided_by", "from_priority", "to_priority"
            )
        )
    if getattr(ticket, "has_sessions", True):
        sessions = list(ticket.sessions.select_related("proposed_by", "answered_by", "replaces"))
    return Agreements(changes=changes, sessions=sessions)


def timeline_for_user(
    *, user: "User", messages: list[Message], agreements: Agreements
) -> list[TimelineEntry]:
    """The conversation as both sides read it: the messages `user` may see (already read by
    conversation_for_user) with the priority proposals and their answers and the session proposals
    in time order. No query of its own."""
    entries = [TimelineEntry(at=message.created_at, message=message) for message in messages]
    for change in agreements.changes:
        entries.append(TimelineEntry(at=change.created_at, priority_change=change))
        if change.decided_at is not None:
            entries.append(
                TimelineEntry(at=change.decided_at, priority_change=change, answered=True)
            )
    entries.extend(
        TimelineEntry(at=session.created_at, session=session) for session in agreements.sessions
    )
    return sorted(entries, key=lambda entry: entry.at)


def events_for_user(*, user: "User", ticket: Ticket) -> list[TicketEvent]:
    # The ticket was fetched through ticket_for_user, so its organization is the user's.
    return _EVENTS.rows(ticket=ticket.pk)


# Compiled once per process (helpdesk/compiled.py).
_EVENTS = CompiledRead(
    lambda ticket: with_person_as_shown(
        TicketEvent.objects.filter(ticket_id=ticket), "actor"
    ).order_by("created_at", "id"),
    ticket=Slot("number"),
)


# What a ticket page shows of a message's author or an event's actor: the name (or address)
# and whether they are support (User.__str__, User.is_engineer).
PERSON_AS_SHOWN = ("first_name", "last_name", "email", "role", "is_active")


def with_person_as_shown(rows: QuerySet[Any], relation: str) -> QuerySet[Any]:
    """`rows` joined to the person of `relation`, of whom only PERSON_AS_SHOWN is read: a
    person's row has 18 columns (the password hash, the preferences), and decoding them for
    50 messages and 30 events was ~1 ms of the ticket page."""
    own = [field.name for field in rows.model._meta.concrete_fields]
    shown = [f"{relation}__{name}" for name in PERSON_AS_SHOWN]
    return rows.select_related(relation).only(*own, *shown)


def attachment_for_user(*, user: "User", pk: int) -> Attachment:
    """An attachment of a visible ticket; one on an internal note only for engineers."""
    attachments = Attachment.objects.select_related("ticket", "message").filter(
        ticket__in=tickets_visible_to(user)
    )
    if not user.is_engineer and not user.is_staff:
        attachments = attachments.exclude(message__is_internal=True)
    attachment = attachments.filter(pk=pk).first()
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


def notifications_for_user(*, user: "User") -> QuerySet[Notification]:
    """A person's own notifications, of tickets they can still see, and those about their
    organization (no ticket: support periods ending, monthly SLA reports)."""
    # EXISTS, probed per row by the ticket's key while notification_inbox is walked in order,
    # never `ticket IN (…)`: beside OR that subquery was hashed whole (3.7 s for an engineer,
    # who sees a million tickets).
    visible = Exists(tickets_visible_to(user).filter(pk=OuterRef("ticket_id")))
    return (
        Notification.objects.filter(Q(ticket__isnull=True) | Q(visible), recipient=user)
        .select_related("ticket")
        .order_by("-created_at", "-id")
    )


def ticket_list_for_user(
    *,
    user: "User",
    state: str = "",
    query: str = "",
    mine: bool = False,
    names_first: bool = True,
    related: tuple[str, ...] = ("priority", "tier", "assignee", "customer"),
) -> QuerySet[Ticket]:
    """The tickets a person may see, latest activity first, filtered by state and searched
    (tickets.search; what the query names exactly comes first, unless `names_first` is false:
    the API's cursor pages need one plain order). `related`: the rows joined to each ticket
    (the list page needs only the requester: it shows the priority from the kept reference
    data, tickets/templatetags/ticket_rows.py).

    Each state filter and the plain list walk one of the `-updated_at` indexes (ticket_recent,
    ticket_state_recent, ticket_org_updated, ticket_org_state_updated) and stop after a page;
    `mine` (the tickets `user` filed) walks ticket_customer_updated. The requester (the
    ticket's customer) comes with each ticket.
    """
    tickets = tickets_visible_to(user).select_related(*related).defer("description", "diagnostics")
    if mine:
        tickets = tickets.filter(customer=user)
    if state == "open":
        tickets = tickets.open()
    elif state:
        tickets = tickets.filter(state=state)
    query = query.strip()
    if query and not names_first:
        return tickets.filter(search_q(query)).order_by(*LIST_ORDER)
    if not query:
        return tickets.order_by(*LIST_ORDER)
    exact = exact_q(query)  # the licenses read once for both
    return exact_first(tickets.filter(search_q(query, exact=exact)), query, LIST_ORDER, exact=exact)


def organizations_visible_to(user: "User") -> QuerySet[Organization]:
    """Engineers and admins see every organization; a customer their own; nobody else any."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_engineer or user.is_staff:
        return Organization.objects.order_by("name", "id")
    if user.is_customer and user.organization_id:
        return Organization.objects.filter(pk=user.organization_id)
    return Organization.objects.none()


def licenses_visible_to(user: "User") -> QuerySet[License]:
    """The licenses of the organizations `user` sees, by key."""
    return License.objects.filter(organization__in=organizations_visible_to(user)).order_by("key")


def session_for_user(*, user: "User", ticket: Ticket, pk: int) -> SessionProposal:
    """A session proposal of `ticket`, which the caller fetched through ticket_for_user (so
    `user` may see it); a proposal of another ticket is missing (Http404)."""
    visible = tickets_visible_to(user).filter(pk=ticket.pk)
    proposal = SessionProposal.objects.filter(ticket__in=visible, pk=pk).first()
    if proposal is None:
        raise Http404("No such session proposal")
    return proposal


def active_licenses_for(*, user: "User", day: datetime.date) -> QuerySet[License]:
    if not user.is_customer or not user.organization_id:
        return License.objects.none()
    return _active_licenses(user.organization_id, day)


def _active_licenses(organization_id: int, day: datetime.date) -> QuerySet[License]:
    return (
        License.objects.active_on(day)
        .filter(organization_id=organization_id)
        .select_related("tier")
        .order_by("key")
    )


def filing_licenses_for(*, user: "User", day: datetime.date) -> QuerySet[License]:
    """The active licenses `user` may file for: all of their organization's, or those their
    organization admin chose for them (the new-ticket form's list)."""
    licenses = active_licenses_for(user=user, day=day)
    if user.license_restricted:
        licenses = licenses.filter(filers=user)
    return licenses


def contacts_for(*, customer: "User") -> QuerySet[User]:
    """Whom a ticket of `customer` may name as its contact: the active people of their
    organization (the portal mails no one else), by name."""
    if not customer.organization_id:
        return User.objects.none()
    return _contacts(customer.organization_id)


def contact_list_for(*, customer: "User") -> list[User]:
    """contacts_for, read (the ticket page's colleagues to add as watchers)."""
    if not customer.organization_id:
        return []
    return _CONTACTS.rows(organization_id=customer.organization_id)


def _contacts(organization_id: int) -> QuerySet[User]:
    return User.objects.filter(organization_id=organization_id, is_active=True).order_by(
        "first_name", "last_name", "email"
    )


_CONTACTS = CompiledRead(_contacts, organization_id=Slot("number"))


def hotlines_for(*, user: "User", day: datetime.date) -> list[License]:
    """The organization's hotline numbers: Extended-tier licenses with support active today."""
    if not user.is_customer or not user.organization_id:
        return []
    return _HOTLINES.rows(organization_id=user.organization_id, day=day)


def hotlines_of(*, ticket: Ticket, user: "User", day: datetime.date) -> list[License]:
    """hotlines_for, from what ticket_for_user read with a customer's ticket (unsaved copies
    with the kept tier), else read."""
    rows = getattr(ticket, "hotline_rows", None)
    if rows is None or getattr(ticket, "hotlines_day", None) != day:
        return hotlines_for(user=user, day=day)
    tiers = {tier.pk: tier for tier in sla_selectors.tiers.get()}
    hotlines = []
    for row in rows:
        license_ = License(**row)
        if row["tier_id"] in tiers:
            license_.tier = tiers[row["tier_id"]]
        hotlines.append(license_)
    return hotlines


def colleagues_of(*, ticket: Ticket, customer: "User") -> list[User]:
    """contact_list_for, from what ticket_for_user read with the customer's ticket (unsaved
    copies of the people's names), else read."""
    rows = getattr(ticket, "colleague_rows", None)
    if rows is None or ticket.organization_id != customer.organization_id:
        return contact_list_for(customer=customer)
    return [User(**row) for row in rows]


def _hotline_licenses(licenses: QuerySet[License]) -> QuerySet[License]:
    return licenses.filter(tier__extended=True).exclude(hotline_phone="")


_HOTLINES = CompiledRead(
    lambda organization_id, day: _hotline_licenses(_active_licenses(organization_id, day)),
    organization_id=Slot("number"),
    day=Slot("day"),
)


def unread_notification_count(*, user: "User") -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def watchers_of(*, ticket: Ticket) -> list[Watcher]:
    """`ticket`'s watchers (the caller fetched it through ticket_for_user): one query, none
    when ticket_for_user found that it has none."""
    if not getattr(ticket, "has_watchers", True):
        return []
    return list(ticket.watchers.select_related("user").order_by("created_at", "id"))


def watcher_of(*, ticket: Ticket, user_id: int) -> Watcher:
    watcher = ticket.watchers.select_related("user").filter(user_id=user_id).first()
    if watcher is None:
        raise Http404("Not a watcher")
    return watcher


def colleague_on_ticket(*, ticket: Ticket, pk: object) -> User | None:
    """An active person of `ticket`'s organization by id (the add-a-watcher form), or None."""
    try:
        pk = int(pk)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return User.objects.filter(
        pk=pk, organization_id=ticket.organization_id, is_active=True
    ).first()


# What the ticket page shows of a contact person (its name, phone and whether it is the
# customer), read with the ticket by ticket_for_user for engineers.
CONTACT_FIELDS = ("id", "first_name", "last_name", "email", "phone")


def _contact_row() -> Subquery:
    """The ticket's contact person of its organization as a JSON object, or NULL: an index
    probe (the organization's people, or the unique index on lower(email))."""
    people = User.objects.filter(
        email_is(OuterRef("contact_email")), organization_id=OuterRef("organization_id")
    )
    return Subquery(people.values(row=JSONObject(**{f: f for f in CONTACT_FIELDS}))[:1])


def contact_person(*, ticket: Ticket) -> User | None:
    """The person the ticket names as its contact (for their phone), or None: no query for a
    ticket read by ticket_for_user for an engineer (an unsaved copy of the person's name and
    phone then), one otherwise."""
    if not ticket.contact_email:
        return None
    if ticket.contact_email.lower() == ticket.customer.email.lower():
        return ticket.customer
    if hasattr(ticket, "contact_row"):
        row = ticket.contact_row
        return User(**{field: row[field] for field in CONTACT_FIELDS}) if row else None
    return User.objects.filter(
        email_is(ticket.contact_email), organization_id=ticket.organization_id
    ).first()
