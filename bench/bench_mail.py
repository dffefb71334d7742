"""How fast a mail backlog drains after an outage (a script, not a test).

Run from the repository root: `python bench/bench_mail.py [--mails 2000] [--concurrency 4]`.
It uses its own database (DATABASE_URL, default helpdesk_bench_mail, created and migrated if
missing, its notifications emptied), a local SMTP server (aiosmtpd) in this process and a real
Celery worker (prefork pool) on Redis (REDIS_URL, default db 13), then leaves --mails
notifications pending as after an SMTP outage and queues one sweep. It prints how long the
worker took to send them all, the mails per second, and whether each went out exactly once.
Target (issue 10): 2,000 mails in under 60 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench_mail")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import License, Organization, User  # noqa: E402
from tests.integration.support import (  # noqa: E402
    ManagedProcess,
    RecordingHandler,
    start_smtp_server,
    wait_until,
)
from tickets.beat import sweep  # noqa: E402
from tickets.models import Notification, Ticket  # noqa: E402
from tickets.services import ticket_register  # noqa: E402

TARGET_SECONDS = 60.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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


def backlog(count: int) -> None:
    """`count` notifications pending since a two-minute outage, due now, on a few tickets."""
    Notification.objects.all().delete()
    org, _ = Organization.objects.get_or_create(name="Bench Mail Org")
    customer = User.objects.filter(email="mail@bench.example").first()
    if customer is None:
        customer = User.objects.create_user(
            "mail@bench.example", None, role=User.Role.CUSTOMER, organization=org
        )
    today = timezone.localdate()
    license_, _ = License.objects.get_or_create(
        key="BENCH-MAIL-1",
        defaults={
            "organization": org,
            "product": "UserGate NGFW",
            "tier_id": "standard",
            "support_starts_on": today - datetime.timedelta(days=1),
            "support_ends_on": today + datetime.timedelta(days=365),
        },
    )
    tickets = list(Ticket.objects.filter(organization=org)[:4])
    while len(tickets) < 4:
        tickets.append(
            ticket_register(
                actor=customer,
                license_key=license_.key,
                product_version="7",
                subject="Bench",
                description="Bench.",
                diagnostics="Bench.",
                priority="low",
            )
        )
    Notification.objects.all().delete()  # the registrations' own mails are not the backlog
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=customer,
                email=f"contact-{n}@bench.example",
                language="en",
                ticket=tickets[n % len(tickets)],
                kind=Notification.Kind.REGISTERED,
                created_at=now - datetime.timedelta(minutes=2),
                email_status=Notification.EmailStatus.PENDING,
                email_attempts=1,
                email_next_attempt_at=now,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


def worker(concurrency: int, smtp_port: int, log: Path) -> ManagedProcess:
    db = settings.DATABASES["default"]
    env = {name: value for name, value in os.environ.items() if name != "CELERY_BROKER_URL"}
    env.update(
        DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        SITE_URL="http://portal.bench",
        PYTHONUNBUFFERED="1",
    )
    celery = str(Path(sys.executable).parent / "celery")
    args = [celery, "-A", "helpdesk", "worker", "--pool", "prefork"]
    args += ["--concurrency", str(concurrency), "-l", "warning", "-n", "bench-mail@%h"]
    args += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
    return ManagedProcess(name="celery worker", args=args, log_path=log, env=env, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mails", type=int, default=2_000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    ensure_database()
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    server, controller = start_smtp_server(RecordingHandler())
    say(f"leaving {args.mails:,} mails pending ...")
    backlog(args.mails)
    connection.close()  # the worker gets the database to itself while it sends
    process = worker(args.concurrency, server.port, Path(tempfile.mkdtemp()) / "worker.log")
    process.start()
    try:
        time.sleep(3)  # the pool's processes start
        pending = Notification.objects.filter(email_status=Notification.EmailStatus.PENDING)
        started = time.monotonic()
        sweep.delay(timezone.now().isoformat())
        wait_until(lambda: not pending.exists(), what="the backlog to drain", timeout=600)
        seconds = time.monotonic() - started
    finally:
        process.stop()
        controller.stop()
    received = Counter(mail.rcpt_tos for mail in server.accepted())
    once = len(received) == args.mails and set(received.values()) == {1}
    verdict = "OK" if seconds < TARGET_SECONDS else "SLOWER THAN THE TARGET"
    print(f"bench_mail: {args.mails:,} pending mails drained in {seconds:.1f} s by one sweep")
    print(f"  {args.mails / seconds:,.0f} mails/s, worker pool of {args.concurrency}")
    print(f"  target < {TARGET_SECONDS:.0f} s: {verdict}; each mail sent exactly once: {once}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
