"""Demo data: two organizations, their people and licenses, and tickets in every state.

Idempotent: people, organizations and licenses are matched by e-mail, name and key; tickets are
created only for an organization that has none. Tickets go through the real services, so their
numbers, deadlines, audit events and notifications are what the portal itself would produce.
"""

import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import License, Organization, User
from duty.models import AssignmentSettings, DutyProfile
from knowledge import services as knowledge_services
from knowledge.models import ChecklistItem, ProductArea
from tickets import jobs, services
from tickets.models import Ticket

DEMO_PASSWORD = "demo-portal-2026"  # demo data only; printed by `make run`
# Engineers and admins must sign in with a second factor: in the demo they share this
# authenticator-app secret, printed by `make run`; `manage.py demo_totp` shows its current code.
DEMO_TOTP_SECRET = "DEMOPORTALDEMOPORTALDEMOPORTAL23"

# What each login shows off, as README.md lists them too.
ROLES = {
    "admin@example.com": "Django admin at /admin/, also an engineer",
    "engineer@example.com": "the queue, hotline, dashboard, SLA calculator",
    "engineer2@example.com": "a second engineer (assign, disputes)",
    "alice@alpha.example": "Alpha Logistics, Standard support (no hotline), organization admin",
    "andrei@alpha.example": "Alpha Logistics, Standard support, Alice's colleague",
    "bob@beta.example": "Beta Bank, Platinum support with a 24/7 hotline",
}

PEOPLE = [
    # email, first, last, role, organization, staff
    ("admin@example.com", "Ada", "Admin", "engineer", None, True),
    ("engineer@example.com", "Egor", "Engineerov", "engineer", None, False),
    ("engineer2@example.com", "Elena", "Inzhenerova", "engineer", None, False),
    ("alice@alpha.example", "Alice", "Alpha", "customer", "Alpha Logistics", False),
    ("andrei@alpha.example", "Andrei", "Alphin", "customer", "Alpha Logistics", False),
    ("bob@beta.example", "Bob", "Beta", "customer", "Beta Bank", False),
]


BUNDLE = ("Collected the diagnostic bundle", "Собран диагностический пакет")
DEMO_AREAS = [
    (
        "vpn",
        "VPN and tunnels",
        "VPN и туннели",
        [BUNDLE, ("Restarted the VPN service", "Служба VPN перезапущена")],
    ),
    (
        "licensing",
        "Licensing",
        "Лицензирование",
        [BUNDLE, ("Checked the license status", "Проверен статус лицензии")],
    ),
]
DEMO_ARTICLES = {
    "vpn": [
        (
            "VPN tunnel drops every hour",
            "Usually the IKE keys expire. Renew them:\n\n```\nike rekey --all\n```\n",
            "en",
        ),
        (
            "Туннель VPN разрывается каждый час",
            "Обычно истекает срок ключей IKE. Обновите их:\n\n```\nike rekey --all\n```\n",
            "ru",
        ),
    ],
}


