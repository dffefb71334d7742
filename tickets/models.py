"""Tickets and everything that hangs off them.

The ticket's state is a protected FSM field: only the transitions below change it, and they change
nothing but the ticket's own fields (the time is passed in). Permission, audit events,
notifications and side effects live in tickets.services.
"""

import datetime
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django_fsm import Transition

    from accounts.models import User


class State(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_CUSTOMER = "awaiting_customer", _("Awaiting customer")
    RESOLVED = "resolved", _("Resolved")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (
    State.REGISTERED,
    State.IN_PROGRESS,
    State.AWAITING_CUSTOMER,
    State.RESOLVED,
    State.DISPUTED,
)
# Whose move it is: the customer's in these states, the vendor's in the other open ones.
WAITING_ON_CUSTOMER_STATES = (State.AWAITING_CUSTOMER, State.RESOLVED)
# The resolution clock runs while the vendor has the move.
CLOCK_RUNNING_STATES = (State.REGISTERED, State.IN_PROGRESS, State.DISPUTED)


class CloseReason(models.TextChoices):
    CONFIRMED = "confirmed", _("Resolution confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the customer")
    NO_CUSTOMER_RESPONSE = "no_customer_response", _("No customer response")
    # Merged into another ticket of the same organization (issue 18): `Ticket.merged_into`.
    DUPLICATE = "duplicate", _("Duplicate: merged into another ticket")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    HOTLINE = "hotline", _("Hotline call")


class HandlingMethod(models.TextChoices):
    PORTAL = "portal", _("Consultation on the portal")
    REMOTE = "remote", _("Remote session")
    PHONE = "phone", _("Phone consultation")


class Side(models.TextChoices):
    """The two parties of the regulation: an agreement needs the other side's answer."""

    VENDOR = "vendor", _("Support")
    CUSTOMER = "customer", _("Customer")


def side_of(user: "User") -> "Side":
    return Side.VENDOR if user.is_engineer else Side.CUSTOMER


def _is_engineer(ticket: "Ticket", user: "User") -> bool:
    return user.is_engineer


def _is_customer_of(ticket: "Ticket", user: "User") -> bool:
    return (
        user.is_active
        and user.is_customer
        and user.organization_id is not None
        and user.organization_id == ticket.organization_id
    )


def search_words(query: str) -> SearchQuery:
    """`query` (web-search syntax) stemmed in Russian and in English, to match against
    `Ticket.search_document` (PostgreSQL only)."""
    return SearchQuery(query, config="russian", search_type="websearch") | SearchQuery(
        query, config="english", search_type="websearch"
    )


class TicketQuerySet(models.QuerySet["Ticket"]):
    def open(self) -> "TicketQuerySet":
        return self.filter(state__in=OPEN_STATES)

    def waiting_on_customer(self) -> "TicketQuerySet":
        return self.filter(state__in=WAITING_ON_CUSTOMER_STATES)

    def visible_to(self, user: "User") -> "TicketQuerySet":
        """The visibility rule (docs/regulation.md): engineers see all, customers their org's."""
        return self.within(Visibility.of(user))

    def within(self, visibility: "Visibility") -> "TicketQuerySet":
        if visibility.everything:
            return self
        if visibility.organization_id is not None:
            return self.filter(organization_id=visibility.organization_id)
        return self.none()


class Visibility(NamedTuple):
    """Which tickets a person sees (docs/regulation.md): every ticket (engineers, staff), their
    organization's (customers), or none (anyone else, or an inactive account). A value, so
    that a read compiled once per process (tickets/selectors.py) takes the organization as a
    parameter while the rule stays here."""

    everything: bool
    organization_id: int | None

    @classmethod
    def of(cls, user: "User") -> "Visibility":
        if not user.is_authenticated or not user.is_active:
            return cls(False, None)
        if user.is_engineer or user.is_staff:
            return cls(True, None)
        if user.is_customer and user.organization_id:
            return cls(False, user.organization_id)
        return cls(False, None)

    @property
    def nothing(self) -> bool:
        return not self.everything and self.organization_id is None


class TicketManager(models.Manager.from_queryset(TicketQuerySet)):  # type: ignore[misc]
    """Tickets without their search document, which only PostgreSQL's WHERE clauses read: a
    page never needs the kilobytes of stemmed words of each ticket it shows."""

    def get_queryset(self) -> TicketQuerySet:
        return super().get_queryset().defer("search_document")


class Ticket(ConcurrentTransitionMixin, models.Model):
    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text=_("The customer the ticket belongs to."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The customer, or the engineer who took a hotline call."),
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.PORTAL
    )
    license = models.ForeignKey(
        "accounts.License", verbose_name=_("license"), on_delete=models.PROTECT
    )
    # Copied from the license at registration: a later change of the contract does not move
    # the deadlines of tickets already filed.
    tier = models.ForeignKey("sla.Tier", verbose_name=_("support tier"), on_delete=models.PROTECT)
    priority = models.ForeignKey(
        "sla.Priority", verbose_name=_("priority"), on_delete=models.PROTECT
    )
    product_version = models.CharField(_("product version"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description of the fault"))
    diagnostics = models.TextField(_("primary diagnostics already done"))
    # The guided diagnostics (issue 17): the product area chosen on the form and the items of
    # its checklist the customer ticked, kept as the texts they read then (both languages), so
    # a later edit of the checklist does not rewrite what a customer said they had done.
    product_area = models.ForeignKey(
        "knowledge.ProductArea",
        verbose_name=_("product area"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    checklist_done = models.JSONField(_("diagnostics ticked"), default=list, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))

    state = FSMField(
        _("state"), max_length=32, choices=State.choices, default=State.REGISTERED, protected=True
    )
    close_reason = models.CharField(
        _("close reason"), max_length=32, choices=CloseReason.choices, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    handling_method = models.CharField(
        _("handling method"), max_length=16, choices=HandlingMethod.choices, blank=True
    )
    # The ticket this one was merged into as a duplicate (issue 18; tickets.services.merging):
    # set once, with the close. Indexed by a partial index (ticket_merged_into): few are set.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        db_index=False,
    )

    registered_at = models.DateTimeField(_("registered"))
    updated_at = models.DateTimeField(_("last update"))
    # The subject and description stemmed in Russian and in English, kept by a PostgreSQL
    # trigger (migration 0011 says why a stored column, and why not a generated one); always
    # empty on the SQLite demo, which searches by substring.
    search_document = SearchVectorField(null=True, editable=False)
    reacted_at = models.DateTimeField(_("reaction"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # When the ball last went to the customer (info request or resolution notice), and the
    # customer's last activity on the portal: silence is counted from the later of the two.
    waiting_since = models.DateTimeField(_("waiting on the customer since"), null=True, blank=True)
    last_customer_activity_at = models.DateTimeField(
        _("last customer activity"), null=True, blank=True
    )

    # The SLA clock, kept by tickets.deadlines. None = no target configured (never a guess).
    reaction_due = models.DateTimeField(_("reaction due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    reaction_met = models.BooleanField(_("reaction in time"), null=True, blank=True)
    resolution_met = models.BooleanField(_("resolution in time"), null=True, blank=True)
    resolution_paused_at = models.DateTimeField(
        _("resolution clock paused since"), null=True, blank=True
    )
    deadlines_provisional = models.BooleanField(
        _("provisional deadlines"),
        default=False,
        help_text=_("A year on the way has no official production calendar loaded."),
    )
    confirmation_due = models.DateTimeField(_("confirm or dispute by"), null=True, blank=True)
    auto_close_at = models.DateTimeField(_("closes for silence at"), null=True, blank=True)
    # The queue's sort key: the nearest deadline the vendor still has to meet (None while the
    # customer has the move); kept by tickets.deadlines so the queue sorts on an index.
    queue_due = models.DateTimeField(_("next deadline"), null=True, blank=True)
    # When 80 % of each target's time has passed (moved by pauses like the deadline itself).
    reaction_warn_at = models.DateTimeField(_("reaction warning at"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(_("resolution warning at"), null=True, blank=True)

    # What the periodic jobs did, once each: these also keep a second run from repeating it.
    unconfirmed_flagged_at = models.DateTimeField(
        _("flagged as unconfirmed"), null=True, blank=True
    )
    reaction_warned_at = models.DateTimeField(_("reaction warning sent"), null=True, blank=True)
    resolution_warned_at = models.DateTimeField(_("resolution warning sent"), null=True, blank=True)
    reaction_breached_at = models.DateTimeField(_("reaction breached"), null=True, blank=True)
    resolution_breached_at = models.DateTimeField(_("resolution breached"), null=True, blank=True)

    objects = TicketManager()

    if TYPE_CHECKING:  # added by the FSMField `state` (django-fsm-2)

        def get_all_state_transitions(self) -> Iterator[Transition]: ...

        def get_available_user_state_transitions(self, user: "User") -> Iterator[Transition]: ...

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-registered_at"]
        indexes = [
            models.Index(fields=["organization", "-registered_at"], name="ticket_org_recent"),
            models.Index(fields=["assignee", "state"], name="ticket_assignee_state"),
            models.Index(
                fields=["queue_due", "id"], name="ticket_queue", condition=Q(state__in=OPEN_STATES)
            ),
            # The queue filtered by priority or tier, for a view's assignee (nobody, me, anyone):
            # walked in the queue's order and stopped after a page, where the assignee's index
            # and the priority's would be intersected over every state (issue 14).
            models.Index(
                fields=["priority", "assignee", "queue_due", "id"],
                name="ticket_queue_priority",
                condition=Q(state__in=OPEN_STATES),
            ),
            models.Index(
                fields=["tier", "assignee", "queue_due", "id"],
                name="ticket_queue_tier",
                condition=Q(state__in=OPEN_STATES),
            ),
            # Full-text search in Russian and English (PostgreSQL only: see the migrations):
            # all tickets, and the open ones alone, which the queue searches (0006 says why).
            GinIndex(fields=["search_document"], name="ticket_search"),
            GinIndex(
                fields=["search_document"],
                name="ticket_open_search",
                condition=Q(state__in=OPEN_STATES),
            ),
            # The ticket lists, newest activity first: everyone's (engineers), by state, an
            # organization's (customers), and an organization's by state.
            models.Index(fields=["-updated_at", "-id"], name="ticket_recent"),
            models.Index(fields=["state", "-updated_at", "-id"], name="ticket_state_recent"),
            models.Index(fields=["organization", "-updated_at", "-id"], name="ticket_org_updated"),
            # The customers' list filtered to "filed by me" (issue 15).
            models.Index(fields=["customer", "-updated_at", "-id"], name="ticket_customer_updated"),
            models.Index(
                fields=["organization", "state", "-updated_at", "-id"],
                name="ticket_org_state_updated",
            ),
            # One small partial index per periodic job: each sweep reads only the rows that
            # can still be due, so a sweep with nothing to do costs a few index probes.
            models.Index(
                fields=["auto_close_at"],
                name="ticket_auto_close_due",
                condition=Q(state__in=WAITING_ON_CUSTOMER_STATES),
            ),
            models.Index(
                fields=["confirmation_due"],
                name="ticket_unconfirmed_due",
                condition=Q(state=State.RESOLVED, unconfirmed_flagged_at__isnull=True),
            ),
            models.Index(
                fields=["reaction_warn_at"],
                name="ticket_reaction_warn_due",
                condition=Q(state=State.REGISTERED, reaction_warned_at__isnull=True),
            ),
            models.Index(
                fields=["reaction_due"],
                name="ticket_reaction_breach_due",
                condition=Q(state=State.REGISTERED, reaction_breached_at__isnull=True),
            ),
            models.Index(
                fields=["resolution_warn_at"],
                name="ticket_resolution_warn_due",
                condition=Q(state__in=CLOCK_RUNNING_STATES, resolution_warned_at__isnull=True),
            ),
            models.Index(
                fields=["resolution_due"],
                name="ticket_resolution_breach_due",
                condition=Q(state__in=CLOCK_RUNNING_STATES, resolution_breached_at__isnull=True),
            ),
            # The service-level dashboard (workspace.dashboard) counts from these alone
            # (index-only scans): tickets opened and closed per week, and the open tickets
            # per tier, priority, urgency and assignee. Newest-first lists use the first too.
            models.Index(fields=["registered_at"], name="ticket_registered"),
            models.Index(
                fields=["closed_at"], name="ticket_closed", condition=Q(state=State.CLOSED)
            ),
            # An organization's monthly SLA report (reports.build): its tickets closed per
            # week (those opened come from ticket_org_recent).
            models.Index(
                fields=["organization", "closed_at"],
                name="ticket_org_closed",
                condition=Q(state=State.CLOSED),
            ),
            models.Index(
                fields=[
                    "tier",
                    "priority",
                    "state",
                    "assignee",
                    "queue_due",
                    "reaction_warn_at",
                    "resolution_warn_at",
                ],
                name="ticket_open_sla",
                condition=Q(state__in=OPEN_STATES),
            ),
            # The tickets merged into one (its page's "Merged from" section, and the EXISTS
            # probe of selectors.ticket_for_user): only the duplicates are in it.
            models.Index(
                fields=["merged_into"],
                name="ticket_merged_into",
                condition=Q(merged_into__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=State.CLOSED, closed_at__isnull=False)
                | (~Q(state=State.CLOSED) & Q(close_reason="")),
                name="ticket_closed_has_time_open_has_no_reason",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True)
                | (
                    Q(state=State.CLOSED, close_reason="duplicate") & ~Q(merged_into=models.F("id"))
                ),
                name="ticket_merged_is_a_closed_duplicate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def checklist_labels(self) -> list[str]:
        """The ticked diagnostics, in the active language."""
        russian = (get_language() or "ru").startswith("ru")
        return [item.get("ru" if russian else "en", "") for item in self.checklist_done]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    # --- transitions: own fields only, the time passed in -------------------------------

    @transition(
        field=state,
        source=[State.REGISTERED, State.DISPUTED],
        target=State.IN_PROGRESS,
        permission=_is_engineer,
    )
    def take(self, *, engineer: "User", now: datetime.datetime) -> None:
        self.assignee = engineer
        if self.reacted_at is None:  # only the first take is the reaction
            self.reacted_at = now
        self.updated_at = now

    @transition(
        field=state,
        source=State.IN_PROGRESS,
        target=State.AWAITING_CUSTOMER,
        permission=_is_engineer,
    )
    def request_info(self, *, now: datetime.datetime) -> None:
        self.waiting_since = now
        self.updated_at = now

    @transition(
        field=state,
        source=State.AWAITING_CUSTOMER,
        target=State.IN_PROGRESS,
        permission=_is_customer_of,
    )
    def provide_info(self, *, now: datetime.datetime) -> None:
        self.waiting_since = None
        self.last_customer_activity_at = now
        self.updated_at = now

    @transition(
        field=state, source=State.IN_PROGRESS, target=State.RESOLVED, permission=_is_engineer
    )
    def resolve(self, *, now: datetime.datetime) -> None:
        self.resolved_at = now
        self.waiting_since = now
        self.updated_at = now

    @transition(
        field=state, source=State.RESOLVED, target=State.CONFIRMED, permission=_is_customer_of
    )
    def confirm(self, *, now: datetime.datetime) -> None:
        self.waiting_since = None
        self.last_customer_activity_at = now
        self.updated_at = now

    @transition(field=state, source=State.CONFIRMED, target=State.CLOSED)
    def close_confirmed(self, *, now: datetime.datetime) -> None:
        self.close_reason = CloseReason.CONFIRMED
        self.closed_at = now
        self.updated_at = now

    @transition(
        field=state, source=State.RESOLVED, target=State.DISPUTED, permission=_is_customer_of
    )
    def dispute(self, *, now: datetime.datetime) -> None:
        self.waiting_since = None
        self.last_customer_activity_at = now
        self.updated_at = now

    @transition(field=state, source=list(WAITING_ON_CUSTOMER_STATES), target=State.CLOSED)
    def auto_close(self, *, now: datetime.datetime) -> None:
        self.close_reason = CloseReason.NO_CUSTOMER_RESPONSE
        self.closed_at = now
        self.waiting_since = None
        self.updated_at = now

    @transition(field=state, source=list(OPEN_STATES), target=State.CLOSED, permission=_is_engineer)
    def merge(self, *, into: "Ticket", now: datetime.datetime) -> None:
        """Closed as a duplicate of `into` (the service checks `into`; issue 18)."""
        self.merged_into = into
        self.close_reason = CloseReason.DUPLICATE
        self.closed_at = now
        self.waiting_since = None
        self.updated_at = now

    @transition(
        field=state, source=list(OPEN_STATES), target=State.CLOSED, permission=_is_customer_of
    )
    def withdraw(self, *, now: datetime.datetime) -> None:
        self.close_reason = CloseReason.WITHDRAWN
        self.closed_at = now
        self.waiting_since = None
        self.last_customer_activity_at = now
        self.updated_at = now


class TicketEvent(models.Model):
    """The audit log: one row per transition, priority change and other notable act."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        TAKE = "take", _("Taken into work")
        ASSIGN = "assign", _("Assigned")
        AUTO_ASSIGN = "auto_assign", _("Assigned automatically")
        REQUEST_INFO = "request_info", _("Information requested")
        PROVIDE_INFO = "provide_info", _("Information provided")
        RESOLVE = "resolve", _("Resolved")
        CONFIRM = "confirm", _("Resolution confirmed")
        CLOSE_CONFIRMED = "close_confirmed", _("Closed after confirmation")
        DISPUTE = "dispute", _("Resolution disputed")
        AUTO_CLOSE = "auto_close", _("Closed for lack of customer response")
        WITHDRAW = "withdraw", _("Withdrawn")
        PRIORITY_PROPOSED = "priority_proposed", _("Priority change proposed")
        PRIORITY_ACCEPTED = "priority_accepted", _("Priority change accepted")
        PRIORITY_DECLINED = "priority_declined", _("Priority change declined")
        PRIORITY_WITHDRAWN = "priority_withdrawn", _("Priority proposal withdrawn")
        SESSION_PROPOSED = "session_proposed", _("Session proposed")
        SESSION_ACCEPTED = "session_accepted", _("Session agreed")
        SESSION_DECLINED = "session_declined", _("Session declined")
        SESSION_WITHDRAWN = "session_withdrawn", _("Session proposal withdrawn")
        HOTLINE_CALL = "hotline_call", _("Hotline call logged")
        HANDLING_METHOD = "handling_method", _("Handling method chosen")
        UNCONFIRMED = "unconfirmed", _("Resolution not confirmed in time")
        SLA_WARNING = "sla_warning", _("SLA deadline approaching")
        SLA_BREACH = "sla_breach", _("SLA deadline breached")
        # Issue 18: merging a duplicate (an event on each ticket) and links between tickets.
        MERGE = "merge", _("Merged into another ticket")
        MERGED_FROM = "merged_from", _("A duplicate merged into this ticket")
        LINKED = "linked", _("Related ticket linked")
        UNLINKED = "unlinked", _("Related ticket unlinked")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Empty when the system acted."),
    )
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    from_state = models.CharField(
        _("state before"), max_length=32, choices=State.choices, blank=True
    )
    to_state = models.CharField(_("state after"), max_length=32, choices=State.choices, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_time")]

    def __str__(self) -> str:
        return f"{self.ticket.number}: {self.get_kind_display()}"


class InfoNeed(models.TextChoices):
    """What an engineer may ask the customer for (regulation 2.4), named in the reader's
    language wherever the request is shown or mailed."""

    LOGS = "logs", _("logs")
    CONFIGS = "configs", _("configuration files")
    TRACES = "traces", _("traces")
    PCAPS = "pcaps", _("network captures (pcap)")
    DIAGRAMS = "diagrams", _("network diagrams")


class Message(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply")
        INFO_REQUEST = "info_request", _("Information request")
        RESOLUTION = "resolution", _("Resolution")
        DISPUTE = "dispute", _("Dispute reason")
        REMOTE_SESSION = "remote_session", _("Remote session")
        PHONE_CONSULTATION = "phone_consultation", _("Phone consultation")
        WITHDRAWAL = "withdrawal", _("Withdrawal reason")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.REPLY)
    is_internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Engineers only; never shown to customers.")
    )
    body = models.TextField(_("text"))
    # An info request's checklist as InfoNeed codes (shown in each reader's language).
    needs = models.JSONField(_("what is needed"), default=list, blank=True)
    # An internal note's @mentions that named a colleague when it was written (tickets.mentions):
    # the handles, lower case; the page highlights these and no other @words.
    mentions = models.JSONField(_("mentions"), default=list, blank=True)
    created_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_time")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_internal=False) | Q(kind="reply"),
                name="internal_note_is_plain_reply",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number}: {self.get_kind_display()}"

    @property
    def need_labels(self) -> list[str]:
        """The checklist of an info request, in the active language."""
        return [str(InfoNeed(code).label) for code in self.needs if code in InfoNeed.values]


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # The stored name never carries the user's file name: no path tricks, no collisions.
    return f"attachments/{instance.ticket_id}/{instance.sha256[:16]}-{instance.uuid_hex}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=255)
    uuid_hex = models.CharField(max_length=32, editable=False)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_inline_image(self) -> bool:
        """An image Pillow recognized at upload (tickets.attachments): shown in the page."""
        return self.content_type in INLINE_IMAGE_TYPES


# The types tickets.attachments gives only to files Pillow read as such an image.
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif"})


class PriorityChange(models.Model):
    """A proposal to change a ticket's priority; it takes effect only when the other side agrees."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("priority proposal", "Withdrawn")

    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="priority_changes",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Fixed when the proposal is made: the answer must come from the other side even if the
    # proposer's role or account changes meanwhile.
    side = models.CharField(_("proposed by the side"), max_length=16, choices=Side.choices)
    from_priority = models.ForeignKey(
        "sla.Priority",
        verbose_name=_("current priority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_priority = models.ForeignKey(
        "sla.Priority",
        verbose_name=_("proposed priority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(_("proposed"))
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("priority change")
        verbose_name_plural = _("priority changes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status="pending"),
                name="one_pending_priority_change_per_ticket",
                violation_error_message=_("This ticket already has a pending priority proposal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number}: {self.from_priority} → {self.to_priority}"

    @property
    def proposed_by_vendor(self) -> bool:
        return self.side == Side.VENDOR


class SessionProposal(models.Model):
    """A remote session or phone consultation proposed by one side with a time window.

    The other side accepts, declines or proposes another time (a new proposal that replaces
    this one); the agreed session is on both ticket pages and mailed as an iCalendar
    invitation. The SLA does not depend on it (regulation 2.3: the method is agreed).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting answer")
        ACCEPTED = "accepted", _("Agreed")
        DECLINED = "declined", _("Declined")
        COUNTERED = "countered", _("Another time proposed")
        WITHDRAWN = "withdrawn", pgettext_lazy("session proposal", "Withdrawn")
        DONE = "done", _("Held")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="sessions"
    )
    method = models.CharField(
        _("method"),
        max_length=16,
        choices=[
            (HandlingMethod.REMOTE, HandlingMethod.REMOTE.label),
            (HandlingMethod.PHONE, HandlingMethod.PHONE.label),
        ],
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    side = models.CharField(_("proposed by the side"), max_length=16, choices=Side.choices)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("instead of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer_note = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    record = models.OneToOneField(
        Message,
        verbose_name=_("record of the session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session",
    )
    created_at = models.DateTimeField(_("proposed"))

    class Meta:
        verbose_name = _("session proposal")
        verbose_name_plural = _("session proposals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="session_ticket_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status="pending"),
                name="one_pending_session_per_ticket",
                violation_error_message=_("This ticket already has a pending session proposal."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket.number}: {self.get_method_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class HotlineCall(models.Model):
    """One call to the hotline, logged by the engineer who took it (docs/regulation.md, 2.3-2.4)."""

    class Outcome(models.TextChoices):
        REGISTERED = "registered", _("Ticket registered")
        LINKED = "linked", _("About an existing ticket")
        ADVICE = "advice", _("Answered on the phone")
        NOT_ELIGIBLE = "not_eligible", _("Not covered by the hotline")
        OTHER = "other", _("Other")

    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("taken by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    called_at = models.DateTimeField(_("call time"))
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caller"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_calls",
        help_text=_("The customer who called, when known."),
    )
    caller_name = models.CharField(_("caller's name"), max_length=200, blank=True)
    caller_phone = models.CharField(_("caller's phone"), max_length=40, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    license = models.ForeignKey(
        "accounts.License",
        verbose_name=_("license"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hotline_calls",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        ordering = ["-called_at", "-id"]
        indexes = [models.Index(fields=["-called_at"], name="hotline_call_recent")]

    def __str__(self) -> str:
        return f"{self.called_at:%Y-%m-%d %H:%M} {self.caller_name or self.caller_id}"


class Notification(models.Model):
    """One message to one person, on the portal and (if an address is set) by e-mail.

    Stored in the transaction that caused it; the e-mail is sent after commit by a task and
    retried by the beat until sent or given up.
    """

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Ticket registered")
        REPLY = "reply", _("New reply")
        INFO_REQUESTED = "info_requested", _("Information requested")
        INFO_PROVIDED = "info_provided", _("Information provided")
        RESOLVED = "resolved", _("Ticket resolved")
        DISPUTED = "disputed", _("Resolution disputed")
        CONFIRMED = "confirmed", _("Resolution confirmed")
        WITHDRAWN = "withdrawn", _("Ticket withdrawn")
        CONFIRMATION_REMINDER = "confirmation_reminder", _("Please confirm the resolution")
        PRIORITY_PROPOSED = "priority_proposed", _("Priority change proposed")
        PRIORITY_ANSWERED = "priority_answered", _("Priority change answered")
        AUTO_CLOSED = "auto_closed", _("Ticket closed for lack of response")
        SLA_WARNING = "sla_warning", _("SLA deadline approaching")
        SLA_BREACHED = "sla_breached", _("SLA deadline breached")
        ASSIGNED = "assigned", _("Ticket assigned to you")
        ON_DUTY_ALERT = "on_duty_alert", _("URGENT: assigned to you as the 24×7 on-duty engineer")
        TAKEN = "taken", _("Ticket taken into work")
        URGENT_REGISTERED = "urgent_registered", _("New urgent ticket")
        SESSION_PROPOSED = "session_proposed", _("Session proposed")
        SESSION_ANSWERED = "session_answered", _("Session proposal answered")
        # Mails about no ticket (the ticket is empty): an invitation to join an organization.
        INVITATION = "invitation", _("Invitation to the portal")
        # About an organization, not a ticket (issue 15): `ticket` is empty, `data` says what.
        SUPPORT_ENDING = "support_ending", _("Support period ends soon")
        SLA_REPORT = "sla_report", _("Monthly SLA report")
        WEBHOOK_DISABLED = "webhook_disabled", _("Webhook endpoint disabled")
        CLOSED = "closed", _("Ticket closed: rate our help")
        MERGED = "merged", _("Ticket merged into another")
        # An engineer named a colleague in an internal note (issue 18).
        MENTION = "mention", _("You were mentioned in a note")

    class EmailStatus(models.TextChoices):
        NONE = "none", _("No e-mail")
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="ru")
    # Empty for the notifications about an organization (Kind.SUPPORT_ENDING, SLA_REPORT).
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
        help_text=_(
            "Empty for a mail about no ticket: an invitation, a support period ending, a "
            "monthly SLA report."
        ),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    email_status = models.CharField(
        _("e-mail status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.NONE
    )
    email_attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    email_next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    email_last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_inbox",
            ),
            models.Index(
                fields=["recipient"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(
                fields=["email_next_attempt_at"],
                name="notification_email_due",
                condition=Q(email_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        about = self.ticket.number if self.ticket_id else "—"
        return f"{about}: {self.get_kind_display()} → {self.email or self.recipient}"


class TicketLink(models.Model):
    """Two related tickets, of any organizations (issue 18; tickets.services.links).

    Symmetric: stored once as the ordered pair (`low` < `high` by id), so a pair cannot be
    linked twice either way round. Who sees which link is selectors.related_tickets_for_user.
    """

    # Indexed by the constraints below (a column index of their own would be redundant).
    low = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    high = models.ForeignKey(
        Ticket,
        verbose_name=_("related ticket"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("linked"))

    class Meta:
        verbose_name = _("ticket link")
        verbose_name_plural = _("ticket links")
        ordering = ["created_at", "id"]
        constraints = [
            # Its index serves the links of a ticket from the `low` side ...
            models.UniqueConstraint(fields=["low", "high"], name="ticket_link_once"),
            models.CheckConstraint(
                condition=Q(low__lt=models.F("high")), name="ticket_link_ordered_pair"
            ),
        ]
        # ... and this one from the `high` side.
        indexes = [models.Index(fields=["high", "low"], name="ticket_link_high")]

    def __str__(self) -> str:
        return f"{self.low_id} ↔ {self.high_id}"


class Watcher(models.Model):
    """A person who follows a ticket besides its customer and assignee: a colleague of the
    customer's organization, or any engineer. Watchers get the ticket's notifications
    (tickets.notifications.store_notifications), customers never the vendor's internal ones."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="watchers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="watching",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("since"))

    class Meta:
        verbose_name = _("watcher")
        verbose_name_plural = _("watchers")
        ordering = ["created_at", "id"]
        constraints = [
            # The unique index also serves the fan-out of every notification (ticket first).
            models.UniqueConstraint(fields=["ticket", "user"], name="watcher_once_per_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.ticket_id}"


class EngineerWorkload(models.Model):
    """How many tickets assigned to an engineer wait on the vendor (registered, in progress,
    disputed): the open work auto-assignment compares (issue 18).

    Kept by PostgreSQL triggers on the ticket table (migration 0017), so every path that
    changes a ticket's assignee or state, a service, a job's bulk UPDATE, admin or a COPY,
    moves it in the same transaction; never written by Python. Counting instead took 20 ms
    and more at a million tickets (bench/bench_assign.py). The SQLite demo has no triggers
    and counts (tickets.services.assignment)."""

    engineer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    open_tickets = models.IntegerField(_("open tickets"), default=0)

    class Meta:
        verbose_name = _("engineer's open work")
        verbose_name_plural = _("engineers' open work")

    def __str__(self) -> str:
        return f"{self.engineer_id}: {self.open_tickets}"


class SweepRun(models.Model):
    """The last finished run of the beat's sweep, one row per job name (tickets.beat).

    /readyz fails when it is too old (the beat or the workers stopped) and /metrics exports its
    age and duration; a sweep that raised leaves the previous row, so its age keeps growing.
    """

    name = models.CharField(_("name"), max_length=32, primary_key=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    duration_seconds = models.FloatField(_("duration, seconds"))
    report = models.JSONField(_("what it did"), default=dict)

    class Meta:
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")

    def __str__(self) -> str:
        return f"{self.name} {self.finished_at:%Y-%m-%d %H:%M:%S}"


class TicketRating(models.Model):
    """The customer's satisfaction (CSAT) with a closed ticket: 1-5 and a comment, once."""

    class Via(models.TextChoices):
        PORTAL = "portal", _("Portal")
        MAIL = "mail", _("Link in the mail")

    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="rating"
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.PROTECT
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    via = models.CharField(_("given through"), max_length=8, choices=Via.choices)
    created_at = models.DateTimeField(_("rated"))

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]
        # The dashboard reads a period's ratings, newest first.
        indexes = [models.Index(fields=["-created_at"], name="rating_recent")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}"
