"""Canned replies (issue 18): texts engineers insert into a reply, an information request or a
resolution, with placeholders (tickets/placeholders.py) filled in for the ticket.

One reply has a Russian and an English text (either may be empty, not both): the customer's
language picks one, the other stands in with a note. A reply without an owner is the team's
(staff edit it, here and in Django admin); with one, it is that engineer's own.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.placeholders import validate_known


class CannedReplyQuerySet(models.QuerySet["CannedReply"]):
    def usable_by(self, user: object) -> "CannedReplyQuerySet":
        """The team's replies and `user`'s own (never another engineer's personal ones)."""
        return self.filter(Q(owner__isnull=True) | Q(owner=user))


class CannedReply(models.Model):
    title = models.CharField(_("title"), max_length=200)
    text_ru = models.TextField(_("text in Russian"), blank=True)
    text_en = models.TextField(_("text in English"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_replies",
        help_text=_("Empty: a team reply. Otherwise the engineer's personal reply."),
    )
    keyword = models.SlugField(
        _("keyword"),
        max_length=40,
        blank=True,
        allow_unicode=True,
        help_text=_("A short word to find the reply by, e.g. restart."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))

    objects = CannedReplyQuerySet.as_manager()

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text_ru="") | ~Q(text_en=""),
                name="canned_reply_has_text",
                violation_error_message=_("Write the text in Russian, English or both."),
            ),
            # One keyword names one reply: among the team's, and among each engineer's own.
            models.UniqueConstraint(
                fields=["keyword"],
                condition=Q(owner__isnull=True) & ~Q(keyword=""),
                name="canned_reply_team_keyword",
                violation_error_message=_("Another team reply has this keyword."),
            ),
            models.UniqueConstraint(
                fields=["owner", "keyword"],
                condition=Q(owner__isnull=False) & ~Q(keyword=""),
                name="canned_reply_own_keyword",
                violation_error_message=_("Another reply of this engineer has this keyword."),
            ),
        ]
        indexes = [
            # The list and the picker: the team's (owner IS NULL) and one engineer's, by title.
            models.Index(fields=["owner", "title"], name="canned_reply_owner_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_team(self) -> bool:
        return self.owner_id is None

    def text_in(self, language: str) -> str:
        return self.text_ru if language == "ru" else self.text_en

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        if self.owner is not None and not self.owner.is_engineer:
            errors["owner"] = [ValidationError(_("A personal reply belongs to an engineer."))]
        if not (self.text_ru or "").strip() and not (self.text_en or "").strip():
            errors["text_en"] = [ValidationError(_("Write the text in Russian, English or both."))]
        for field in ("text_ru", "text_en"):
            try:
                validate_known(getattr(self, field))
            except ValidationError as error:
                errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)
