"""Who handles what and when (issue 18): the engineers' duty profiles and the one row of
auto-assignment settings. The rules over them are in duty/rules.py; choosing an engineer for a
ticket (it counts tickets) is tickets/services/assignment.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sla.models import Priority, Tier

# The 24×7 shift by default (docs/regulation.md): Critical tickets of the Extended tiers.
DEFAULT_ROUND_THE_CLOCK_TIERS = ("premium", "platinum")
DEFAULT_ROUND_THE_CLOCK_PRIORITIES = ("critical",)


class DutyProfile(models.Model):
    """An engineer's working hours, the tiers and product areas they handle, and whether they
    are on the 24×7 duty roster. An engineer without a profile handles every tier and area on
    the default business calendar and is not on the 24×7 roster."""

    engineer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="duty",
        limit_choices_to={"role": "engineer"},
    )
    calendar = models.ForeignKey(
        "sla.Calendar",
        verbose_name=_("working hours"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The business calendar of the engineer's working hours; empty: the default."),
    )
    tiers = models.ManyToManyField(
        "sla.Tier",
        verbose_name=_("support tiers handled"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every tier."),
    )
    areas = models.ManyToManyField(
        "knowledge.ProductArea",
        verbose_name=_("product areas handled"),
        blank=True,
        related_name="+",
        help_text=_(
            "Empty: every product area. A ticket without a product area goes to anyone who "
            "handles its tier."
        ),
    )
    on_duty_24x7 = models.BooleanField(
        _("on 24×7 duty"),
        default=False,
        help_text=_(
            "Gets the tickets of the 24×7 shift (by default Critical tickets of Premium and "
            "Platinum) that arrive while nobody who handles them is within working hours."
        ),
    )
    # The round-robin among engineers with equally little work: the oldest goes first.
    last_auto_assigned_at = models.DateTimeField(
        _("last automatic assignment"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("duty profile")
        verbose_name_plural = _("duty profiles")
        ordering = ["engineer__last_name", "engineer__first_name", "engineer__email"]

    def __str__(self) -> str:
        return str(self.engineer)


class AssignmentSettings(models.Model):
    """The one row of auto-assignment settings (pk 1; `load` makes it on first use)."""

    enabled = models.BooleanField(
        _("assign new tickets automatically"),
        default=False,
        help_text=_(
            "New tickets go to the engineer with the least open work among those within "
            "working hours who handle the ticket's tier and product area."
        ),
    )
    round_the_clock_tiers = models.ManyToManyField(
        "sla.Tier",
        verbose_name=_("tiers of the 24×7 shift"),
        blank=True,
        related_name="+",
    )
    round_the_clock_priorities = models.ManyToManyField(
        "sla.Priority",
        verbose_name=_("priorities of the 24×7 shift"),
        blank=True,
        related_name="+",
        help_text=_(
            "A ticket of one of these tiers and priorities that arrives while nobody who "
            "handles it is within working hours goes to the 24×7 on-duty engineer at once, "
            "with an alert."
        ),
    )

    class Meta:
        verbose_name = _("auto-assignment settings")
        verbose_name_plural = _("auto-assignment settings")

    def __str__(self) -> str:
        return str(_("Auto-assignment settings"))

    def save(self, *args: object, **kwargs: object) -> None:
        self.pk = 1  # one row only
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @classmethod
    def load(cls) -> "AssignmentSettings":
        """The row, made with the default 24×7 shift the first time it is asked for."""
        row, created = cls.objects.get_or_create(pk=1)
        if created:
            row.round_the_clock_tiers.set(Tier.objects.filter(pk__in=DEFAULT_ROUND_THE_CLOCK_TIERS))
            row.round_the_clock_priorities.set(
                Priority.objects.filter(pk__in=DEFAULT_ROUND_THE_CLOCK_PRIORITIES)
            )
        return row
