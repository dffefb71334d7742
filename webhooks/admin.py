"""Webhooks in Django admin: endpoints (an admin may disable one or delete it) and the delivery
log (status, attempts, response code), read-only: the workers alone write it."""

from django.contrib import admin

from accounts.admin_readonly import ReadOnlyAdmin
from webhooks.models import WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = [
        "url",
        "owner",
        "is_active",
        "consecutive_failures",
        "disabled_at",
        "created_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["url", "owner__email"]
    fields = [
        "url",
        "owner",
        "kinds",
        "is_active",
        "consecutive_failures",
        "disabled_at",
        "created_at",
    ]
    readonly_fields = ["url", "owner", "kinds", "consecutive_failures", "disabled_at", "created_at"]
    list_select_related = ["owner"]

    def has_add_permission(self, request) -> bool:
        return False  # registered through the API, where the secret is made and shown once


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event_id", "event_kind", "endpoint", "status", "attempts", "response_code",
        "next_attempt_at", "delivered_at", "created_at",
    ]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["event__id", "endpoint__url", "event__ticket__number"]
    list_select_related = ["event", "endpoint"]
    date_hierarchy = None

    @admin.display(description="event")
    def event_kind(self, delivery: WebhookDelivery) -> str:
        return delivery.event.get_kind_display()
