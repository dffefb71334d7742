"""The periodic jobs on a million tickets: closing the silent ones, idle sweeps.

Run from the repository root:

    python bench/bench_jobs.py [--tickets 1000000] [--open 50000] [--waiting 100000]
        [--past-cutoff 10000] [--organizations 2000] [--engineers 200] [--seed 42]
        [--sweeps 5] [--reload]

What is measured (figures on stdout, progress on stderr), at NOW = the --now of the load:
1. close_due: `tickets.jobs.auto_close(now=NOW)` closing the --past-cutoff tickets whose
   silence ran out: how many, seconds, SQL queries. Then SQL checks that exactly those tickets
   are closed with reason no_customer_response at NOW, each with one `auto_close` event and one
   `auto_closed` notification, and none is left due. Target: < 60 s for 10,000.
2. idle sweep: `tickets.jobs.sweep(now=NOW)` once nothing is due: the median of --sweeps runs
   after a warm-up, and its SQL queries. Targets: < 1 s, and a constant number of queries
   (each job one indexed probe, however many tickets there are).
3. EXPLAIN (ANALYZE, BUFFERS) of every statement of the idle sweep: its top plan line, its
   execution time and the partial index it probes (a statement that probes none, or reads a
   ticket table in full, fails the constant-queries target).

Data: the database (DATABASE_URL, default helpdesk_bench; its name must contain "bench", as it
is truncated) is created if missing and migrated, then loaded by bench/loader (the same as
`python bench/load_bench_tickets.py --reset`) unless it already holds a load with these
parameters; --reload forces a fresh load (~3 min).
Right after a load the open tickets, the only ones the jobs change, are copied to the table
bench_open_snapshot; each later run first puts the database back to that state (it empties the
event, message, attachment, notification and priority-change tables, which a load leaves empty,
and restores the open tickets that differ from the snapshot), so the bench can run again and
again without a reload. The e-mail tasks queued on the broker (Redis db 14 by default, where no
worker listens) are purged at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "0")

import django

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.loader.load import LOADER_VERSION  # noqa: E402
from bench.loader.load import Command as LoadBenchTickets  # noqa: E402
from helpdesk.celery import app as celery_app  # noqa: E402
from tickets import jobs  # noqa: E402

SNAPSHOT = "bench_open_snapshot"
SIDE_TABLES = (  # what the portal and its jobs write beside tickets; a load writes none
    "tickets_ticketevent",
    "tickets_message",
    "tickets_attachment",
    "tickets_notification",
    "tickets_prioritychange",
    "tickets_sessionproposal",
    "tickets_hotlinecall",
)
LOAD_KEYS = ("tickets", "organizations", "engineers", "open", "waiting", "past_cutoff", "seed")
CLOSE_TARGET_S, IDLE_TARGET_S = 60.0, 1.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_database() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor != "postgresql" or "bench" not in db["NAME"]:
        sys.exit(
            f"Refusing: the bench truncates its database; {db['NAME']!r} is not a *bench* one."
        )
    admin = psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"],
        host=db["HOST"],
        port=db["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if cursor.fetchone() is None:
            say(f"creating database {db['NAME']}")
            cursor.execute(f'CREATE DATABASE "{db["NAME"]}"')
    admin.close()
    call_command("migrate", verbosity=0, interactive=False)
    return db["NAME"]


def scalar(sql: str, params: list | None = None, *, row: bool = False) -> object:
    """The first value of the first row (or the whole row)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        found = cursor.fetchone()
    return found if row or found is None else found[0]


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "ORDER BY ordinal_position",
            [table],
        )
        return [name for (name,) in cursor.fetchall()]


def current_load() -> tuple[dict, str] | None:
    if scalar("SELECT to_regclass('bench_load')") is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT params::text, loaded_at::text FROM bench_load")
        row = cursor.fetchone()
    return (json.loads(row[0]), row[1]) if row else None


def take_snapshot(loaded_at: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SNAPSHOT}")
        cursor.execute(
            f"CREATE TABLE {SNAPSHOT} AS SELECT * FROM tickets_ticket WHERE state <> 'closed'"  # noqa: S608
        )
        cursor.execute(f"ALTER TABLE {SNAPSHOT} ADD PRIMARY KEY (id)")
        # Which load it belongs to: a snapshot of another load must never be restored.
        # DDL takes no bound parameters: the value is quoted here (the portal binds on the server).
        comment = connection.ops.compose_sql(f"COMMENT ON TABLE {SNAPSHOT} IS %s", [loaded_at])
        cursor.execute(comment)


def untouched(load: dict, now: datetime) -> bool:
    """Whether the database is as loaded: nothing written beside the tickets, none closed."""
    side = " + ".join(f"(SELECT count(*) FROM {table})" for table in SIDE_TABLES)  # noqa: S608
    due = scalar(
        f"SELECT {side}, (SELECT count(*) FROM tickets_ticket), "  # noqa: S608 - constants
        f"(SELECT count(*) FROM tickets_ticket WHERE state IN ('awaiting_customer', 'resolved') "
        f"AND auto_close_at <= %s)",
        [now],
        row=True,
    )
    return due == (0, load["tickets"], load["past_cutoff"])


