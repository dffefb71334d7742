from django.contrib import admin

from sla.models import Priority, Tier


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_ru", "extended", "rank"]
    list_editable = ["rank"]
    search_fields = ["code", "name", "name_ru"]

    def get_readonly_fields(self, request, obj=None):
        # Codes are referenced by targets and tickets; renaming one would orphan history.
        return ["code"] if obj else []


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_ru", "rank"]
    search_fields = ["code", "name", "name_ru", "criteria", "criteria_ru"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []
