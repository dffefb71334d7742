"""Django admin: admins read and search everything; tickets change only through services.

The FSM state, the priority (changed only by agreement) and the audit log are read-only here.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_readonly import ReadOnlyAdmin
from tickets.history import describe
from tickets.models import (
    Attachment,
    HotlineCall,
    Message,
    Notification,
    PriorityChange,
    SessionProposal,
    Ticket,
    TicketEvent,
    TicketRating,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MessageInline(ReadOnlyInline):
    model = Message
    fields = ["created_at", "author", "kind", "is_internal", "body"]


class EventInline(ReadOnlyInline):
    """The ticket's history in words, as engineers read it on the portal (tickets.history)."""

    model = TicketEvent
    fields = ["created_at", "actor", "kind", "from_state", "to_state", "details"]
    readonly_fields = ["details"]

    @admin.display(description=_("details"))
    def details(self, event: TicketEvent) -> str:
        # One description of the whole history (three queries), not one per row. Django makes
        # a new inline per request, so this cache never outlives the page.
        if not hasattr(self, "_details"):
            events = TicketEvent.objects.filter(ticket_id=event.ticket_id)
            self._details = {entry.event.pk: entry.details for entry in describe(events)}
        return self._details.get(event.pk, "")


# Kept by the SLA engine and the periodic jobs: shown read-only, as an edit here would
# desynchronize them.
SLA_FIELDS = (
    "queue_due",
    "reaction_met",
    "resolution_met",
    "resolution_paused_at",
    "deadlines_provisional",
    "confirmation_due",
    "auto_close_at",
    "reaction_warn_at",
    "resolution_warn_at",
    "reaction_warned_at",
    "resolution_warned_at",
    "reaction_breached_at",
    "resolution_breached_at",
    "unconfirmed_flagged_at",
)


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    # The columns that fit 1366 px in both languages; the rest is one click away.
    list_display = [
        "number",
        "subject",
        "organization",
        "state",
        "priority",
        "assignee",
        "resolution_due",
    ]
    list_filter = ["state", "priority", "tier", "channel", "close_reason", "organization"]
    search_fields = [
        "number",
        "subject",
        "description",
        "license__key",
        "organization__name",
        "customer__email",
        "contact_email",
    ]
    list_select_related = ["organization", "priority", "tier", "assignee"]
    date_hierarchy = "registered_at"
    readonly_fields = [
        "number",
        "state",
        "close_reason",
        "priority",
        "tier",
        "organization",
        "customer",
        "registered_by",
        "channel",
        "license",
        "registered_at",
        "updated_at",
        "reacted_at",
        "resolved_at",
        "closed_at",
        "waiting_since",
        "last_customer_activity_at",
        "reaction_due",
        "resolution_due",
        "assignee",
        "handling_method",  # recorded by engineers on the ticket page, with an audit event
        *SLA_FIELDS,
    ]
    fieldsets = (
        (None, {"fields": ("number", "state", "close_reason", "subject")}),
        (
            _("Filed"),
            {
                "fields": (
                    "organization",
                    "customer",
                    "registered_by",
                    "channel",
                    "license",
                    "tier",
                    "priority",
                    "product_version",
                    "contact_email",
                )
            },
        ),
        (_("Problem"), {"fields": ("description", "diagnostics")}),
        (_("Work"), {"fields": ("assignee", "handling_method")}),
        (
            _("Time"),
            {
                "fields": (
                    "registered_at",
                    "updated_at",
                    "reacted_at",
                    "resolved_at",
                    "closed_at",
                    "waiting_since",
                    "last_customer_activity_at",
                    "reaction_due",
                    "resolution_due",
                )
            },
        ),
        (
            _("SLA clock and jobs"),
            {
                "classes": ("collapse",),
                "fields": SLA_FIELDS,
            },
        ),
    )
    inlines = [MessageInline, EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tickets are registered through the portal (numbering, deadlines, mail), not here.
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> Any:
        # Django's "Select %s to change" puts «заявка» in the nominative; the title says it
        # whole, in the right case.
        title = {"title": _("Select a ticket to change")}
        return super().changelist_view(request, {**title, **(extra_context or {})})

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    # The ticket by its number alone: with its subject the list hid "state after" at 1366 px.
    list_display = ["created_at", "ticket_number", "kind", "actor", "from_state", "to_state"]
    list_filter = ["kind", "to_state"]
    search_fields = ["ticket__number", "actor__email"]
    list_select_related = ["ticket", "actor"]
    date_hierarchy = "created_at"

    @admin.display(description=_("ticket"), ordering="ticket__number")
    def ticket_number(self, event: TicketEvent) -> str:
        return event.ticket.number


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "ticket", "author", "kind", "is_internal"]
    list_filter = ["kind", "is_internal"]
    search_fields = ["ticket__number", "body", "author__email"]
    list_select_related = ["ticket", "author"]
    readonly_fields = ["ticket", "author", "kind", "is_internal", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "ticket", "uploaded_by", "size", "content_type", "created_at"]
    search_fields = ["name", "ticket__number", "sha256"]
    list_select_related = ["ticket", "uploaded_by"]
    readonly_fields = [
        "ticket",
        "message",
        "uploaded_by",
        "file",
        "uuid_hex",
        "name",
        "size",
        "sha256",
        "content_type",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PriorityChange)
