"""SLA data an admin edits: tiers, priorities, calendars and the targets that join them."""

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
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


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Calendar(models.Model):
    """A business calendar: a zone, weekly hours, the production calendar, admin exceptions.

    `version` grows with every change of the calendar, its hours or its exceptions, so each
    process can keep its precomputed calendar until the version it reads says otherwise.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_ru = models.CharField(
        _("name (Russian)"), max_length=100, blank=True, help_text=_("Shown to Russian readers.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    always_open = models.BooleanField(
        _("24x7"), default=False, help_text=_("Every minute of every day counts.")
    )
    russian_production_calendar = models.BooleanField(
        _("Russian production calendar"),
        default=True,
        help_text=_("Holidays, transferred days off, working Saturdays, shortened days."),
    )
    is_default = models.BooleanField(
        _("default business calendar"),
        default=False,
        help_text=_(
            "Counts the customer's periods: the confirmation window and the silence before "
            "auto-close."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("calendar")
        verbose_name_plural = _("calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_calendar",
                violation_error_message=_("Only one calendar can be the default."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        bumped = not self._state.adding
        if bumped:  # atomic in the database, so a concurrent touch() is never lost
            self.version = models.F("version") + 1
        super().save(*args, **kwargs)
        if bumped:
            self.refresh_from_db(fields=["version"])

    def clean(self) -> None:
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValidationError(
                {"time_zone": _("Unknown time zone; use a name like Europe/Moscow.")}
            ) from exc

    def touch(self) -> None:
        """Mark the calendar changed (its hours or exceptions were edited)."""
        Calendar.objects.filter(pk=self.pk).update(version=models.F("version") + 1)

    @property
    def label(self) -> str:
        """The name in the reader's language (the English one if no Russian one is set)."""
        russian = (get_language() or "ru").startswith("ru")
        return self.name_ru if russian and self.name_ru else self.name


class _TouchesCalendar(models.Model):
    """Rows that define a calendar bump its version when they change."""

    calendar_id: int  # the subclass's `calendar` foreign key

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        Calendar(pk=self.calendar_id).touch()

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        result = super().delete(*args, **kwargs)
        Calendar(pk=self.calendar_id).touch()
        return result


class WorkingHours(_TouchesCalendar):
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["calendar", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "weekday"], name="one_hours_per_weekday"),
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")),
                name="hours_start_before_end",
                violation_error_message=_("Working hours must start before they end."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class CalendarException(_TouchesCalendar):
    """An admin's word on one date; it wins over the production calendar."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")
        HOURS = "hours", _("Other working hours")

    calendar = models.ForeignKey(
        Calendar,
        verbose_name=_("calendar"),
        on_delete=models.CASCADE,
        related_name="exceptions",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    start = models.TimeField(
        _("from"), null=True, blank=True, help_text=_("Empty: the usual weekday hours.")
    )
    end = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="one_exception_per_date"),
            models.CheckConstraint(
                condition=~models.Q(kind="hours")
                | models.Q(start__isnull=False, end__isnull=False, start__lt=models.F("end")),
                name="exception_hours_given",
                violation_error_message=_("Other working hours need a start before the end."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_kind_display()}"


class Target(models.Model):
    """The service level of one (tier, priority): reaction and resolution, each on a calendar."""

    class Unit(models.TextChoices):
        MINUTES = "minutes", _("minutes of working time")
        BUSINESS_DAYS = "business_days", _("business days")

    tier = models.ForeignKey(Tier, verbose_name=_("support tier"), on_delete=models.CASCADE)
    priority = models.ForeignKey(Priority, verbose_name=_("priority"), on_delete=models.CASCADE)
    reaction_amount = models.PositiveIntegerField(_("reaction time"))
    reaction_unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    reaction_calendar = models.ForeignKey(
        Calendar,
        verbose_name=_("reaction calendar"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution_amount = models.PositiveIntegerField(_("resolution time"))
    resolution_unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    resolution_calendar = models.ForeignKey(
        Calendar,
        verbose_name=_("resolution calendar"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["tier__rank", "priority__rank"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "priority"], name="one_target_per_cell"),
            models.CheckConstraint(
                condition=models.Q(reaction_amount__gt=0, resolution_amount__gt=0),
                name="target_amounts_positive",
                violation_error_message=_("Times must be positive."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tier_id}/{self.priority_id}"
