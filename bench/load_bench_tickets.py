"""Load synthetic tickets into PostgreSQL for the benchmarks (see bench/loader/load.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helpdesk_bench \
        python bench/load_bench_tickets.py --tickets 1000000 --reset

The benchmarks call the same loader themselves when their database is not loaded yet.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/helpdesk_bench")

import django

django.setup()

from bench.loader.load import Command  # noqa: E402

if __name__ == "__main__":
    Command().run_from_argv([sys.argv[0], "load_bench_tickets", *sys.argv[1:]])
