from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sla.models import Calendar, CalendarException, Priority, Target, Tier, WorkingHours


class CodeReadOnlyOnChange(admin.ModelAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        # Codes are referenced by targets and tickets; renaming one would orphan history.
        return ["code"] if obj else []


@admin.register(Tier)
class TierAdmin(CodeReadOnlyOnChange):
    list_display = ["code", "name", "name_ru", "extended", "rank"]
    list_editable = ["rank"]
    search_fields = ["code", "name", "name_ru"]


@admin.register(Priority)
class PriorityAdmin(CodeReadOnlyOnChange):
    list_display = ["code", "name", "name_ru", "rank"]
    search_fields = ["code", "name", "name_ru", "criteria", "criteria_ru"]


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class CalendarExceptionInline(admin.TabularInline):
    model = CalendarException
    extra = 0
    ordering = ["-date"]


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "name_ru",
        "time_zone",
        "always_open",
        "russian_production_calendar",
        "is_default",
        "updated_at",
    ]
    list_filter = ["always_open", "russian_production_calendar"]
    search_fields = ["name", "name_ru"]
    inlines = [WorkingHoursInline, CalendarExceptionInline]


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ["date", "calendar", "kind", "start", "end", "note"]
    list_filter = ["calendar", "kind"]
    search_fields = ["note"]
    date_hierarchy = "date"
    list_select_related = ["calendar"]


def _duration(amount: int, unit: str) -> str:
    if unit == Target.Unit.BUSINESS_DAYS:
        return _("%(n)d bd") % {"n": amount}
    hours, minutes = divmod(amount, 60)
    if minutes:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}
    return _("%(h)d h") % {"h": hours}


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = [
        "tier",
        "priority",
        "reaction",
        "reaction_calendar",
        "resolution",
        "resolution_calendar",
    ]
    list_filter = ["tier", "priority"]
    list_select_related = ["tier", "priority", "reaction_calendar", "resolution_calendar"]
    fieldsets = (
        (None, {"fields": ("tier", "priority")}),
        (_("Reaction"), {"fields": ("reaction_amount", "reaction_unit", "reaction_calendar")}),
        (
            _("Resolution"),
            {"fields": ("resolution_amount", "resolution_unit", "resolution_calendar")},
        ),
    )

    @admin.display(description=_("reaction"))
    def reaction(self, obj: Target) -> str:
        return _duration(obj.reaction_amount, obj.reaction_unit)

    @admin.display(description=_("resolution"))
    def resolution(self, obj: Target) -> str:
        return _duration(obj.resolution_amount, obj.resolution_unit)
