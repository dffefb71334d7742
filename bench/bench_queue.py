"""The engineers' queue page on a million tickets (the queue issue's Scale paragraph).

Run from the repository root:

    python bench/bench_queue.py [--requests 50] [--filtered QUERY] [--search WORD]
        [--tickets 1000000] [--open 50000] [--waiting 100000] [--past-cutoff 10000]
        [--organizations 2000] [--engineers 200] [--seed 42] [--reload]

The data is bench/bench_jobs.py's, prepared by its own code: the same database (DATABASE_URL,
default helpdesk_bench), the same `load_bench_tickets` parameters and defaults, the same "reuse
the load when the parameters match, and put its open tickets back as loaded" logic; a load takes
a few minutes when there is none. The queue's open tickets are the loader's vendor-side --open
ones plus the --waiting ones (the customer has the move: sorted last).

What is measured (figures on stdout, progress on stderr), as one bench engineer signed in with
django.test.Client, which runs the whole stack in this process (middleware, session, view,
templates; no network):
1. for each case, --requests GET requests after a warm-up: the median and 95th percentile of the
   server time, and the SQL queries of a request. Cases: the default view's first page; the
   rows partial the page fetches every QUEUE_REFRESH_SECONDS; a filtered view (--filtered);
   a search (--search, a word of the synthetic Russian subjects).
2. the queries of the default view at 25, 50 and 100 tickets a page: the same number, or the
   page runs a query per row somewhere.
3. EXPLAIN (ANALYZE, BUFFERS) of each case's COUNT and page SELECT: top line, the indexes
   scanned, any sequential scan of the ticket table, execution time (and JIT time, if any).
Targets: default view median < 50 ms and p95 < 100 ms; queries constant whatever the page size;
every ticket read an index scan (no Seq Scan on tickets_ticket).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_jobs  # first: it sets the environment and runs django.setup()

# isort: split
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from bench.loader.load import Command as LoadBenchTickets
from bench.second_factor import ensure_second_factor

MEDIAN_TARGET_MS, P95_TARGET_MS = 50.0, 100.0
WARM_UP = 3


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per case")
    parser.add_argument("--filtered", default="view=unassigned&priority=critical")
    parser.add_argument("--search", default="сертификат")
    # The load's parameters, with the loader's own defaults (the jobs bench uses the same).
    loader = vars(LoadBenchTickets().create_parser("bench", "load_bench_tickets").parse_args([]))
    for key in bench_jobs.LOAD_KEYS:
        parser.add_argument(f"--{key.replace('_', '-')}", type=int, default=loader[key])
    parser.add_argument("--reload", action="store_true", help="load afresh even if loaded")
    return parser.parse_args()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(client: Client, url: str, requests: int) -> tuple[list[float], CaptureQueriesContext]:
    """Server times (ms) of `requests` GETs after a warm-up, and the queries of one more."""
    for _ in range(WARM_UP):
        fetch(client, url)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        fetch(client, url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        fetch(client, url)
    return times, ctx


def fetch(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}")
    return response.content


def explain(sql: str) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of one SELECT: what a reader needs from its plan."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [line for (line,) in cursor.fetchall()]
    scans = r"(?:Index Scan|Index Only Scan|Bitmap Index Scan) (?:using|on) (\w+)"
    indexes = list(dict.fromkeys(name for line in lines for name in re.findall(scans, line)))
    seq = [found.group(1) for line in lines if (found := re.search(r"Seq Scan on (\w+)", line))]
    jit = next((line.strip() for line in lines if line.strip().startswith("Timing:")), "")
    return {
        "top": lines[0].strip(),
        "indexes": indexes,
        "seq": seq,
        "time": next((line.strip() for line in lines if line.startswith("Execution Time")), ""),
        "planning": next((line.strip() for line in lines if line.startswith("Planning Time")), ""),
        "jit": jit,
    }


def ticket_selects(ctx: CaptureQueriesContext) -> list[tuple[str, str]]:
    """The request's reads of the ticket table: ("count" | "page", SQL)."""
    found = []
    for query in ctx.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and 'FROM "tickets_ticket"' in sql:
            found.append(("count" if sql.startswith("SELECT COUNT(*)") else "page", sql))
    return found


