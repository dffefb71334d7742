from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from duty.models import AssignmentSettings, DutyProfile


@admin.register(DutyProfile)
class DutyProfileAdmin(admin.ModelAdmin):
    list_display = ["engineer", "calendar", "tier_list", "area_list", "on_duty_24x7"]
    list_filter = ["on_duty_24x7", "tiers", "areas"]
    search_fields = ["engineer__email", "engineer__first_name", "engineer__last_name"]
    filter_horizontal = ["tiers", "areas"]
    fields = ["engineer", "calendar", "tiers", "areas", "on_duty_24x7", "last_auto_assigned_at"]
    readonly_fields = ["last_auto_assigned_at"]
    list_select_related = ["engineer", "calendar"]

    def get_queryset(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).prefetch_related("tiers", "areas")

    @admin.display(description=_("support tiers handled"))
    def tier_list(self, profile: DutyProfile) -> str:
        return ", ".join(t.label for t in profile.tiers.all()) or str(_("every tier"))

    @admin.display(description=_("product areas handled"))
    def area_list(self, profile: DutyProfile) -> str:
        return ", ".join(a.label for a in profile.areas.all()) or str(_("every area"))


@admin.register(AssignmentSettings)
class AssignmentSettingsAdmin(admin.ModelAdmin):
    """One row, made with its defaults when the list is first opened; it is neither added
    nor deleted."""

    list_display = ["__str__", "enabled"]
    filter_horizontal = ["round_the_clock_tiers", "round_the_clock_priorities"]

    def changelist_view(self, request: HttpRequest, extra_context=None):  # type: ignore[no-untyped-def]
        AssignmentSettings.load()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
