"""Writes of the knowledge base: articles by engineers, votes and deflections by customers."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge.models import Article, ArticleVote, ProductArea, SuggestionOpen

if TYPE_CHECKING:
    from accounts.models import User
    from sla.models import Tier


def _check_engineer(actor: "User") -> None:
    if not (actor.is_active and (actor.is_engineer or actor.is_staff)):
        raise PermissionDenied(_("Only support engineers write articles."))


def article_index(article: Article) -> None:
    """Stem the title and text in both languages for the search (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    vector = (
        SearchVector("title", config="russian", weight="A")
        + SearchVector("title", config="english", weight="A")
        + SearchVector("body", config="russian", weight="B")
        + SearchVector("body", config="english", weight="B")
    )
    Article.objects.filter(pk=article.pk).update(search_document=vector)


def _checked(title: str, body: str, area: ProductArea | None) -> tuple[str, str]:
    errors = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = [_("Give the article a title.")]
    if not body:
        errors["body"] = [_("Write the article's text.")]
    if area is None:
        errors["area"] = [_("Choose the product area.")]
    if errors:
        raise ValidationError(errors)
    return title, body


@transaction.atomic
def article_save(
    *,
    actor: "User",
    article: Article | None = None,
    title: str,
    body: str,
    area: ProductArea | None,
    language: str,
    tiers: Iterable["Tier"] = (),
    now: datetime.datetime | None = None,
    source_ticket: str = "",
) -> Article:
    """Create (article=None: a draft) or edit an article; engineers only."""
    _check_engineer(actor)
    title, body = _checked(title, body, area)
    now = now or timezone.now()
    if language not in Article.Language.values:
        raise ValidationError({"language": [_("Choose Russian or English.")]})
    if article is None:
        article = Article(author=actor, created_at=now, source_ticket=source_ticket)
    article.title, article.body, article.area, article.language = title, body, area, language
    article.updated_at = now
    article.save()
    article.tiers.set(list(tiers))
    article_index(article)
    return article


@transaction.atomic
def article_publish(
    *, actor: "User", article: Article, publish: bool = True, now: datetime.datetime | None = None
) -> Article:
    """Publish a draft (customers may then read it), or take it back to a draft."""
    _check_engineer(actor)
    now = now or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    article.status = Article.Status.PUBLISHED if publish else Article.Status.DRAFT
    if publish and article.published_at is None:
        article.published_at = now
    article.updated_at = now
    article.save(update_fields=["status", "published_at", "updated_at"])
    return article


@transaction.atomic
def article_vote(
    *, actor: "User", article: Article, helpful: bool, now: datetime.datetime | None = None
) -> ArticleVote:
    """One vote per person per article: a second vote replaces the first. `article` must come
    from knowledge.selectors.article_for_user (the caller proves the person may read it)."""
    now = now or timezone.now()
    vote, _created = ArticleVote.objects.update_or_create(
        article=article, user=actor, defaults={"helpful": helpful, "created_at": now}
    )
    counts = ArticleVote.objects.filter(article=article).aggregate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    Article.objects.filter(pk=article.pk).update(
        helpful_count=counts["yes"], unhelpful_count=counts["no"]
    )
    return vote


def suggestion_opened(
    *, actor: "User", article: Article, now: datetime.datetime | None = None
) -> SuggestionOpen | None:
    """A customer opened an article the new-ticket form suggested: a deflection unless they
    file a ticket within knowledge.models.FILING_WINDOW (workspace.feedback counts them)."""
    if not actor.is_customer:
        return None
    return SuggestionOpen.objects.create(
        article=article, user=actor, opened_at=now or timezone.now()
    )