def measure(client: Client, name: str, url: str, requests: int, *, target: bool) -> bool:
    say(f"{name}: {requests} requests of {url} ...")
    times, ctx = timed(client, url, requests)
    median, p95 = statistics.median(times), percentile(times, 0.95)
    ok = True
    verdict = ""
    if target:
        ok = median < MEDIAN_TARGET_MS and p95 < P95_TARGET_MS
        verdict = (
            f"; targets median < {MEDIAN_TARGET_MS:.0f} ms, p95 < {P95_TARGET_MS:.0f} ms: "
            f"{'PASS' if ok else 'FAIL'}"
        )
    print(
        f"{name}: median {median:.1f} ms, p95 {p95:.1f} ms (min {min(times):.1f}, max "
        f"{max(times):.1f}; {len(times)} requests), {len(ctx.captured_queries)} queries{verdict}"
    )
    print(f"  GET {url}")
    for kind, sql in ticket_selects(ctx):
        plan = explain(sql)
        indexed = plan["indexes"] and "tickets_ticket" not in plan["seq"]
        ok &= bool(indexed)
        print(f"  explain {kind}: {plan['top']}")
        seq = f"; Seq Scan on {', '.join(plan['seq'])}" if plan["seq"] else ""
        jit = f"; JIT {plan['jit']}" if plan["jit"] else ""
        print(
            f"    indexes: {', '.join(plan['indexes']) or 'none'}{seq}; {plan['time']}{jit}; "
            f"index scans only on tickets_ticket: {'PASS' if indexed else 'FAIL'}"
        )
    return ok


def page_size_queries(client: Client, url: str) -> bool:
    counts = {}
    for per_page in (25, 50, 100):
        with CaptureQueriesContext(connection) as ctx:
            fetch(client, f"{url}?per_page={per_page}")
        counts[per_page] = len(ctx.captured_queries)
    constant = len(set(counts.values())) == 1
    shown = ", ".join(f"{n} a page: {q}" for n, q in counts.items())
    print(f"queries by page size: {shown} (target constant: {'PASS' if constant else 'FAIL'})")
    return constant


def main() -> int:
    args = arguments()
    # Hashed static names need collectstatic's manifest; the bench measures the queue instead.
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    name = bench_jobs.ensure_database()
    now = bench_jobs.prepare(args)
    engineer = User.objects.filter(role=User.Role.ENGINEER, is_active=True).order_by("pk").first()
    if engineer is None:
        sys.exit("No engineer in the bench database: reload it (--reload).")
    open_count = bench_jobs.scalar("SELECT count(*) FROM tickets_ticket WHERE state <> 'closed'")
    print(
        f"database {name}: {args.tickets:,} tickets, {open_count:,} open, "
        f"{args.organizations:,} organizations, {args.engineers:,} engineers (loaded at NOW = "
        f"{now.isoformat()}; the queue is read at the clock's now); as {engineer.email}"
    )
    client = Client(SERVER_NAME=settings.ALLOWED_HOSTS[0])
    ensure_second_factor([engineer])
    client.force_login(engineer)
    queue, rows = reverse("workspace:queue"), reverse("workspace:queue_rows")
    ok = measure(client, "default view", queue, args.requests, target=True)
    ok &= measure(client, "auto-refresh rows", rows, args.requests, target=False)
    ok &= measure(client, "filtered view", f"{queue}?{args.filtered}", args.requests, target=False)
    search = f"{queue}?q={args.search}"
    ok &= measure(client, "search", search, args.requests, target=False)
    ok &= page_size_queries(client, queue)
    print(f"queue bench: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
