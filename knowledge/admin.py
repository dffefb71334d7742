from django.contrib import admin
from django.utils import timezone

from knowledge.models import Article, ChecklistItem, ProductArea
from knowledge.services import article_index


class ChecklistInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1


@admin.register(ProductArea)
class ProductAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ru", "code", "rank"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [ChecklistInline]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "language", "status", "published_at", "helpful_count"]
    list_filter = ["status", "language", "area"]
    search_fields = ["title"]
    filter_horizontal = ["tiers"]
    fields = [
        "title",
        "area",
        "language",
        "tiers",
        "status",
        "body",
        "published_at",
        "helpful_count",
        "unhelpful_count",
        "source_ticket",
    ]
    readonly_fields = ["helpful_count", "unhelpful_count", "source_ticket", "published_at"]
    list_select_related = ["area"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        now = timezone.now()
        if not change:
            obj.author = request.user
            obj.created_at = now
        obj.updated_at = now
        if obj.status == Article.Status.PUBLISHED and obj.published_at is None:
            obj.published_at = now
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):  # type: ignore[no-untyped-def]
        super().save_related(request, form, formsets, change)
        article_index(form.instance)