def restore_snapshot(loaded_at: str, load: dict, now: datetime) -> int | None:
    """Put the open tickets back as loaded; None if that cannot be done (then reload)."""
    if scalar(f"SELECT obj_description(to_regclass('{SNAPSHOT}'), 'pg_class')") != loaded_at:
        if not untouched(load, now):  # loaded outside the bench, and used since
            return None
        take_snapshot(loaded_at)
        return 0
    names = [name for name in columns("tickets_ticket") if name != "id"]
    if ["id", *names] != columns(SNAPSHOT):
        return None  # the ticket table changed since the load (a new migration)
    target = ", ".join(names)
    source = ", ".join(f"s.{name}" for name in names)
    current = ", ".join(f"t.{name}" for name in names)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(SIDE_TABLES)} RESTART IDENTITY")
        cursor.execute(
            f"UPDATE tickets_ticket t SET ({target}) = ({source}) FROM {SNAPSHOT} s "  # noqa: S608
            f"WHERE t.id = s.id AND ({current}) IS DISTINCT FROM ({source})"
        )
        restored = cursor.rowcount
        cursor.execute(
            f"SELECT (SELECT count(*) FROM tickets_ticket), "  # noqa: S608 - constants
            f"(SELECT count(*) FROM tickets_ticket WHERE state <> 'closed'), "
            f"(SELECT count(*) FROM {SNAPSHOT}), "
            f"(SELECT count(*) FROM tickets_ticket WHERE state IN "
            f"('awaiting_customer', 'resolved') AND auto_close_at <= %s)",
            [now],
        )
        total, open_now, open_then, due = cursor.fetchone()
        if (total, open_now, due) != (load["tickets"], open_then, load["past_cutoff"]):
            transaction.set_rollback(True)
            return None
    if restored:  # the closing's dead rows would otherwise weigh on the next measurement
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE tickets_ticket")
    return restored


def prepare(args: argparse.Namespace) -> datetime:
    wanted = {key: getattr(args, key) for key in LOAD_KEYS} | {"loader": LOADER_VERSION}
    found = current_load()
    if found and not args.reload and all(found[0].get(k) == v for k, v in wanted.items()):
        params, loaded_at = found
        now = datetime.fromisoformat(params["now"])
        started = time.perf_counter()
        restored = restore_snapshot(loaded_at, params, now)
        if restored is not None:
            say(
                f"reusing the load of {loaded_at}: {restored:,} open tickets restored in "
                f"{time.perf_counter() - started:.1f} s"
            )
            return now
        say("the load cannot be restored to its loaded state; reloading")
    say(f"loading {args.tickets:,} tickets (load_bench_tickets --reset) ...")
    started = time.perf_counter()
    options = {key: getattr(args, key) for key in LOAD_KEYS}
    call_command(LoadBenchTickets(), reset=True, stdout=sys.stderr, **options)
    params, loaded_at = current_load()
    take_snapshot(loaded_at)
    print(f"load: {args.tickets:,} tickets in {time.perf_counter() - started:.1f} s")
    return datetime.fromisoformat(params["now"])


def verify_closing(now: datetime, closed: int, expected: int) -> list[str]:
    """What is wrong after the closing, in SQL (empty when all is right)."""
    problems = []
    if closed != expected:
        problems.append(f"auto_close returned {closed:,}, not {expected:,}")
    closed_now = "close_reason = 'no_customer_response' AND closed_at = %s"
    count = scalar(f"SELECT count(*) FROM tickets_ticket WHERE {closed_now}", [now])  # noqa: S608
    if count != expected:
        problems.append(f"{count:,} tickets closed at NOW for no customer response")
    for table, kind in (
        ("tickets_ticketevent", "auto_close"),
        ("tickets_notification", "auto_closed"),
    ):
        total = scalar(f"SELECT count(*) FROM {table} WHERE kind = %s", [kind])  # noqa: S608
        wrong = scalar(
            f"SELECT count(*) FROM (SELECT t.id FROM tickets_ticket t "  # noqa: S608
            f"LEFT JOIN {table} x ON x.ticket_id = t.id AND x.kind = %s WHERE {closed_now} "
            f"GROUP BY t.id HAVING count(x.id) <> 1) AS per_ticket",
            [kind, now],
        )
        if total != expected or wrong:
            problems.append(f"{total:,} {kind} rows in {table}, {wrong:,} tickets without one")
    left = scalar(
        "SELECT count(*) FROM tickets_ticket WHERE state IN ('awaiting_customer', 'resolved') "
        "AND auto_close_at <= %s",
        [now],
    )
    if left:
        problems.append(f"{left:,} tickets still due for auto-close")
    return problems


