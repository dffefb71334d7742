"""Reads of the knowledge base that enforce who may read what (the single 404 place).

Engineers (and staff) read every article, drafts included. A customer reads published
articles meant for everyone signed in, or for a tier that one of their organization's
licenses active today carries; any other article answers 404, like another organization's
ticket (docs/regulation.md, visibility).
"""

import datetime
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import License
from accounts.reference import Kept
from knowledge.models import Article, ChecklistItem, ProductArea

if TYPE_CHECKING:
    from accounts.models import User

SUGGESTION_LIMIT = 5


def _reads_everything(user: "User") -> bool:
    return bool(user.is_engineer or user.is_staff)


def articles_visible_to(*, user: "User", day: datetime.date) -> QuerySet[Article]:
    if not user.is_authenticated or not user.is_active:
        return Article.objects.none()
    if _reads_everything(user):
        return Article.objects.all()
    if not (user.is_customer and user.organization_id):
        return Article.objects.none()
    for_everyone = ~Exists(Article.tiers.through.objects.filter(article_id=OuterRef("pk")))
    licensed = Exists(
        Article.tiers.through.objects.filter(article_id=OuterRef("pk")).filter(
            Exists(
                License.objects.active_on(day).filter(
                    organization_id=user.organization_id, tier_id=OuterRef("tier_id")
                )
            )
        )
    )
    return Article.objects.published().filter(for_everyone | licensed)


def article_for_user(*, user: "User", pk: int, day: datetime.date) -> Article:
    article = (
        articles_visible_to(user=user, day=day)
        .select_related("area", "author")
        .filter(pk=pk)
        .first()
    )
    if article is None:
        raise Http404("No such article")
    return article


def search_words(query: str) -> SearchQuery:
    return SearchQuery(query, config="russian", search_type="websearch") | SearchQuery(
        query, config="english", search_type="websearch"
    )


def search_articles(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """`articles` matching `query`, best first: stemmed in Russian and in English on
    PostgreSQL (the GIN index `article_search`), by substring on the SQLite demo."""
    query = query.strip()
    if not query:
        return articles
    if connection.vendor != "postgresql":
        return articles.filter(Q(title__icontains=query) | Q(body__icontains=query))
    words = search_words(query)
    return (
        articles.filter(search_document=words)
        .annotate(rank=SearchRank("search_document", words))
        .order_by("-rank", "-id")
    )


def suggestions_for(*, user: "User", query: str, day: datetime.date) -> list[Article]:
    """What the new-ticket form suggests while the subject is typed: published articles only."""
    if len(query.strip()) < 3:
        return []
    visible = articles_visible_to(user=user, day=day).published()
    return list(
        search_articles(visible, query)
        .select_related("area")
        .defer("body", "search_document")[:SUGGESTION_LIMIT]
    )


def areas() -> QuerySet[ProductArea]:
    return ProductArea.objects.all()


kept_areas = Kept(lambda: list(ProductArea.objects.all()))
"""Every product area, kept per process until one changes anywhere (accounts/reference.py):
the ticket page names its ticket's area without a query."""


def checklists() -> list[tuple[ProductArea, list[ChecklistItem]]]:
    """Each product area with the active items of its diagnostics checklist (two queries)."""
    items = ChecklistItem.objects.filter(active=True).order_by("area_id", "rank", "id")
    by_area: dict[int, list[ChecklistItem]] = {}
    for item in items:
        by_area.setdefault(item.area_id, []).append(item)
    return [(area, by_area.get(area.pk, [])) for area in ProductArea.objects.all()]
