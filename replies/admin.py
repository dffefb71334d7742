from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from replies.models import CannedReply


class ScopeFilter(admin.SimpleListFilter):
    title = _("scope")
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("team", _("Team")), ("personal", _("Personal"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("team", "personal"):
            return queryset.filter(owner__isnull=self.value() == "team")
        return queryset


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    """The team's replies (owner empty) and, for tidying up, engineers' personal ones. The
    model's clean() refuses unknown placeholders and a reply without text here too."""

    list_display = ["title", "keyword", "owner", "is_active", "updated_at"]
    list_filter = [ScopeFilter, "is_active"]
    search_fields = ["title", "keyword"]
    list_select_related = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["title", "keyword", "owner", "is_active", "text_ru", "text_en"]
    fields += readonly_fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "owner":
            kwargs["queryset"] = User.objects.filter(role=User.Role.ENGINEER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: CannedReply, form: Any, change: bool) -> None:
        now = timezone.now()
        if not change:
            obj.created_at = now
        obj.updated_at = now
        super().save_model(request, obj, form, change)
