from django.contrib import admin

from accounts.admin_readonly import ReadOnlyAdmin
from colleagues.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """What organization admins sent: read here, written by colleagues.services only."""

    list_display = ["email", "organization", "invited_by", "created_at", "expires_at"]
    list_display += ["accepted_at", "revoked_at"]
    list_filter = ["organization"]
    search_fields = ["email", "organization__name"]
    list_select_related = ["organization", "invited_by"]
