"""People and the organizations that hold licenses.

A customer belongs to exactly one organization and sees its tickets only; an engineer belongs to
none and sees all; admins are staff users working in Django admin.
"""

import datetime
import re

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _


def email_is(email: "str | None | models.Expression | OuterRef") -> Exact:
    """A filter for the person with the address `email` (or an expression, e.g. another row's
    column) in any case, served by the unique index on lower(email) (Django's email__iexact
    compares UPPER(email), which no index serves, so it scans every person)."""
    if email is None or isinstance(email, str):
        email = models.Value(email or "")
    return Exact(Lower("email"), Lower(email))


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
        return self.get(email_is(username))

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
    # A customer who runs their organization's side of the portal (issue 15): invites and
    # deactivates colleagues, decides who files for which licenses, reads the SLA reports.
    is_organization_admin = models.BooleanField(
        _("organization admin"),
        default=False,
        help_text=_("Manages the colleagues of their organization and reads its SLA reports."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=32,
        blank=True,
        help_text=_("For phone consultations, e.g. +7 495 123-45-67."),
    )
    # Who files for which licenses (issue 15): everyone may file for all of their
    # organization's licenses until an organization admin restricts a person to some.
    license_restricted = models.BooleanField(
        _("files for chosen licenses only"),
        default=False,
        help_text=_("Set by an organization admin: this person files for the licenses below only."),
    )
    filing_licenses = models.ManyToManyField(
        "accounts.License",
        verbose_name=_("licenses this person may file for"),
        blank=True,
        related_name="filers",
    )
    # Kinds of notification (tickets.models.Notification.Kind) this person does not want by
    # e-mail; the portal's bell still shows them. Read with the recipient, so no extra query.
    mail_muted_kinds = models.JSONField(
        _("notifications not sent by e-mail"), default=list, blank=True
    )

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
            models.CheckConstraint(
                condition=models.Q(is_organization_admin=False) | models.Q(role="customer"),
                name="organization_admin_is_customer",
                violation_error_message=_("Only a customer can be an organization admin."),
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

    @property
    def may_sign_in(self) -> bool:
        """Active, and for a customer also their organization: the backend's one test."""
        if not self.is_active:
            return False
        return not self.is_customer or self.organization is None or self.organization.is_active

    @property
    def needs_second_factor(self) -> bool:
        """Engineers and admins always; a customer when their organization requires it."""
        if self.is_staff or self.role == self.Role.ENGINEER:
            return True
        return self.organization is not None and self.organization.require_second_factor

    def may_file_for(self, license_: "License") -> bool:
        """Whether this person may file tickets for `license_` (one of their organization's):
        all of them, unless an organization admin chose some (one query then)."""
        if not self.license_restricted:
            return True
        return self.filing_licenses.filter(pk=license_.pk).exists()

    def wants_mail(self, kind: str) -> bool:
        return kind not in (self.mail_muted_kinds or ())


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "An inactive organization's customers cannot sign in or file tickets; their open "
            "sessions end."
        ),
    )
    require_second_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_(
            "Its customers must set up an authenticator app or a security key before they "
            "can use the portal."
        ),
    )
    # The vendor's person for this customer: told when support periods end (issue 15).
    account_manager = models.ForeignKey(
        "accounts.User",
        verbose_name=_("account manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_organizations",
        limit_choices_to={"role": "engineer"},
    )
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


class SecurityEvent(models.Model):
    """One row of the security audit: who signed in or failed to, second factors added and
    removed, passwords changed, sessions ended, accounts deactivated. Written only by
    `accounts.security.security_event_record`; never changed afterwards."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Sign-in refused: too many failures")
        SECOND_FACTOR_FAILED = "second_factor_failed", _("Wrong two-factor code")
        SIGNED_OUT = "signed_out", _("Signed out")
        SECOND_FACTOR_ADDED = "second_factor_added", _("Two-factor method added")
        SECOND_FACTOR_REMOVED = "second_factor_removed", _("Two-factor method removed")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Recovery codes renewed")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        SESSION_ENDED = "session_ended", _("Session ended")
        DEACTIVATED = "deactivated", _("Account deactivated")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
    )
    kind = models.CharField(_("event"), max_length=32, choices=Kind.choices)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The profile page's "latest events" of one person.
            models.Index(fields=["user", "-created_at"], name="securityevent_user_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user or self.detail.get('email', '')}"


# allauth's models under the portal's names, so Django admin lists them with the accounts
# (allauth's own names are English-only: "Authenticators", "User sessions").
class SecondFactor(Authenticator):
    class Meta:
        proxy = True
        verbose_name = _("two-factor method")
        verbose_name_plural = _("two-factor methods")


class SignInSession(UserSession):
    class Meta:
        proxy = True
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
