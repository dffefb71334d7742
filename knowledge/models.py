"""Self-help: product areas, their diagnostics checklists, articles, votes and deflections.

The knowledge base sits below tickets (docs/architecture.md): tickets file against a product
area and its checklist, and turn a resolution into a draft here; nothing here knows tickets.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _russian() -> bool:
    return (get_language() or "ru").startswith("ru")


class ProductArea(models.Model):
    """A part of the product (VPN, firewall, licensing…): the category of articles and the
    owner of a diagnostics checklist. Admins edit them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")
        ordering = ["rank", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_ru if _russian() else self.name


class ChecklistItem(models.Model):
    """One step of primary diagnostics (regulation 2.2) the new-ticket form offers to tick."""

    area = models.ForeignKey(
        ProductArea,
        verbose_name=_("product area"),
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    text = models.CharField(_("text (English)"), max_length=200)
    text_ru = models.CharField(_("text (Russian)"), max_length=200)
    rank = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("shown on the form"), default=True)

    class Meta:
        verbose_name = _("diagnostics checklist item")
        verbose_name_plural = _("diagnostics checklist items")
        ordering = ["area", "rank", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.text_ru if _russian() else self.text


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> "ArticleQuerySet":
        return self.filter(status=Article.Status.PUBLISHED)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Language(models.TextChoices):
        RU = "ru", _("Russian")
        EN = "en", _("English")

    area = models.ForeignKey(
        ProductArea, verbose_name=_("product area"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.RU
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    # Empty: every signed-in person; otherwise customers whose organization has an active
    # license of one of these tiers (engineers read everything).
    tiers = models.ManyToManyField(
        "sla.Tier",
        verbose_name=_("support tiers"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every signed-in customer."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    # The ticket whose resolution the draft was made from (its number: tickets sit above).
    source_ticket = models.CharField(_("made from ticket"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("last update"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    helpful_count = models.PositiveIntegerField(_("helpful"), default=0)
    unhelpful_count = models.PositiveIntegerField(_("not helpful"), default=0)
    # Title and text stemmed in Russian and in English, written by knowledge.services on
    # every save (PostgreSQL only; the SQLite demo searches by substring).
    search_document = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The search of the knowledge base and the new-ticket form's suggestions.
            GinIndex(fields=["search_document"], name="article_search"),
            # The list of published articles, newest first.
            models.Index(
                fields=["-published_at", "-id"],
                name="article_published",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleVote(models.Model):
    """Was this helpful? One vote per person per article (a second one changes it)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE
    )
    helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(_("voted"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_vote_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.helpful}"


# Opening a suggestion and filing within this time means the article did not answer.
FILING_WINDOW = datetime.timedelta(hours=24)


class SuggestionOpen(models.Model):
    """A customer opened an article suggested on the new-ticket form. If they file no ticket
    on the portal within FILING_WINDOW, the article answered them: a deflection (counted by
    workspace.feedback.deflections_between, from the tickets themselves)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.CASCADE
    )
    opened_at = models.DateTimeField(_("opened"))

    class Meta:
        verbose_name = _("suggested article opened")
        verbose_name_plural = _("suggested articles opened")
        # The dashboard counts the openings of a period.
        indexes = [models.Index(fields=["opened_at"], name="suggestion_opened")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.opened_at:%Y-%m-%d %H:%M}"