class PriorityChangeAdmin(admin.ModelAdmin):
    list_display = [
        "ticket",
        "from_priority",
        "to_priority",
        "status",
        "proposed_by",
        "decided_by",
        "created_at",
        "decided_at",
    ]
    list_filter = ["status", "to_priority"]
    search_fields = ["ticket__number", "reason"]
    list_select_related = ["ticket", "from_priority", "to_priority", "proposed_by", "decided_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SessionProposal)
class SessionProposalAdmin(ReadOnlyAdmin):
    """Agreed on the ticket page (tickets.services.sessions); read-only here."""

    list_display = [
        "ticket",
        "method",
        "starts_at",
        "ends_at",
        "status",
        "side",
        "proposed_by",
        "answered_by",
        "created_at",
    ]
    list_filter = ["status", "method", "side"]
    search_fields = ["ticket__number", "phone", "note", "answer_note"]
    list_select_related = ["ticket", "proposed_by", "answered_by"]
    date_hierarchy = "starts_at"


@admin.register(HotlineCall)
class HotlineCallAdmin(admin.ModelAdmin):
    """Logged on the hotline page (tickets.services.hotline, with the ticket's audit event);
    only the notes may be corrected here."""

    list_display = ["called_at", "engineer", "caller_name", "organization", "outcome", "ticket"]
    list_filter = ["outcome", "called_at", "engineer", "organization"]
    search_fields = [
        "caller_name",
        "caller_phone",
        "caller__email",
        "organization__name",
        "license__key",
        "ticket__number",
        "notes",
    ]
    list_select_related = ["engineer", "organization", "ticket"]
    date_hierarchy = "called_at"
    readonly_fields = [
        "engineer",
        "called_at",
        "caller",
        "caller_name",
        "caller_phone",
        "organization",
        "license",
        "outcome",
        "ticket",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "ticket_number",
        "kind",
        "email",
        "email_status",
        "email_attempts",
    ]
    list_filter = ["email_status", "kind"]
    search_fields = ["ticket__number", "email", "recipient__email", "email_last_error"]
    list_select_related = ["ticket", "recipient"]

    @admin.display(description=_("ticket"), ordering="ticket__number")
    def ticket_number(self, notification: Notification) -> str:
        return notification.ticket.number if notification.ticket_id else "—"

    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["retry_email"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Retry the e-mail of the selected notifications"))
    def retry_email(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        from django.utils import timezone

        count = (
            queryset.exclude(email_status=Notification.EmailStatus.NONE)
            .exclude(email_status=Notification.EmailStatus.SENT)
            .update(
                email_status=Notification.EmailStatus.PENDING,
                email_next_attempt_at=timezone.now(),
                email_attempts=0,
            )
        )
        self.message_user(request, _("%(count)d e-mails queued again.") % {"count": count})


@admin.register(TicketRating)
class TicketRatingAdmin(ReadOnlyAdmin):
    """Customers' satisfaction ratings (issue 17): written by tickets.services.rating only."""

    list_display = ["created_at", "ticket_number", "score", "rated_by", "via"]
    list_filter = ["score", "via"]
    search_fields = ["ticket__number", "rated_by__email", "comment"]
    list_select_related = ["ticket", "rated_by"]
    date_hierarchy = "created_at"

    @admin.display(description=_("ticket"), ordering="ticket__number")
    def ticket_number(self, rating: TicketRating) -> str:
        return rating.ticket.number
