"""Auto-assignment's cost at registration (issue 18): 1,000,000 tickets, 100 engineers.

Run from the repository root (or `make bench-assign`):

    python bench/bench_assign.py [--registrations 300] [--tickets 1000000] [--engineers 100]

The data is bench/loader's (the database helpdesk_bench_assign by default, DATABASE_URL; its
name must contain "bench"): loaded with --engineers 100 when the database holds fewer tickets
(about 12 minutes on two cores). Every engineer gets a duty profile on the 24x7 calendar
handling every tier and area, so all 100 are candidates of every registration: the worst case
of the count of open work. A bench customer then files --registrations tickets with
auto-assignment off and as many with it on, alternating, each in its own transaction rolled
back (the data stays as loaded, so every run measures the same). Printed: median and 95th
percentile of the registration (ms) and its queries in each mode, the difference, and the
chooser's own time (tickets.services.assignment.choose_assignee) with the SQL time of its
count of open work under EXPLAIN ANALYZE. Target: the difference under 5 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench_assign")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "0")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, QuerySet  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import License, User  # noqa: E402
from bench.bench_jobs import ensure_database  # noqa: E402  (after this file's environment)
from bench.loader.load import Command as LoadBenchTickets  # noqa: E402
from duty.models import AssignmentSettings, DutyProfile  # noqa: E402
from sla.defaults import ROUND_THE_CLOCK  # noqa: E402
from sla.models import Calendar  # noqa: E402
from tickets.models import EngineerWorkload, Ticket  # noqa: E402
from tickets.services import ticket_register  # noqa: E402
from tickets.services.assignment import OPEN_WORK_STATES, choose_assignee  # noqa: E402

TARGET_MS = 5.0


class Rollback(Exception):
    pass


def _prepare(args: argparse.Namespace) -> tuple[User, License]:
    ensure_database()  # created on the first run, migrated (its name must contain "bench")
    if Ticket.objects.count() < args.tickets:
        print(f"loading {args.tickets:,} tickets ...", file=sys.stderr)
        LoadBenchTickets().run_from_argv(
            [
                "bench",
                "load_bench_tickets",
                "--reset",
                f"--tickets={args.tickets}",
                f"--engineers={args.engineers}",
            ]
        )
    always = Calendar.objects.get(name=ROUND_THE_CLOCK)
    engineers = list(User.objects.engineers())
    DutyProfile.objects.bulk_create(
        [DutyProfile(engineer=e, calendar=always) for e in engineers], ignore_conflicts=True
    )
    DutyProfile.objects.update(calendar=always, on_duty_24x7=False)
    license_ = License.objects.filter(key__startswith="BENCH-", tier_id="platinum").first()
    customer = license_.organization.members.filter(is_active=True).first() if license_ else None
    if license_ is None or customer is None:
        sys.exit("No bench Platinum license with a customer: reload with --tickets.")
    return customer, license_


def _switch(enabled: bool) -> None:
    row = AssignmentSettings.load()
    row.enabled = enabled
    row.save()


def _register(customer: User, license_: License) -> tuple[float, int, int | None]:
    """One registration in a transaction rolled back: (ms, queries, assignee id)."""
    assignee = None
    with CaptureQueriesContext(connection) as queries:
        try:
            with transaction.atomic():
                start = time.perf_counter()
                ticket = ticket_register(
                    actor=customer,
                    license_key=license_.key,
                    product_version="7.2",
                    subject="VPN down",
                    description="Tunnels drop.",
                    diagnostics="Rebooted.",
                    priority="medium",
                )
                elapsed = (time.perf_counter() - start) * 1000
                assignee = ticket.assignee_id
                raise Rollback
        except Rollback:
            pass
    return elapsed, len(queries), assignee


def _figures(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def _chooser_ms(runs: int, tier: str) -> tuple[float, float, int]:
    """Medians of choose_assignee's wall time and of its queries' time (ms), its queries."""
    samples, sql, calls = [], [], []

    def timed(execute, sql_text, params, many, context):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            spent.append((time.perf_counter() - start) * 1000)

    for _ in range(runs):
        spent: list[float] = []
        with connection.execute_wrapper(timed), transaction.atomic():
            start = time.perf_counter()
            choose_assignee(tier_id=tier, priority_id="medium", area_id=None, now=timezone.now())
            samples.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
        sql.append(sum(spent))
        calls.append(len(spent))
    return statistics.median(samples), statistics.median(sql), int(statistics.median(calls))


def _plan(queryset: QuerySet) -> str:
    """The top scan and the execution time of `queryset` under EXPLAIN ANALYZE."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    scan = next((line.strip() for line in plan if "Scan" in line), plan[0].strip())
    return f"{scan.split('  (')[0].lstrip('-> ')}; {plan[-1].strip()}"


def _work_plans(ids: list[int]) -> tuple[str, str]:
    """The read of the kept open work, and the count it replaces (for comparison)."""
    kept = EngineerWorkload.objects.filter(engineer_id__in=ids).values_list(
        "engineer_id", "open_tickets"
    )
    counted = (
        Ticket.objects.filter(assignee_id__in=ids, state__in=OPEN_WORK_STATES)
        .order_by()
        .values("assignee_id")
        .annotate(n=Count("id"))
    )
    return _plan(kept), _plan(counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=300)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--engineers", type=int, default=100)
    args = parser.parse_args()
    customer, license_ = _prepare(args)
    results: dict[bool, list[tuple[float, int, int | None]]] = {False: [], True: []}
    # Blocks off, on, off, on: a switch changes the kept reference data of every process, so
    # each block starts with a few registrations that are not counted.
    for enabled in (False, True, False, True):
        _switch(enabled)
        for _ in range(3):
            _register(customer, license_)
        results[enabled] += [_register(customer, license_) for _ in range(args.registrations // 2)]
    _switch(False)
    off_med, off_p95 = _figures([r[0] for r in results[False]])
    on_med, on_p95 = _figures([r[0] for r in results[True]])
    assigned = {r[2] for r in results[True]}
    open_work = Ticket.objects.filter(state__in=OPEN_WORK_STATES, assignee__isnull=False).count()
    _switch(True)
    chooser = _chooser_ms(200, license_.tier_id)
    _switch(False)
    ids = list(DutyProfile.objects.values_list("pk", flat=True))
    kept_plan, count_plan = _work_plans(ids)
    print(
        f"\n{Ticket.objects.count():,} tickets, {len(ids)} engineers on duty, "
        f"{open_work:,} tickets of open work; {args.registrations} registrations per mode\n"
    )
    print("| registration | median ms | p95 ms | queries |")
    print("|---|---|---|---|")
    print(f"| auto-assignment off | {off_med:.2f} | {off_p95:.2f} | {results[False][0][1]} |")
    print(f"| auto-assignment on | {on_med:.2f} | {on_p95:.2f} | {results[True][0][1]} |")
    added = on_med - off_med
    verdict = "met" if added < TARGET_MS else "NOT met"
    print(
        f"| added by auto-assignment | {added:.2f} | {on_p95 - off_p95:.2f} | "
        f"{results[True][0][1] - results[False][0][1]} |"
    )
    chosen = len(assigned - {None})
    print(f"\ntarget: under {TARGET_MS} ms added: {verdict}; engineers chosen: {chosen}")
    print(f"chooser alone (choose_assignee, median of 200): {chooser[0]:.2f} ms")
    print(f"its {chooser[2]} queries' own time (median of 200): {chooser[1]:.2f} ms")
    print(f"open work read (EngineerWorkload): {kept_plan}")
    print(f"the count it replaces: {count_plan}")


if __name__ == "__main__":
    main()
