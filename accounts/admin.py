import allauth.account.admin  # registers first, so that it can be replaced below
import allauth.mfa.admin
import allauth.usersessions.admin
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount import admin as socialaccount_admin
from allauth.usersessions.models import UserSession
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.admin_readonly import ReadOnlyAdmin
from accounts.models import (
    License,
    Organization,
    SecondFactor,
    SecurityEvent,
    SignInSession,
    User,
)

# The e-mail that is the login lives on the user; allauth's extra addresses are not used.
# Its second factors and sessions are listed with the accounts, under the portal's names
# (accounts.models.SecondFactor, SignInSession); allauth's own session list also searched a
# `username` the portal's users do not have.
for _model in (EmailAddress, Authenticator, UserSession):
    admin.site.unregister(_model)


@admin.register(SignInSession)
class SignInSessionAdmin(allauth.usersessions.admin.UserSessionAdmin):
    search_fields = ["user__email", "ip"]
    list_select_related = ["user"]


@admin.register(SecondFactor)
class SecondFactorAdmin(allauth.mfa.admin.AuthenticatorAdmin):
    """Removing a lost authenticator app here makes its owner set up a new one (if they must
    have one) at their next click."""

    search_fields = ["user__email"]
    list_select_related = ["user"]
    # Never the secret itself: an admin may remove a method, not read or change one.
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "role",
        "organization",
        "is_staff",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_staff", "is_active", "organization", "language"]
    search_fields = ["email", "first_name", "last_name", "organization__name"]
    list_select_related = ["organization"]
    autocomplete_fields = ["organization"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Person"),
            {"fields": ("first_name", "last_name", "phone", "language", "time_zone")},
        ),
        (_("Role"), {"fields": ("role", "organization", "is_organization_admin")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "organization", "password1", "password2"),
            },
        ),
    )


class LicenseInline(admin.TabularInline):
    model = License
    extra = 0
    fields = ["key", "product", "tier", "support_starts_on", "support_ends_on", "hotline_phone"]
    show_change_link = True


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "require_second_factor", "created_at"]
    list_filter = ["is_active", "require_second_factor"]
    search_fields = ["name", "licenses__key"]
    fields = ["name", "is_active", "require_second_factor", "account_manager"]
    raw_id_fields = ["account_manager"]
    inlines = [LicenseInline]


@admin.register(License)
class LicenseAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "organization",
        "product",
        "tier",
        "support_starts_on",
        "support_ends_on",
        "hotline_phone",
    ]
    list_filter = ["tier", "product", "support_ends_on"]
    search_fields = ["key", "organization__name", "product"]
    list_select_related = ["organization", "tier"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "support_ends_on"


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """The audit, read-only: rows are written by accounts.security alone."""

    list_display = ["created_at", "kind", "user", "ip", "user_agent"]
    list_filter = ["kind", "created_at"]
    search_fields = ["user__email", "ip", "detail__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    fields = ["created_at", "kind", "user", "ip", "user_agent", "detail"]
    readonly_fields = fields


# Single sign-on is configured by environment variables only (accounts/sso.py ignores apps
# stored in the database) and keeps no tokens: those two admin pages would change nothing.
# The connected identities stay listed, and deleting one disconnects it.
admin.site.unregister(socialaccount_admin.SocialApp)
admin.site.unregister(socialaccount_admin.SocialToken)
