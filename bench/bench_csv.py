"""The CSV exports at 10,000 and 100,000+ rows: time and peak memory (a script, not a test).

Run from the repository root (`make bench-csv`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench_csv python bench/bench_csv.py

It uses its own database (DATABASE_URL, default helpdesk_bench_csv; the name must contain
"bench"; created and migrated if missing) loaded by bench/load_bench_tickets.py's loader when it
holds no tickets: 130,000 tickets of which 100,000 vendor-side open and 10,000 waiting on the
customer. Each export is requested through the real view with django.test.Client (the whole
middleware stack, no network) as a bench engineer, and its streamed body read to the end:
- "queue, waiting on the customer": /work/queue/export/?view=waiting (10,000 rows);
- "queue, all open": /work/queue/export/ (110,000 rows);
- "all tickets (engineers' list)": /tickets/export/ (130,000 rows).
Printed: rows, size, seconds (median of --runs), the SQL statements of one request, and the
peak memory while streaming: Python's allocations (tracemalloc, a separate run, as tracing
slows the run down) and the process's peak resident set (VmHWM, reset before each run; it also
counts the database driver's C buffers). Flat memory shows as the same peaks for 10,000 and
130,000 rows. Target (issue 18): 100,000 rows stream
in under 20 s with constant memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench_csv")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.loader.load import Command as LoadBenchTickets  # noqa: E402
from bench.second_factor import ensure_second_factor  # noqa: E402
from tickets.models import Ticket  # noqa: E402

TARGET_SECONDS = 20.0
LOAD = ["--tickets", "130000", "--open", "100000", "--waiting", "10000", "--past-cutoff", "1000"]
LOAD += ["--organizations", "300", "--engineers", "50"]
EXPORTS = (  # (name, URL name, query)
    ("queue, waiting on the customer", "workspace:queue_export", "?view=waiting"),
    ("queue, all open", "workspace:queue_export", ""),
    ("all tickets (engineers' list)", "tickets:export", ""),
)


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
    call_command("migrate", verbosity=0)
    if not Ticket.objects.exists():
        print("loading 130,000 tickets (about a minute) ...", file=sys.stderr)
        LoadBenchTickets().run_from_argv(["bench", "load_bench_tickets", *LOAD])


def peak_rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to the current RSS


def stream(client: Client, path: str) -> tuple[int, int]:
    """Request `path` and read its body to the end: (rows, bytes)."""
    response = client.get(path)
    if response.status_code != 200 or not response.streaming:
        sys.exit(f"{path}: HTTP {response.status_code}, streamed: {response.streaming}")
    lines = size = 0
    for piece in response.streaming_content:
        lines += piece.count(b"\n")
        size += len(piece)
    response.close()
    return lines - 1, size  # less the header


def measure(client: Client, path: str, runs: int) -> dict:
    stream(client, path)  # warm-up: the reference data, the plan
    seconds = []
    peak_rss = 0
    for _run in range(runs):
        reset_peak_rss()
        started = time.perf_counter()
        rows, size = stream(client, path)
        seconds.append(time.perf_counter() - started)
        peak_rss = max(peak_rss, peak_rss_kib())
    statements: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):  # named (server-side) cursors included
        stream(client, path)
    tracemalloc.start()
    stream(client, path)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "size": size,
        "seconds": statistics.median(seconds),
        "queries": len(statements),
        "traced_peak": traced_peak,
        "peak_rss": peak_rss * 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_database()
    # Hashed static names need collectstatic's manifest (as bench_pages.py does).
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    engineer = User.objects.filter(email__endswith="@vendor.bench", is_active=True).first()
    if engineer is None:
        sys.exit("no bench engineer: load the database with bench/load_bench_tickets.py")
    ensure_second_factor([engineer])
    client = Client()
    client.force_login(engineer)
    print("| export | rows | size | time (median) | queries | peak Python memory | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    slowest = 0.0
    for name, url_name, query in EXPORTS:
        path = reverse(url_name) + query
        figures = measure(client, path, args.runs)
        print(
            f"| {name} `{path}` | {figures['rows']:,} | {figures['size'] / 2**20:.1f} MiB "
            f"| {figures['seconds']:.2f} s | {figures['queries']} "
            f"| {figures['traced_peak'] / 2**20:.2f} MiB | {figures['peak_rss'] / 2**20:.0f} MiB |",
            flush=True,
        )
        if figures["rows"] >= 100_000:
            slowest = max(slowest, figures["seconds"])
    met = "met" if slowest < TARGET_SECONDS else "NOT met"
    print(f"\nTarget: 100,000 rows in under {TARGET_SECONDS:.0f} s: {met} ({slowest:.2f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