class Command(BaseCommand):
    help = "Load demo organizations, people, licenses and tickets (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEMO_PASSWORD)

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        today = timezone.localdate()
        alpha, _ = Organization.objects.get_or_create(name="Alpha Logistics")
        beta, _ = Organization.objects.get_or_create(name="Beta Bank")
        orgs = {"Alpha Logistics": alpha, "Beta Bank": beta}
        people: dict[str, User] = {}
        for email, first, last, role, org_name, staff in PEOPLE:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    str(options["password"]),
                    first_name=first,
                    last_name=last,
                    role=role,
                    organization=orgs.get(org_name or ""),
                    is_staff=staff,
                    is_superuser=staff,
                )
            people[email] = user
            if email == "alice@alpha.example" and not user.is_organization_admin:
                user.is_organization_admin = True  # the colleagues page (issue 15)
                user.save(update_fields=["is_organization_admin"])
            if user.needs_second_factor and not Authenticator.objects.filter(user=user).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)

        year = datetime.timedelta(days=365)
        alpha_key = self._license(
            "ALPHA-STD-0001-2026", alpha, "standard", today - year, today + year, ""
        )
        # expired: filing with it is refused
        self._license("ALPHA-STD-0000-2023", alpha, "standard", today - 3 * year, today - year, "")
        beta_key = self._license(
            "BETA-PLT-0001-2026",
            beta,
            "platinum",
            today - year,
            today + 2 * year,
            "+7 495 000-00-00",
        )

        self._self_help(next(u for u in people.values() if u.is_engineer and not u.is_staff))
        if not alpha.tickets.exists():
            self._tickets(people["alice@alpha.example"], alpha_key, people)
        if not beta.tickets.exists():
            self._tickets(people["bob@beta.example"], beta_key, people)
        self._duty(people)

        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password: {options['password']}):")
        )
        for email, _first, _last, role, org_name, staff in PEOPLE:
            who = "admin" if staff else role
            what = ROLES.get(email, org_name or "")
            self.stdout.write(f"  {who:9} {email:24} {what}")
        self.stdout.write(
            "Engineers and the admin also give a code from an authenticator app (two-factor\n"
            f"authentication). Add the secret {DEMO_TOTP_SECRET} to any authenticator app, or\n"
            "print the current code with: .venv/bin/python manage.py demo_totp"
        )

    def _duty(self, people: dict[str, User]) -> None:
        """Auto-assignment on (issue 18), after the demo's history is played: Egor is the
        24×7 on-duty engineer (a Critical Platinum ticket filed at night goes to him with an
        alert), Elena works business hours; both handle every tier and area. Set once: what an
        admin changed later stays."""
        _, first_time = DutyProfile.objects.get_or_create(
            engineer=people["engineer@example.com"], defaults={"on_duty_24x7": True}
        )
        DutyProfile.objects.get_or_create(engineer=people["engineer2@example.com"])
        if first_time:
            settings = AssignmentSettings.load()
            settings.enabled = True
            settings.save()

    def _self_help(self, engineer: User) -> None:
        """Product areas with their diagnostics checklists and a few articles (issue 17)."""
        if ProductArea.objects.exists():
            return
        for code, name, name_ru, steps in DEMO_AREAS:
            area = ProductArea.objects.create(code=code, name=name, name_ru=name_ru)
            for rank, (text, text_ru) in enumerate(steps):
                ChecklistItem.objects.create(area=area, text=text, text_ru=text_ru, rank=rank)
            for title, body, language in DEMO_ARTICLES.get(code, ()):
                article = knowledge_services.article_save(
                    actor=engineer, title=title, body=body, area=area, language=language
                )
                knowledge_services.article_publish(actor=engineer, article=article)

    def _license(self, key, org, tier, starts, ends, hotline):
        License.objects.get_or_create(
            key=key,
            defaults={
                "organization": org,
                "product": "UserGate NGFW",
                "tier_id": tier,
                "support_starts_on": starts,
                "support_ends_on": ends,
                "hotline_phone": hotline,
            },
        )
        return key

    def _tickets(self, customer: User, key: str, people: dict[str, User]) -> None:
        player = _Player(customer=customer, engineer=people["engineer@example.com"], key=key)
        now = timezone.now()
        # A ticket that went silent weeks ago and was closed by the system …
        player.clock = now - datetime.timedelta(days=40)
        silent = player.play("SNMP traps not sent", "medium", SILENT)
        silent.refresh_from_db()
        jobs.auto_close(now=silent.auto_close_at)  # the only ticket due then
        # … and the rest from the last few days, so nothing else is due for the jobs yet.
        player.clock = now - datetime.timedelta(days=4)
        for subject, priority, steps in RECENT:
            player.play(subject, priority, steps)


