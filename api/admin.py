"""API tokens in Django admin: who has which (never the token: only its hash is stored)."""

from django.contrib import admin

from accounts.admin_readonly import ReadOnlyAdmin
from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "lookup",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope"]
    search_fields = ["name", "lookup", "user__email"]
    exclude = ["digest"]
    list_select_related = ["user"]
