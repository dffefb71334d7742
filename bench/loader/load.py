"""Load synthetic, constraint-valid tickets into PostgreSQL with COPY, for the benchmarks.

    python bench/load_bench_tickets.py [--tickets 1000000] [--organizations 2000] [--engineers 200]
        [--open 50000] [--waiting 100000] [--past-cutoff 10000] [--seed 42] [--now ISO8601]
        [--big-organization N] [--reset]

What it makes, the same for the same --seed and --now (--now defaults to the clock):
- organizations "Bench Org 0001" ..., each with 1-3 customers c{n}@org{m}.bench and one license
  BENCH-{m:05d} (60 % Standard, 30 % Premium, 10 % Platinum) whose support covers the two years
  of tickets and --now; engineers e{n}@vendor.bench. Passwords are unusable ("!...").
- tickets registered over the two years before --now, numbered in registration order by
  tickets.numbering.format_number (the sequence is set past the last one). All are closed
  except --open vendor-side ones (registered / in progress / disputed, deadlines from 2 days
  breached to 10 days ahead) and --waiting ones waiting on the customer (awaiting customer /
  resolved), of which exactly --past-cutoff are past their auto-close time (in the 3 days
  before --now) and the rest close within 14 days after it.
- the deadlines, queue key and marks the portal and its periodic jobs would have left by --now
  (warnings, breaches, unconfirmed flags), so that a sweep at --now has nothing to do but
  auto-close the --past-cutoff silent tickets.
No events, messages or notifications: the load stays fast. The tickets go in with one COPY
(FREEZE: the table is truncated in the same transaction) with every index and constraint in
place, PostgreSQL checking the foreign keys at commit; then the full-text index's pending list
is merged and the tables are analyzed. A million takes about 2.5 minutes on two cores, most of
it the full-text index and the foreign-key checks. The parameters are kept in the table
`bench_load` for the benchmarks.

--big-organization N (optional, default none) then grows the largest organization to N tickets
by handing it closed tickets of its tier from other organizations (bench/loader/bigorg.py: the
open tickets, and so the other benchmarks' figures, stay those of the default load).

It refuses a database that is not PostgreSQL, and one that holds tickets or bench accounts
unless --reset is given: --reset TRUNCATEs every ticket table (CASCADE) and deletes the bench
organizations, people and licenses before loading.
"""

import argparse
import datetime
import json
import random
import time
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import JSONField
from django.utils import timezone

from accounts.models import License, Organization, User
from bench.loader.synth import (
    COLUMNS,
    DAY,
    PRIORITIES,
    CustomerPeriods,
    Org,
    Synth,
)
from sla import selectors
from sla.models import Target, Tier
from tickets.models import Attachment, Message, Notification, PriorityChange, Ticket, TicketEvent
from tickets.numbering import SEQUENCE_NAME

LOADER_VERSION = 2  # bump when the generated data changes, so benchmarks reload
ORG_PREFIX, DOMAIN = "Bench Org ", ".bench"
PARAMS_TABLE = "bench_load"
TIERS = (("standard", 0.6), ("premium", 0.9), ("platinum", 1.0))  # cumulative shares
NAMES = [
    ("Алексей", "Иванов"),
    ("Мария", "Смирнова"),
    ("Дмитрий", "Кузнецов"),
    ("Ольга", "Попова"),
    ("Сергей", "Соколов"),
    ("Елена", "Лебедева"),
    ("Павел", "Козлов"),
    ("Анна", "Новикова"),
    ("Ivan", "Morozov"),
    ("Natalia", "Volkova"),
]


