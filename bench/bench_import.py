"""How long the license import takes for a big file (a script, not a test).

Run from the repository root: `python bench/bench_import.py [--licenses 100000]`. It uses its
own database (DATABASE_URL, default helpdesk_bench_import, created and migrated if missing, its
licenses and organizations emptied), writes a CSV of --licenses rows over --licenses / 5
organizations, and runs the import engine (licensing.importer, as `manage.py import_licenses`
does) twice: once on the empty base (every row created), once again (every row unchanged, the
idempotent case). Target (issue 15): 100,000 licenses in under 60 s.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench_import")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from accounts.models import License, Organization, User  # noqa: E402
from licensing.files import read_dataset  # noqa: E402
from licensing.importer import import_licenses  # noqa: E402
from licensing.models import TierChange  # noqa: E402

TARGET_SECONDS = 60.0
TIERS = ("standard", "premium", "platinum")


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


def write_file(path: Path, count: int) -> None:
    start = datetime.date(2026, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("organization,key,product,tier,support_starts_on,support_ends_on\n")
        for n in range(count):
            ends = start + datetime.timedelta(days=365 + n % 400)
            out.write(
                f"Bench Org {n // 5:06d},bench-{n:07d},UserGate NGFW,{TIERS[n % 3]},"
                f"{start:%Y-%m-%d},{ends:%d.%m.%Y}\n"
            )


def run(path: Path, label: str) -> float:
    began = time.perf_counter()
    dataset = read_dataset(path)
    report = import_licenses(dataset, dry_run=False, note=path.name)
    seconds = time.perf_counter() - began
    print(f"{label}: {len(report.rows):,} rows in {seconds:.1f} s — {report.counts}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--licenses", type=int, default=100_000)
    args = parser.parse_args()
    ensure_database()
    TierChange.objects.all().delete()
    User.objects.filter(organization__name__startswith="Bench Org").delete()
    License.objects.filter(key__startswith="BENCH-").delete()
    Organization.objects.filter(name__startswith="Bench Org").delete()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "licenses.csv"
        write_file(path, args.licenses)
        first = run(path, "first import (all created)")
        again = run(path, "same file again (all unchanged)")
    worst = max(first, again)
    verdict = "OK" if worst < TARGET_SECONDS else "TOO SLOW"
    print(
        f"import of {args.licenses:,} licenses: {worst:.1f} s "
        f"(target < {TARGET_SECONDS:.0f} s) {verdict}"
    )


if __name__ == "__main__":
    main()