def explain(sql: str, partial: set[str]) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of one statement: its top line, the partial indexes it
    probes, the tables it reads in full (and whether that scan ran), its execution time."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [line for (line,) in cursor.fetchall()]
        transaction.set_rollback(True)  # EXPLAIN ANALYZE runs the statement: undo it
    scans = r"(?:Index Scan|Index Only Scan|Bitmap Index Scan) (?:using|on) (\w+)"
    used = {name for line in lines for name in re.findall(scans, line)}
    seq = [
        (found.group(1), "never executed" not in line)
        for line in lines
        if (found := re.search(r"Seq Scan on (\w+)", line))
    ]
    return {
        "top": lines[0].strip(),
        "probes": sorted(used & partial),
        "seq": seq,
        "time": next((line.strip() for line in lines if line.startswith("Execution Time")), ""),
    }


def statements(ctx: CaptureQueriesContext) -> list[str]:
    verbs = ("SELECT", "UPDATE", "DELETE", "INSERT", "WITH")
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(verbs)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=50_000)
    parser.add_argument("--waiting", type=int, default=100_000)
    parser.add_argument("--past-cutoff", type=int, default=10_000)
    parser.add_argument("--organizations", type=int, default=2_000)
    parser.add_argument("--engineers", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sweeps", type=int, default=5, help="timed idle sweeps (median)")
    parser.add_argument("--reload", action="store_true", help="load afresh even if loaded")
    args = parser.parse_args()

    name = ensure_database()
    now = prepare(args)
    print(
        f"database {name}: {args.tickets:,} tickets, {args.waiting:,} waiting on customers, "
        f"{args.past_cutoff:,} past their auto-close time; NOW = {now.isoformat()}"
    )
    ok = measure_close(now, args.past_cutoff)
    ok &= measure_idle(now, args.sweeps)
    purged = celery_app.control.purge()
    say(f"purged {purged} queued e-mail tasks from the broker")
    return 0 if ok else 1


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def measure_close(now: datetime, expected: int) -> bool:
    """close_due: auto_close on the silent tickets, timed, counted and checked."""
    say("closing the silent tickets ...")
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        closed = jobs.auto_close(now=now)
        seconds = time.perf_counter() - started
    met = seconds < CLOSE_TARGET_S * expected / 10_000
    queries = len(ctx.captured_queries)
    batches = max(1, -(-closed // jobs.BATCH_SIZE))
    print(
        f"close_due: {closed:,} tickets closed in {seconds:.2f} s ({closed / seconds:,.0f}/s; "
        f"target < {CLOSE_TARGET_S:.0f} s per 10,000: {verdict(met)})"
    )
    print(
        f"close_due queries: {queries:,} ({queries / batches:.1f} per batch of "
        f"{jobs.BATCH_SIZE}, {queries / max(closed, 1):.4f} per ticket)"
    )
    problems = verify_closing(now, closed, expected)
    good = "ok (no_customer_response at NOW, one auto_close event and one auto_closed "
    good += "notification per ticket, none left due)"
    print(f"close_due verify: {'; '.join(problems) if problems else good}")
    return met and not problems


def measure_idle(now: datetime, sweeps: int) -> bool:
    """idle sweep: sweep() with nothing due, timed, counted, and each statement explained."""
    say("idle sweeps ...")
    report = jobs.sweep(now=now)  # the warm-up; it also shows that nothing is left to do
    idle = not any(report.values())
    runs = []
    for _ in range(sweeps):
        started = time.perf_counter()
        jobs.sweep(now=now)
        runs.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as ctx:
        jobs.sweep(now=now)
    median = statistics.median(runs)
    fast = median < IDLE_TARGET_S
    print(
        f"idle sweep: median {median * 1000:.1f} ms of {len(runs)} (min {min(runs) * 1000:.1f}, "
        f"max {max(runs) * 1000:.1f}; target < {IDLE_TARGET_S:.0f} s: {verdict(fast)}); "
        f"{'idle' if idle else 'NOT IDLE, it did work'}: {report}"
    )
    partial = {
        name
        for (name,) in _rows(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename LIKE 'tickets_%' AND indexdef LIKE '% WHERE %'"
        )
    }
    sqls = statements(ctx)
    plans = [explain(sql, partial) for sql in sqls]
    # What would grow with the tickets: a statement that is no index probe, or a full read
    # of a ticket table (a scan of a small table joined to no row never runs).
    constant = all(
        plan["probes"] and not any(t.startswith("tickets_") and ran for t, ran in plan["seq"])
        for plan in plans
    )
    queries = len(ctx.captured_queries)
    print(
        f"idle sweep queries: {queries} ({len(sqls)} statements + {queries - len(sqls)} "
        f"BEGIN/COMMIT; target constant, each statement a partial-index probe: "
        f"{verdict(constant)})"
    )
    for number, (sql, plan) in enumerate(zip(sqls, plans, strict=True), 1):
        table = re.search(r'FROM "(\w+)"', sql)
        seq = "".join(
            f"; Seq Scan on {t}{'' if ran else ' (never executed)'}" for t, ran in plan["seq"]
        )
        probes = ", ".join(plan["probes"]) or "none"
        print(f"explain {number} ({table.group(1) if table else '?'}): {plan['top']}")
        print(f"  partial index: {probes}{seq}; {plan['time']}")
    return idle and fast and constant


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


if __name__ == "__main__":
    sys.exit(main())
