"""Support tiers and priorities as data an admin edits (the SLA targets join them)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class _Bilingual(models.Model):
    """A name kept in English and Russian; `label` gives the one of the active language."""

    name = models.CharField(_("name (English)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_ru if (get_language() or "ru").startswith("ru") else self.name


class Tier(_Bilingual):
    code = models.SlugField(_("code"), max_length=32, primary_key=True)
    extended = models.BooleanField(
        _("extended support"),
        default=False,
        help_text=_("Premium and Platinum: hotline and phone consultations."),
    )
    rank = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("support tier")
        verbose_name_plural = _("support tiers")
        ordering = ["rank"]


class Priority(_Bilingual):
    code = models.SlugField(_("code"), max_length=32, primary_key=True)
    rank = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("1 is the most urgent.")
    )
    criteria = models.TextField(_("criteria (English)"))
    criteria_ru = models.TextField(_("criteria (Russian)"))

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["rank"]

    @property
    def criteria_label(self) -> str:
        return self.criteria_ru if (get_language() or "ru").startswith("ru") else self.criteria
