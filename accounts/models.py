"""People and the organizations that hold licenses.

A customer belongs to exactly one organization and sees its tickets only; an engineer belongs to
none and sees all; admins are staff users working in Django admin.
"""

import datetime
import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ENGINEER)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)

    def engineers(self) -> "models.QuerySet[User]":
        """The active support engineers (the people `User.is_engineer` is true of), by name."""
        return self.filter(role=User.Role.ENGINEER, is_active=True).order_by(
            "first_name", "last_name", "email"
        )


class User(AbstractUser):
    class Role(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        ENGINEER = "engineer", _("Support engineer")

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail"), unique=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CUSTOMER)
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=~models.Q(role="customer") | models.Q(organization__isnull=False),
                name="customer_has_organization",
                violation_error_message=_("A customer must belong to an organization."),
            ),
            models.CheckConstraint(
                condition=~models.Q(role="engineer") | models.Q(organization__isnull=True),
                name="engineer_has_no_organization",
                violation_error_message=_(
                    "An engineer does not belong to a customer organization."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_customer(self) -> bool:
        return self.role == self.Role.CUSTOMER

    @property
    def is_engineer(self) -> bool:
        return self.role == self.Role.ENGINEER and self.is_active


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


_KEY_JUNK = re.compile(r"[\s\u00a0]+")


def normalize_license_key(raw: str) -> str:
    """The canonical form of a typed key: no whitespace, upper case (keys are shown that way)."""
    return _KEY_JUNK.sub("", raw or "").upper()


class LicenseQuerySet(models.QuerySet["License"]):
    def active_on(self, day: datetime.date) -> "LicenseQuerySet":
        return self.filter(support_starts_on__lte=day, support_ends_on__gte=day)


class License(models.Model):
    key = models.CharField(_("license key"), max_length=100, unique=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="licenses",
    )
    product = models.CharField(_("product"), max_length=200)
    tier = models.ForeignKey("sla.Tier", verbose_name=_("support tier"), on_delete=models.PROTECT)
    support_starts_on = models.DateField(_("support starts on"))
    support_ends_on = models.DateField(_("support ends on"))
    hotline_phone = models.CharField(
        _("hotline phone"),
        max_length=40,
        blank=True,
        help_text=_("Given to the organization individually; Extended tiers only."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = LicenseQuerySet.as_manager()

    class Meta:
        verbose_name = _("license")
        verbose_name_plural = _("licenses")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(support_ends_on__gte=models.F("support_starts_on")),
                name="license_support_period_ordered",
                violation_error_message=_("Support cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.product})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.key = normalize_license_key(self.key)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        self.key = normalize_license_key(self.key)
        if self.hotline_phone and self.tier_id and not self.tier.extended:
            raise ValidationError(
                {"hotline_phone": _("A hotline number is given with Extended support only.")}
            )

    def is_active_on(self, day: datetime.date) -> bool:
        return self.support_starts_on <= day <= self.support_ends_on
