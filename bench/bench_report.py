"""How fast an organization's monthly SLA report is built and rendered (a script, not a test).

Run from the repository root: `python bench/bench_report.py [--tickets 20000]`. It uses its own
database (DATABASE_URL, default helpdesk_bench_report, created and migrated if missing), gives
one organization --tickets tickets registered in November 2026 (bulk-inserted with realistic
SLA fields: reactions and resolutions met, late and pending, some never taken), then measures
building the report (reports.build, what the beat does once a month) and rendering its page,
PDF and CSV for an organization admin, counting the queries of each.
Target (issue 15): the report of 20,000 tickets renders in under 2 s with a fixed number of
queries (tests/reports assert the count does not grow with the tickets).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench_report")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import License, Organization, User  # noqa: E402
from reports.build import sla_report_build  # noqa: E402
from reports.models import SlaReport  # noqa: E402
from tickets.models import State, Ticket  # noqa: E402

TARGET_SECONDS = 2.0
MSK = datetime.timezone(datetime.timedelta(hours=3))
NOVEMBER = datetime.date(2026, 11, 1)
BUILT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=MSK)
PRIORITIES = ("critical", "high", "medium", "low")


def ensure_database() -> None:
    name = settings.DATABASES["default"]["NAME"]
    if "bench" not in name:
        sys.exit(f"refusing to use {name!r}: a benchmark database's name contains 'bench'")
    admin = psycopg.connect(dbname="postgres", user="postgres", host="127.0.0.1")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    call_command("migrate", verbosity=0, interactive=False)


def load(count: int) -> tuple[Organization, User]:
    SlaReport.objects.all().delete()
    Ticket.objects.filter(organization__name="Bench Report Org").delete()
    org, _ = Organization.objects.get_or_create(name="Bench Report Org")
    admin = User.objects.filter(email="olga@bench.example").first()
    if admin is None:
        admin = User.objects.create_user(
            "olga@bench.example",
            "bench-password-1",
            role=User.Role.CUSTOMER,
            organization=org,
            is_organization_admin=True,
        )
    license_, _ = License.objects.get_or_create(
        key="BENCH-REPORT-1",
        defaults={
            "organization": org,
            "product": "UserGate NGFW",
            "tier_id": "premium",
            "support_starts_on": datetime.date(2026, 1, 1),
            "support_ends_on": datetime.date(2027, 12, 31),
        },
    )
    rng = random.Random(15)
    start = datetime.datetime(2026, 11, 1, tzinfo=MSK)
    rows = []
    for n in range(count):
        registered = start + datetime.timedelta(seconds=rng.randrange(30 * 86_400))
        reaction_due = registered + datetime.timedelta(hours=rng.choice((1, 4, 8, 24)))
        resolution_due = registered + datetime.timedelta(days=rng.choice((1, 3, 7, 15)))
        late = rng.random() < 0.06
        reacted = (
            reaction_due + datetime.timedelta(hours=2)
            if late
            else reaction_due - datetime.timedelta(minutes=20)
        )
        state = rng.choice(
            (
                State.CLOSED,
                State.CLOSED,
                State.CLOSED,
                State.IN_PROGRESS,
                State.RESOLVED,
                State.AWAITING_CUSTOMER,
            )
        )
        resolved = None
        resolution_met = None
        closed = None
        if state in (State.CLOSED, State.RESOLVED):
            resolution_late = rng.random() < 0.05
            resolved = (
                resolution_due + datetime.timedelta(hours=5)
                if resolution_late
                else resolution_due - datetime.timedelta(hours=3)
            )
            resolution_met = not resolution_late
            if state == State.CLOSED:
                closed = resolved + datetime.timedelta(days=1)
        rows.append(
            Ticket(
                number=f"BENCH-REP-{n:06d}",
                organization=org,
                customer=admin,
                registered_by=admin,
                license=license_,
                tier_id="premium",
                priority_id=PRIORITIES[n % 4],
                product_version="7.2",
                subject=f"Bench problem {n}",
                description="-",
                diagnostics="-",
                contact_email=admin.email,
                state=state,
                registered_at=registered,
                updated_at=registered,
                last_customer_activity_at=registered,
                reacted_at=reacted,
                reaction_due=reaction_due,
                reaction_met=not late,
                resolution_due=resolution_due,
                resolved_at=resolved,
                resolution_met=resolution_met,
                closed_at=closed,
            )
        )
    # At most 65,535 bound parameters a statement (psycopg 3 binds on the server): 44 columns.
    Ticket.objects.bulk_create(rows, batch_size=1000)
    return org, admin


def timed(label: str, action) -> object:
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        result = action()
        seconds = time.perf_counter() - began
    print(f"{label}: {seconds:.2f} s, {len(queries)} queries")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=20_000)
    args = parser.parse_args()
    ensure_database()
    # Pages without collectstatic's manifest (as bench_pages.py does).
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    org, admin = load(args.tickets)
    report, _ = timed(
        f"build the report of {args.tickets:,} tickets",
        lambda: sla_report_build(organization=org, month=NOVEMBER, now=BUILT),
    )
    print(
        f"  breaches explained: {len(report.breaches):,} "
        f"(the page and the PDF show {len(report.data['breaches'])}, the CSV all)"
    )
    client = Client()
    client.force_login(admin)
    worst = 0.0
    for name in ("reports:detail", "reports:csv", "reports:pdf"):
        url = reverse(name, args=[org.pk, "2026-11"])
        client.get(url)  # warm: templates, fonts
        response, seconds = timed(f"render {name}", lambda url=url: client.get(url))
        if response.status_code != 200:
            sys.exit(f"{name} answered {response.status_code}")
        if name == "reports:detail":
            worst = seconds
    verdict = "OK" if worst < TARGET_SECONDS else "TOO SLOW"
    print(
        f"report page of {args.tickets:,} tickets: {worst:.2f} s "
        f"(target < {TARGET_SECONDS:.0f} s) {verdict}"
    )


if __name__ == "__main__":
    main()
