from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import License, Organization, User


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
        (_("Person"), {"fields": ("first_name", "last_name", "language", "time_zone")}),
        (_("Role"), {"fields": ("role", "organization")}),
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
    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "licenses__key"]
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
