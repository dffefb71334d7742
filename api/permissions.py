"""What a caller may do at all: signed in, and with a read-only token only read.

What they may do to a given ticket is the services' decision, as on the pages."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from api.models import ApiToken


class TokenScope(permissions.BasePermission):
    message = _("This API token may only read; make a read-and-write token to change anything.")

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.writes


class EngineerOrAdmin(permissions.BasePermission):
    message = _("Only support engineers and administrators may use this.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user.is_authenticated and (user.is_engineer or user.is_staff))
