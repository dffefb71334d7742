"""Demo data: two organizations, their people and licenses, and tickets in every state.

Idempotent: people, organizations and licenses are matched by e-mail, name and key; tickets are
created only for an organization that has none. Tickets go through the real services, so their
numbers, deadlines, audit events and notifications are what the portal itself would produce.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import License, Organization, User
from tickets import jobs, services
from tickets.models import Ticket

DEMO_PASSWORD = "demo-portal-2026"  # demo data only; printed by `make run`

PEOPLE = [
    # email, first, last, role, organization, staff
    ("admin@example.com", "Ada", "Admin", "engineer", None, True),
    ("engineer@example.com", "Egor", "Engineerov", "engineer", None, False),
    ("engineer2@example.com", "Elena", "Inzhenerova", "engineer", None, False),
    ("alice@alpha.example", "Alice", "Alpha", "customer", "Alpha Logistics", False),
    ("andrei@alpha.example", "Andrei", "Alphin", "customer", "Alpha Logistics", False),
    ("bob@beta.example", "Bob", "Beta", "customer", "Beta Bank", False),
]


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

        year = datetime.timedelta(days=365)
        alpha_key = self._license(
            "ALPHA-STD-0001-2026", alpha, "standard", today - year, today + year, ""
        )
        self._license(
            "ALPHA-STD-0000-2023", alpha, "standard", today - 3 * year, today - year, ""
        )  # expired: filing with it is refused
        beta_key = self._license(
            "BETA-PLT-0001-2026",
            beta,
            "platinum",
            today - year,
            today + 2 * year,
            "+7 495 000-00-00",
        )

        if not alpha.tickets.exists():
            self._tickets(people["alice@alpha.example"], alpha_key, people)
        if not beta.tickets.exists():
            self._tickets(people["bob@beta.example"], beta_key, people)

        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password: {options['password']}):")
        )
        for email, _first, _last, role, org_name, staff in PEOPLE:
            who = "admin" if staff else role
            self.stdout.write(f"  {who:9} {email:24} {org_name or ''}")

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
        engineer = people["engineer@example.com"]
        now = timezone.now()
        # A ticket that went silent weeks ago and was closed by the system …
        clock = [now - datetime.timedelta(days=40)]

        def tick(hours: float = 3) -> datetime.datetime:
            clock[0] += datetime.timedelta(hours=hours)
            return clock[0]

        def register(subject: str, priority: str) -> Ticket:
            return services.ticket_register(
                actor=customer,
                license_key=key,
                product_version="7.2.1",
                subject=subject,
                description=f"{subject}. Observed since this morning on the primary cluster.",
                diagnostics="Rebooted the node, checked the system log and the interface status.",
                priority=priority,
                now=tick(),
            )

        ticket = register("SNMP traps not sent", "medium")
        services.ticket_take(actor=engineer, ticket=ticket, now=tick())
        services.ticket_request_info(
            actor=engineer,
            ticket=ticket,
            body="Please send the SNMP configuration export.",
            now=tick(),
        )
        ticket.refresh_from_db()
        jobs.auto_close(now=ticket.auto_close_at)  # the only ticket due then

        # … and the rest from the last few days, so nothing else is due for the jobs yet.
        clock[0] = now - datetime.timedelta(days=4)
        register("VPN tunnel drops every hour", "high")  # stays registered

        ticket = register("Web filter blocks an allowed site", "medium")
        services.ticket_take(actor=engineer, ticket=ticket, now=tick())
        services.message_post(
            actor=engineer, ticket=ticket, now=tick(), body="Looking at the category database now."
        )
        services.message_post(
            actor=engineer,
            ticket=ticket,
            now=tick(),
            internal=True,
            body="Probably the stale category cache from last update.",
        )

        ticket = register("Cluster failover does not happen", "critical")
        services.ticket_take(actor=engineer, ticket=ticket, now=tick(0.5))
        services.ticket_request_info(
            actor=engineer,
            ticket=ticket,
            now=tick(),
            body="Please attach the cluster logs and a network diagram.",
        )

        ticket = register("Report export is empty", "low")
        services.ticket_take(actor=engineer, ticket=ticket, now=tick())
        services.ticket_resolve(
            actor=engineer,
            ticket=ticket,
            now=tick(),
            result="Fixed by enabling the reporting service; see KB-101.",
        )

        ticket = register("IDS signatures do not update", "high")
        services.ticket_take(actor=engineer, ticket=ticket, now=tick())
        services.ticket_resolve(
            actor=engineer,
            ticket=ticket,
            now=tick(),
            result="The update server address was wrong; corrected.",
        )
        services.ticket_dispute(
            actor=customer,
            ticket=ticket,
            now=tick(),
            reason="Signatures still fail to update after the change.",
        )

        ticket = register("Licence page shows wrong date", "low")
        services.ticket_take(actor=engineer, ticket=ticket, now=tick())
        services.ticket_resolve(
            actor=engineer,
            ticket=ticket,
            now=tick(),
            result="Display bug; fixed in 7.2.2, workaround: refresh cache.",
        )
        services.ticket_confirm(actor=customer, ticket=ticket, now=tick())

        ticket = register("Question about backup schedule", "low")
        services.ticket_withdraw(
            actor=customer,
            ticket=ticket,
            now=tick(),
            reason="Found the answer in the documentation.",
        )

        ticket = register("Slow admin console", "medium")
        services.ticket_take(actor=engineer, ticket=ticket, now=tick())
        services.priority_change_propose(
            actor=engineer,
            ticket=ticket,
            to_priority="low",
            now=tick(),
            reason="Affects one admin only.",
        )