# What happens to each demo ticket, step by step: (action, text, hours after the last step).
Step = tuple[str, str, float]
SILENT: list[Step] = [
    ("take", "", 3),
    ("request_info", "Please send the SNMP configuration export.", 3),
]
RECENT: list[tuple[str, str, list[Step]]] = [
    ("VPN tunnel drops every hour", "high", []),  # stays registered
    (
        "Web filter blocks an allowed site",
        "medium",
        [
            ("take", "", 3),
            ("reply", "Looking at the category database now.", 3),
            ("note", "Probably the stale category cache from last update.", 3),
        ],
    ),
    (
        "Cluster failover does not happen",
        "critical",
        [
            ("take", "", 0.5),
            ("request_info", "Please attach the cluster logs and a network diagram.", 3),
        ],
    ),
    (
        "Report export is empty",
        "low",
        [
            ("take", "", 3),
            ("resolve", "Fixed by enabling the reporting service; see KB-101.", 3),
        ],
    ),
    (
        "IDS signatures do not update",
        "high",
        [
            ("take", "", 3),
            ("resolve", "The update server address was wrong; corrected.", 3),
            ("dispute", "Signatures still fail to update after the change.", 3),
        ],
    ),
    (
        "Licence page shows wrong date",
        "low",
        [
            ("take", "", 3),
            ("resolve", "Display bug; fixed in 7.2.2, workaround: refresh cache.", 3),
            ("confirm", "", 3),
        ],
    ),
    (
        "Question about backup schedule",
        "low",
        [("withdraw", "Found the answer in the documentation.", 3)],
    ),
    (
        "Slow admin console",
        "medium",
        [("take", "", 3), ("propose_low", "Affects one admin only.", 3)],
    ),
    (  # issue 18: a duplicate, merged into the first ticket, and a related ticket linked
        "VPN to the branch office keeps disconnecting",
        "high",
        [
            ("merge", "VPN tunnel drops every hour", 2),
            ("link", "Web filter blocks an allowed site", 1),
        ],
    ),
]


class _Player:
    """Registers a demo ticket and plays its steps through the real services, on a clock."""

    def __init__(self, *, customer: User, engineer: User, key: str) -> None:
        self.customer, self.engineer, self.key = customer, engineer, key
        self.clock = timezone.now()
        self.played: dict[str, Ticket] = {}  # by subject: what a merge or a link names

    def tick(self, hours: float) -> datetime.datetime:
        self.clock += datetime.timedelta(hours=hours)
        return self.clock

    def play(self, subject: str, priority: str, steps: list[Step]) -> Ticket:
        ticket = services.ticket_register(
            actor=self.customer,
            license_key=self.key,
            product_version="7.2.1",
            subject=subject,
            description=f"{subject}. Observed since this morning on the primary cluster.",
            diagnostics="Rebooted the node, checked the system log and the interface status.",
            priority=priority,
            now=self.tick(3),
        )
        self.played[subject] = ticket
        for action, text, hours in steps:
            self._step(ticket, action, text, self.tick(hours))
        return ticket

    def _step(self, ticket: Ticket, action: str, text: str, now: datetime.datetime) -> None:
        engineer, customer = self.engineer, self.customer
        if action == "take":
            services.ticket_take(actor=engineer, ticket=ticket, now=now)
        elif action == "request_info":
            services.ticket_request_info(actor=engineer, ticket=ticket, body=text, now=now)
        elif action in ("reply", "note"):
            internal = action == "note"
            services.message_post(
                actor=engineer, ticket=ticket, body=text, internal=internal, now=now
            )
        elif action == "resolve":
            services.ticket_resolve(actor=engineer, ticket=ticket, result=text, now=now)
        elif action == "dispute":
            services.ticket_dispute(actor=customer, ticket=ticket, reason=text, now=now)
        elif action == "confirm":
            services.ticket_confirm(actor=customer, ticket=ticket, now=now)
        elif action == "withdraw":
            services.ticket_withdraw(actor=customer, ticket=ticket, reason=text, now=now)
        elif action == "merge":  # into the ticket of the subject `text`
            into = self.played[text]
            services.ticket_merge(actor=engineer, ticket=ticket, into=into, now=now)
        elif action == "link":
            other = self.played[text]
            services.ticket_link(actor=engineer, ticket=ticket, other=other, now=now)
        elif action == "propose_low":
            services.priority_change_propose(
                actor=engineer, ticket=ticket, to_priority="low", reason=text, now=now
            )
        else:
            raise ValueError(f"unknown demo step {action!r}")
