"""factory_boy factories. Tickets are registered through the real service, never forged."""

import datetime
import time

import factory
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone

from accounts.models import License, Organization, User
from duty.models import AssignmentSettings, DutyProfile
from replies.models import CannedReply
from sla.defaults import ROUND_THE_CLOCK
from sla.models import Calendar, Tier, WorkingHours
from tickets import services
from tickets.models import Ticket

PASSWORD = "correct-horse-battery"
# Every engineer's authenticator app (they must have one: accounts.middleware).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, *, step: int = 0) -> str:
    """The code an authenticator app shows now (step=1: in the next 30 seconds)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organization {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "Test"
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CustomerFactory(UserFactory):
    role = User.Role.CUSTOMER
    organization = factory.SubFactory(OrganizationFactory)


class OrganizationAdminFactory(CustomerFactory):
    is_organization_admin = True


class EngineerFactory(UserFactory):
    role = User.Role.ENGINEER
    organization = None

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        """An authenticator app with TOTP_SECRET, unless made with second_factor=False."""
        if create and extracted is not False:
            if obj.pk is None:
                obj.save()
            TOTP.activate(obj, TOTP_SECRET)


class LicenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = License

    key = factory.Sequence(lambda n: f"LIC-{n:06d}")
    organization = factory.SubFactory(OrganizationFactory)
    product = "UserGate NGFW"
    tier_id = "standard"
    support_starts_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=365)
    )
    support_ends_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=365)
    )


class TicketFactory(factory.Factory):
    """Builds the arguments of tickets.services.ticket_register and calls it."""

    class Meta:
        model = Ticket

    customer = factory.SubFactory(CustomerFactory)
    license = factory.SubFactory(
        LicenseFactory, organization=factory.SelfAttribute("..customer.organization")
    )
    product_version = "7.2.1"
    subject = factory.Sequence(lambda n: f"Problem number {n}")
    description = "The VPN tunnel drops every hour."
    diagnostics = "Rebooted the node; checked the logs."
    priority = "high"
    now = None

    @classmethod
    def _create(cls, model_class, customer, license, now, **kwargs):
        return services.ticket_register(actor=customer, license_key=license.key, now=now, **kwargs)

    @classmethod
    def _build(cls, model_class, customer, license, now, priority, **kwargs):
        """An unsaved ticket, as registration would fill it, for tests of the model alone:
        no database (its people and license are built unsaved too), no number, no deadlines."""
        now = now or timezone.now()
        return model_class(
            customer=customer,
            registered_by=customer,
            organization=customer.organization,
            license=license,
            tier_id=license.tier_id,
            priority_id=priority,
            contact_email=customer.email,
            registered_at=now,
            updated_at=now,
            last_customer_activity_at=now,
            **kwargs,
        )


def ticket_in_state(state: str, *, customer: User, engineer: User, license: License) -> Ticket:
    """A ticket driven through the real services into `state` (closed = withdrawn)."""
    ticket = TicketFactory(customer=customer, license=license)
    steps = {
        "registered": [],
        "in_progress": ["take"],
        "awaiting_customer": ["take", "request_info"],
        "resolved": ["take", "resolve"],
        "disputed": ["take", "resolve", "dispute"],
        "closed": ["withdraw"],
    }[state]
    for step in steps:
        if step == "take":
            services.ticket_take(actor=engineer, ticket=ticket)
        elif step == "request_info":
            services.ticket_request_info(actor=engineer, ticket=ticket, body="Send the logs.")
        elif step == "resolve":
            services.ticket_resolve(actor=engineer, ticket=ticket, result="Fixed the config.")
        elif step == "dispute":
            services.ticket_dispute(actor=customer, ticket=ticket, reason="Still broken.")
        elif step == "withdraw":
            services.ticket_withdraw(actor=customer, ticket=ticket)
    ticket.refresh_from_db()
    return ticket


def shift_calendar(
    name: str = "Day shift", *, start: str = "09:00", end: str = "18:00", tz: str = "UTC"
) -> Calendar:
    """A calendar working `start`-`end` every day of the week (no holidays): the working hours
    of engineers in tests of auto-assignment, whatever day the tests run."""
    calendar, created = Calendar.objects.get_or_create(
        name=name, defaults={"time_zone": tz, "russian_production_calendar": False}
    )
    if created:
        for weekday in range(7):
            WorkingHours.objects.create(
                calendar=calendar,
                weekday=weekday,
                start=datetime.time.fromisoformat(start),
                end=datetime.time.fromisoformat(end),
            )
    return calendar


def round_the_clock_calendar() -> Calendar:
    """The default 24x7 calendar (sla.defaults): an engineer always within working hours."""
    return Calendar.objects.get(name=ROUND_THE_CLOCK)


class DutyProfileFactory(factory.django.DjangoModelFactory):
    """An engineer's duty profile: DutyProfileFactory(tiers=["platinum"], areas=[vpn],
    on_duty_24x7=True, calendar=shift_calendar())."""

    class Meta:
        model = DutyProfile
        skip_postgeneration_save = True

    engineer = factory.SubFactory(EngineerFactory)
    calendar = None
    on_duty_24x7 = False

    @factory.post_generation
    def tiers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tiers.set(extracted)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


def auto_assignment(
    enabled: bool = True,
    *,
    tiers: tuple[str, ...] = ("premium", "platinum"),
    priorities: tuple[str, ...] = ("critical",),
) -> AssignmentSettings:
    """Switch auto-assignment on (or off) with the tiers and priorities of the 24×7 shift."""
    row = AssignmentSettings.load()
    row.enabled = enabled
    row.save()
    row.round_the_clock_tiers.set(Tier.objects.filter(pk__in=tiers))
    row.round_the_clock_priorities.set(priorities)
    return row


class CannedReplyFactory(factory.django.DjangoModelFactory):
    """A team reply unless `owner` is given (replies app, issue 18)."""

    class Meta:
        model = CannedReply

    title = factory.Sequence(lambda n: f"Reply {n}")
    text_ru = "Здравствуйте, {{имя_клиента}}! Заявка {{номер_заявки}}."
    text_en = "Hello {{customer_name}}, ticket {{ticket_number}}."
    owner = None
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