def _instant(value: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {value!r}") from exc
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError("give a zone, e.g. 2026-11-25T20:00:00+00:00")
    return moment


def _span(amount: int, unit: str, always_open: bool) -> int:
    """A target as calendar seconds: nominal, a business day taken as 1.4 calendar days."""
    if unit == Target.Unit.MINUTES:
        return amount * 60 if always_open else int(amount / 540 * 1.4 * DAY)
    return int(amount * 1.4 * DAY)


class Command(BaseCommand):
    help = "Load synthetic tickets into PostgreSQL with COPY for the benchmarks (see bench/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=1_000_000)
        parser.add_argument("--organizations", type=int, default=2_000)
        parser.add_argument("--engineers", type=int, default=200)
        parser.add_argument("--open", type=int, default=50_000, help="vendor-side open tickets")
        parser.add_argument("--waiting", type=int, default=100_000, help="waiting on customers")
        parser.add_argument("--past-cutoff", type=int, default=10_000, help="silent, to close")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--now", type=_instant, default=None, help="default: the clock")
        parser.add_argument(
            "--big-organization",
            type=int,
            default=0,
            help="grow the largest organization to this many tickets (default: left as drawn)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="truncate all tickets and bench accounts first"
        )

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                f"load_bench_tickets needs PostgreSQL (COPY); this database is "
                f"{connection.vendor}. Set DATABASE_URL=postgres://..."
            )
        n, orgs_n = int(options["tickets"]), int(options["organizations"])
        vendor_open, waiting, past = (int(options[k]) for k in ("open", "waiting", "past_cutoff"))
        if min(n, vendor_open, waiting, past) < 0 or orgs_n < 1 or int(options["engineers"]) < 1:
            raise CommandError(
                "Counts must be >= 0, and there must be organizations and engineers."
            )
        if vendor_open + waiting > n or past > waiting:
            raise CommandError(
                "Need --open + --waiting <= --tickets and --past-cutoff <= --waiting."
            )
        if not 0 <= int(options.get("big_organization") or 0) <= n - vendor_open - waiting:
            raise CommandError("Need 0 <= --big-organization <= the closed tickets.")
        now = options["now"] or timezone.now()
        now = now.replace(microsecond=0)
        params = {
            "loader": LOADER_VERSION,
            **{k: options[k] for k in ("tickets", "organizations", "engineers", "seed")},
            **{"open": vendor_open, "waiting": waiting, "past_cutoff": past},
            "now": now.isoformat(),
        }
        rng = random.Random(int(options["seed"]))
        phases: dict[str, float] = {}
        started = time.perf_counter()

        def lap(name: str) -> None:
            nonlocal started
            phases[name], started = time.perf_counter() - started, time.perf_counter()

        with transaction.atomic():
            self._refuse_or_reset(reset=bool(options["reset"]))
            orgs, engineers = self._accounts(rng, now, orgs_n, int(options["engineers"]))
            lap("accounts")
            synth = Synth(
                rng=rng,
                now=int(now.timestamp()),
                orgs=orgs,
                engineers=engineers,
                spans=self._spans(),
                cutoffs=CustomerPeriods(selectors.customer_calendar()),
                fields={field.attname for field in Ticket._meta.concrete_fields},
            )
            try:
                plan = synth.plan(
                    tickets=n, vendor_open=vendor_open, waiting=waiting, past_cutoff=past
                )
            except ValueError as exc:
                raise CommandError(f"{exc}; choose another --now.") from exc
            lap("plan")
            self._copy(synth, plan, started)
            lap("COPY")
            self._merge_gin()
            lap("GIN merge")
            self._finish(params, now, n, past)
        lap("commit (deferred FK checks)")
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE tickets_ticket, accounts_user, accounts_organization, accounts_license"
            )
        lap("ANALYZE")
        if big := int(options.get("big_organization") or 0):
            from bench.loader.bigorg import make_big_organization  # it imports this module

            make_big_organization(big, say=self.stderr.write)
            lap("big organization")
        self._summary(synth, params, orgs, engineers, phases)

    def _refuse_or_reset(self, *, reset: bool) -> None:
        tickets = Ticket.objects.count()
        bench = (
            Organization.objects.filter(name__startswith=ORG_PREFIX).exists()
            or User.objects.filter(email__endswith=DOMAIN).exists()
        )
        if (tickets or bench) and not reset:
            what = f"{tickets:,} tickets" if tickets else "bench organizations and people"
            raise CommandError(
                f"This database already holds {what}. Pass --reset to TRUNCATE every ticket "
                f"table (all tickets, not only bench ones) and the bench accounts, then load."
            )
        tables = [m._meta.db_table for m in (Ticket, TicketEvent, Message, Attachment)]
        tables += [m._meta.db_table for m in (Notification, PriorityChange)]
        with connection.cursor() as cursor:
            # Also when empty: a table truncated in this transaction can take COPY ... FREEZE.
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {PARAMS_TABLE} "
                f"(params jsonb NOT NULL, loaded_at timestamptz NOT NULL)"
            )
            cursor.execute(f"DELETE FROM {PARAMS_TABLE}")  # noqa: S608 - a constant
        License.objects.filter(key__startswith="BENCH-").delete()
        User.objects.filter(email__endswith=DOMAIN).delete()
        Organization.objects.filter(name__startswith=ORG_PREFIX).delete()

    def _accounts(
        self, rng: random.Random, now: datetime.datetime, orgs_n: int, engineers_n: int
    ) -> tuple[list[Org], list[int]]:
        extended = dict(Tier.objects.values_list("code", "extended"))
        today = timezone.localdate(now)
        organizations = Organization.objects.bulk_create(
            [Organization(name=f"{ORG_PREFIX}{m:04d}") for m in range(1, orgs_n + 1)]
        )
        licenses, people = [], []
        for m, org in enumerate(organizations, 1):
            r = rng.random()
            tier = next(code for code, share in TIERS if r < share)
            phone = f"+7 495 {rng.randrange(100, 1000)}-{rng.randrange(10, 100)}-{m % 100:02d}"
            licenses.append(
                License(
                    key=f"BENCH-{m:05d}",
                    organization=org,
                    product="Network Security Gateway",
                    tier_id=tier,
                    support_starts_on=today - datetime.timedelta(days=760 + rng.randrange(365)),
                    support_ends_on=today + datetime.timedelta(days=30 + rng.randrange(700)),
                    hotline_phone=phone if extended[tier] else "",
                )
            )
            for c in range(1, 2 + int(rng.random() * 3)):
                people.append(self._person(rng, now, f"c{c}@org{m}{DOMAIN}", org))
        people += [
            self._person(rng, now, f"e{e}@vendor{DOMAIN}", None) for e in range(1, engineers_n + 1)
        ]
        licenses = License.objects.bulk_create(licenses)
        people = User.objects.bulk_create(people, batch_size=2_000)
        customers: dict[int, list[tuple[int, str, str]]] = {}
        for user in people:
            if user.organization_id:
                customers.setdefault(user.organization_id, []).append(
                    (user.pk, user.email, user.language)
                )
        orgs = [
            Org(
                lic.organization_id,
                lic.pk,
                lic.tier_id,
                extended[lic.tier_id],
                tuple(customers[lic.organization_id]),
            )
            for lic in licenses
        ]
        return orgs, [user.pk for user in people if user.organization_id is None]

    @staticmethod
    def _person(
        rng: random.Random, now: datetime.datetime, email: str, org: Organization | None
    ) -> User:
        first, last = rng.choice(NAMES)
        return User(
            email=email,
            password=f"!{rng.getrandbits(160):040x}",  # unusable, as make_password(None)
            role=User.Role.CUSTOMER if org else User.Role.ENGINEER,
            organization=org,
            first_name=first,
            last_name=last,
            language="ru" if rng.random() < 0.75 else "en",
            date_joined=now - datetime.timedelta(days=800 + rng.randrange(400)),
        )

    @staticmethod
    def _spans() -> dict[tuple[str, str], tuple[int, int]]:
        spans = {}
        for t in Target.objects.select_related("reaction_calendar", "resolution_calendar"):
            spans[t.tier_id, t.priority_id] = (
                _span(t.reaction_amount, t.reaction_unit, t.reaction_calendar.always_open),
                _span(t.resolution_amount, t.resolution_unit, t.resolution_calendar.always_open),
            )
        cells = {(tier, p) for tier, _ in TIERS for p, _ in PRIORITIES}
        if missing := cells - spans.keys():
            raise CommandError(f"No SLA target for {sorted(missing)}; run migrate first.")
        return spans

    def _copy(self, synth: Synth, plan: list, started: float) -> None:
        fields = [Ticket._meta.get_field(name) for name in COLUMNS + synth.times]
        columns, tail = [f.column for f in fields], ""
        covered = {f.attname for f in fields}
        for field in Ticket._meta.concrete_fields:  # a field added since: its default, if any
            if field.primary_key or field.attname in covered or field.null:
                continue
            if not field.has_default():
                raise CommandError(f"Ticket.{field.name} is new and required: teach the loader.")
            if isinstance(field, JSONField):  # COPY takes the JSON text, not the SQL adapter
                text = json.dumps(field.get_default())
            else:
                value = field.get_db_prep_save(field.get_default(), connection)
                text = ("t" if value else "f") if isinstance(value, bool) else str(value)
            columns.append(field.column)
            tail += "\t" + text

        def chunks() -> Iterator[str]:
            batch: list[str] = []
            for done, row in enumerate(synth.rows(plan, tail=tail), 1):
                batch.append(row)
                if done % 10_000 == 0 or done == len(plan):
                    yield "".join(batch)
                    batch.clear()
                if done % 100_000 == 0:
                    elapsed = time.perf_counter() - started
                    self.stderr.write(f"  {done:>9,} / {len(plan):,} tickets  {elapsed:6.1f} s")

        sql = f"COPY {Ticket._meta.db_table} ({', '.join(columns)}) FROM STDIN FREEZE"
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(sql) as copy:
                for chunk in chunks():
                    copy.write(chunk)
            if raw.rowcount != len(plan):
                raise CommandError(f"COPY wrote {raw.rowcount} rows, not {len(plan)}.")

    @staticmethod
    def _merge_gin() -> None:
        """Merge the pending lists of the GIN (full-text) indexes now, not at the first search."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT gin_clean_pending_list(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam "
                "WHERE i.indrelid = %s::regclass AND am.amname = 'gin'",
                [Ticket._meta.db_table],
            )

    def _finish(self, params: dict, now: datetime.datetime, n: int, past: int) -> None:
        waiting = Ticket.objects.waiting_on_customer()
        due = waiting.filter(auto_close_at__lte=now).count()
        if due != past:
            raise CommandError(f"{due} tickets are past their auto-close time, not {past}.")
        with connection.cursor() as cursor:
            if n:  # later registrations continue after the loaded numbers, never reuse one
                cursor.execute("SELECT setval(%s, %s)", [SEQUENCE_NAME, n])
            cursor.execute(
                f"INSERT INTO {PARAMS_TABLE} VALUES (%s, %s)",  # noqa: S608 - a constant
                [json.dumps(params), timezone.now()],
            )

    def _summary(
        self,
        synth: Synth,
        params: dict,
        orgs: list[Org],
        engineers: list[int],
        phases: dict[str, float],
    ) -> None:
        n = params["tickets"]
        states = ", ".join(f"{state} {count:,}" for state, count in sorted(synth.counts.items()))
        customers = sum(len(org.customers) for org in orgs)
        tiers: dict[str, int] = {}
        for org in orgs:
            tiers[org.tier] = tiers.get(org.tier, 0) + 1
        timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items())
        self.stdout.write(
            f"Loaded {n:,} tickets at now={params['now']} (seed {params['seed']}).\n"
            f"  states: {states}\n"
            f"  past their auto-close time: {params['past_cutoff']:,}\n"
            f"  {len(orgs):,} organizations and licenses ({tiers}), {customers:,} customers, "
            f"{len(engineers):,} engineers\n"
            f"  {timing}\n"
            f"  total {sum(phases.values()):.1f} s ({n / sum(phases.values()):,.0f} tickets/s)"
        )
