"""The license base in Django admin: the import (with its preview), the tier history.

The license and organization pages are accounts' (accounts/admin.py); they are registered
again here with the import button and the history, and record a tier changed by hand.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils import timezone
from import_export.admin import ImportMixin
from import_export.formats.base_formats import CSV, XLSX

from accounts.admin import LicenseAdmin as BaseLicenseAdmin
from accounts.admin import OrganizationAdmin as BaseOrganizationAdmin
from accounts.admin_readonly import ReadOnlyAdmin
from accounts.models import License, Organization
from licensing.history import tier_changes_record
from licensing.models import SupportReminder, TierChange
from licensing.resources import LicenseImportResource


def _tier_change(form: ModelForm) -> tuple[int, str, str] | None:
    """(license, tier before, tier after) if the form changed a saved license's tier."""
    if "tier" not in form.changed_data or form.instance.pk is None:
        return None
    before = form.initial.get("tier")
    if before is None:
        return None
    before_id = before.pk if hasattr(before, "pk") else before
    return (form.instance.pk, str(before_id), form.instance.tier_id)


class TierChangeInline(admin.TabularInline):
    """The tier history of a license, read-only: written by licensing.history alone."""

    model = TierChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_tier", "to_tier", "source", "changed_by", "note"]
    readonly_fields = fields
    ordering = ["-changed_at", "-id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[TierChange]:
        return super().get_queryset(request).select_related("from_tier", "to_tier", "changed_by")


admin.site.unregister(License)
admin.site.unregister(Organization)


@admin.register(License)
class LicenseAdmin(ImportMixin, BaseLicenseAdmin):
    resource_classes = [LicenseImportResource]
    formats = [CSV, XLSX]
    inlines = [TierChangeInline]

    def save_model(self, request: HttpRequest, obj: License, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        change_row = _tier_change(form) if change else None
        if change_row:
            tier_changes_record(
                [change_row],
                actor=request.user,  # type: ignore[arg-type]
                source=TierChange.Source.ADMIN,
                now=timezone.now(),
            )


@admin.register(Organization)
class OrganizationAdmin(BaseOrganizationAdmin):
    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        changes = [
            row
            for one in formset.forms
            if one.has_changed() and (row := _tier_change(one)) is not None
        ]
        super().save_formset(request, form, formset, change)
        if changes:
            tier_changes_record(
                changes,
                actor=request.user,  # type: ignore[arg-type]
                source=TierChange.Source.ADMIN,
                now=timezone.now(),
            )


@admin.register(TierChange)
class TierChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "license", "from_tier", "to_tier", "source", "changed_by"]
    list_filter = ["source", "to_tier"]
    search_fields = ["license__key", "license__organization__name"]
    list_select_related = ["license", "from_tier", "to_tier", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(SupportReminder)
class SupportReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "license", "support_ends_on", "days_before"]
    list_filter = ["days_before"]
    search_fields = ["license__key", "license__organization__name"]
    list_select_related = ["license"]
    date_hierarchy = "sent_at"
