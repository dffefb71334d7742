"""The mixed-load test's data, report and clean-up (bench/run_load.sh runs the three).

    python bench/locust_setup.py prepare --out var/bench/locust.json
    python bench/locust_setup.py report var/bench/load_stats.csv
    python bench/locust_setup.py cleanup --out var/bench/locust.json

prepare: bench_pages.py's data (bench/pages_data.py on bench_jobs.py's load, with the loader's
defaults and the big organization), then signed-in sessions for the load's people, written to
--out for bench/locustfile.py: customers of the big organization and of --orgs other ones
(each with its license key, recent tickets and open tickets), --engineers engineers, and
samples of registered and in-progress tickets for the engineers to take and annotate. Sessions
are made in the session store, as a sign-in would make them: the bench accounts have no
usable password, and the load test measures pages, not password hashing.

report: the locust CSV statistics as one table: requests, requests per second, median, 95th
percentile and failures per kind of request, and the whole.

cleanup: delete the tickets the load test registered and the sessions it used, and put the
load back as loaded (bench_jobs.prepare restores the open tickets and empties the tables of
events, messages and notifications), so the other benchmarks reuse it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"

from bench import bench_jobs  # first: it sets the environment and runs django.setup()

# isort: split
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session

from accounts.models import License, User
from bench import pages_data
from bench.loader.load import Command as LoadBenchTickets
from bench.second_factor import ensure_second_factor
from helpdesk.celery import app as celery_app
from tickets.models import State

SEED = 14


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["prepare", "report", "cleanup"])
    parser.add_argument("csv", nargs="?", help="report: locust's *_stats.csv")
    parser.add_argument("--out", default="var/bench/locust.json")
    parser.add_argument("--orgs", type=int, default=100, help="organizations besides the big one")
    parser.add_argument("--engineers-signed-in", type=int, default=20)
    parser.add_argument("--big-organization", type=int, default=50_000)
    loader = vars(LoadBenchTickets().create_parser("bench", "load_bench_tickets").parse_args([]))
    for key in bench_jobs.LOAD_KEYS:
        parser.add_argument(f"--{key.replace('_', '-')}", type=int, default=loader[key])
    args = parser.parse_args()
    args.reload = False
    return args


def session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def customer_entry(user: User) -> dict:
    org = user.organization_id
    tickets = pages_data.sample(
        "SELECT number FROM tickets_ticket WHERE organization_id = %s "
        "ORDER BY registered_at DESC LIMIT 30",
        [org],
    )
    open_tickets = pages_data.sample(
        "SELECT number FROM tickets_ticket WHERE organization_id = %s AND state = ANY(%s) "
        "ORDER BY registered_at DESC LIMIT 10",
        [org, [State.REGISTERED, State.IN_PROGRESS, State.AWAITING_CUSTOMER]],
    )
    key = License.objects.filter(organization_id=org).order_by("pk").values_list("key", flat=True)
    return {
        "session": session(user),
        "email": user.email,
        "license": key[0],
        "tickets": tickets,
        "open": open_tickets,
    }


def prepare(args: argparse.Namespace) -> None:
    data = pages_data.prepare(args)
    rng = random.Random(SEED)
    orgs = pages_data.sample(
        "SELECT DISTINCT organization_id FROM accounts_user WHERE organization_id <> %s "
        "ORDER BY organization_id",
        [data.organization],
    )
    chosen = [data.organization, *rng.sample(orgs, min(args.orgs, len(orgs)))]
    customers = User.objects.filter(organization_id__in=chosen, role=User.Role.CUSTOMER)
    engineers = User.objects.filter(role=User.Role.ENGINEER, is_active=True).order_by("pk")
    signed_in = list(engineers[: args.engineers_signed_in])
    ensure_second_factor(signed_in)
    sample = "SELECT number FROM tickets_ticket WHERE state = %s ORDER BY md5(number) LIMIT 2000"
    out = {
        "customers": [customer_entry(user) for user in customers.order_by("pk")],
        "engineers": [session(user) for user in signed_in],
        "registered": pages_data.sample(sample, [State.REGISTERED]),
        "in_progress": pages_data.sample(sample, [State.IN_PROGRESS]),
        "search": "сертификат",
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False))
    pages_data.say(
        f"{len(out['customers'])} customers of {len(chosen)} organizations and "
        f"{len(out['engineers'])} engineers signed in; written to {args.out}"
    )


def cleanup(args: argparse.Namespace) -> None:
    path = Path(args.out)
    if path.exists():
        out = json.loads(path.read_text())
        keys = [c["session"] for c in out["customers"]] + out["engineers"]
        Session.objects.filter(session_key__in=keys).delete()
    removed = pages_data.remove_new_tickets()
    purged = celery_app.control.purge()
    bench_jobs.prepare(args)  # the open tickets as loaded, the side tables emptied
    pages_data.say(f"removed {removed:,} filed tickets, purged {purged} queued e-mail tasks")


def report(path: str) -> None:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    print("| request | n | req/s | median ms | p95 ms | max ms | failures |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        name = "**all**" if r["Name"] == "Aggregated" else r["Name"]
        print(
            f"| {name} | {r['Request Count']} | {float(r['Requests/s']):.2f} | "
            f"{r['50%']} | {r['95%']} | {float(r['Max Response Time']):.0f} | "
            f"{r['Failure Count']} |"
        )


def main() -> int:
    args = arguments()
    if args.action == "report":
        report(args.csv)
    elif args.action == "prepare":
        prepare(args)
    else:
        cleanup(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
