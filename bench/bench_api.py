"""The REST API at a million tickets (issue 16's targets beside each figure).

Run from the repository root:

    python bench/bench_api.py [--requests 30] [--page-seconds 60] [load options of bench_pages]

The data is bench/bench_pages.py's (the database helpdesk_bench as bench_jobs loaded it, and
pages_data's big organization, rich ticket and inbox), read as that benchmark left it: never
loaded, restored or reset here (run bench_pages first; make bench does). The API's
own tables (tokens, webhooks) are created for the run if the bench database has not had this
branch's migrations, and dropped again afterwards; the tokens made for the run are deleted, and
so are the tickets the POST files (pages_data.remove_new_tickets).

Each request goes through django.test.Client with `Authorization: Bearer <token>`, the whole
stack in this process (middleware, DRF, serializers; no network), as the bench engineer or a
customer of the big organization. Printed as bench_pages prints: median and p95 server time,
the SQL queries of one request (the list's count must not change with the page), the target of
issue 16 and whether it is met, and the heaviest SELECT with its plan.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"  # mail and webhooks are queued, never sent here

from bench import bench_pages  # first: bench_jobs sets the environment and runs django.setup()

# isort: split
import datetime
import warnings
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import License, User
from api.models import ApiToken
from api.services import api_token_create
from bench import bench_jobs, bench_queue, pages_data
from bench.bench_pages import HEADER, Page, Target, make_floor, measure, row
from bench.loader.bigorg import largest_organization
from bench.second_factor import ensure_second_factor
from helpdesk import garbage
from helpdesk.celery import app as celery_app
from tickets.models import State, Ticket
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

# Issue 16: the list under 30 ms median, 60 ms p95, with a constant number of queries (the
# token and its person, the page: 2; 3 when the token's last use is written, every 5 minutes);
# filing a ticket under 20 ms median.
LIST = Target("list", 30, 60, queries=3)
DETAIL = Target("detail", 30)
SEARCH = Target("search", 60)  # issue 14's search target, for comparison with the pages
POST = Target("POST", 20)
API_MODELS = (ApiToken, WebhookEndpoint, WebhookEvent, WebhookDelivery)


def as_prepared() -> pages_data.Fixtures:
    """bench_pages' data as it left it, read only: this benchmark never loads, restores or
    grows anything (make bench runs bench_pages first)."""
    bench_jobs.ensure_database()
    found = bench_jobs.current_load()
    org, count = largest_organization()
    engineer = User.objects.filter(role=User.Role.ENGINEER, is_active=True).order_by("pk").first()
    customer = User.objects.filter(organization_id=org, is_active=True).order_by("pk").first()
    license_ = License.objects.filter(organization_id=org).order_by("pk").first()
    rich = (
        Ticket.objects.filter(organization_id=org, state=State.IN_PROGRESS).order_by("pk").first()
    )
    if not found or None in (engineer, customer, license_, rich):
        sys.exit("No bench data: run bench/bench_pages.py first (make bench does).")
    if rich.messages.count() != pages_data.MESSAGES:
        sys.exit("The rich ticket is not there: run bench/bench_pages.py first.")
    now = datetime.datetime.fromisoformat(found[0]["now"])
    return pages_data.Fixtures(now, org, count, license_.key, customer, engineer, rich.number)


def ensure_tables() -> list[type]:
    """Create the API's tables the bench database lacks (this branch's, unmigrated there);
    returns the models created, to drop at the end."""
    existing = set(connection.introspection.table_names())
    created = [model for model in API_MODELS if model._meta.db_table not in existing]
    with connection.schema_editor() as editor:
        for model in created:
            editor.create_model(model)
    return created


def drop_tables(created: list[type]) -> None:
    with connection.schema_editor() as editor:
        for model in reversed(created):
            editor.delete_model(model)


def endpoints(data: pages_data.Fixtures, tokens: dict[str, str], search: str) -> list[Page]:
    host = settings.ALLOWED_HOSTS[0]
    engineer = Client(SERVER_NAME=host, HTTP_AUTHORIZATION=f"Bearer {tokens['engineer']}")
    customer = Client(SERVER_NAME=host, HTTP_AUTHORIZATION=f"Bearer {tokens['customer']}")
    tickets = "/api/v1/tickets/"
    second = engineer.get(tickets).json()["next"]
    big = f"{data.organization_tickets:,}"

    def get(client: Client, url: str) -> Callable[[int], HttpResponse]:
        return lambda n: client.get(url)

    def file_ticket(n: int) -> HttpResponse:
        return customer.post(
            tickets,
            {
                "license_key": data.license_key,
                "product_version": "5.1.0",
                "priority": "medium",
                "subject": f"Bench API filing {n}: the VPN tunnel drops on every rekey",
                "description": "Since this morning the tunnel to Kazan drops every hour.",
                "diagnostics": "Rebooted node gw-07; the problem came back within an hour.",
                "contact_email": data.customer.email,
            },
            content_type="application/json",
        )

    detail = f"{tickets}{data.rich_ticket}/"
    searched = f"{tickets}?{urlencode({'q': search})}"
    return [
        Page("API list, engineer", f"GET {tickets}", get(engineer, tickets), 200, LIST),
        Page("API list, page 2 (cursor)", f"GET {second[:60]}…", get(engineer, second), 200, LIST),
        Page(
            "API list, open",
            f"GET {tickets}?state=open",
            get(engineer, f"{tickets}?state=open"),
            200,
            LIST,
        ),
        Page(
            f"API list, customer (org of {big})",
            f"GET {tickets}",
            get(customer, tickets),
            200,
            LIST,
        ),
        Page("API search, engineer", f"GET {searched}", get(engineer, searched), 200, SEARCH),
        Page("API ticket detail", f"GET {detail}", get(engineer, detail), 200, DETAIL),
        Page("API file a ticket", f"POST {tickets}", file_ticket, 201, POST),
    ]


def main() -> int:
    args = bench_pages.arguments()
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
    data = as_prepared()
    created = ensure_tables()
    made = {
        "engineer": api_token_create(
            actor=data.engineer, name="bench", scope="read_write", lifetime_days=1
        ),
        "customer": api_token_create(
            actor=data.customer, name="bench", scope="read_write", lifetime_days=1
        ),
    }
    # The bench sends more than a person's rate limit allows; the limit is not what is measured.
    SimpleRateThrottle.THROTTLE_RATES = {
        **SimpleRateThrottle.THROTTLE_RATES,
        "token": "1000000/min",
    }
    print(
        f"database {connection.settings_dict['NAME']}: {args.tickets:,} tickets; the big "
        f"organization holds {data.organization_tickets:,}; {args.requests} requests each "
        f"(or as many as {args.page_seconds:.0f} s allow), with personal API tokens\n"
    )
    # The floor beside each figure, as bench_pages prints it: the smallest signed-in page
    # (the engineer's, who needs a second factor to open it).
    ensure_second_factor([data.engineer])
    floor = make_floor(data)
    garbage.settle()  # as each web worker does once loaded (helpdesk/wsgi.py)
    results = []
    try:
        for page in endpoints(data, {who: m.raw for who, m in made.items()}, args.search):
            results.append((page, measure(page, args.requests, args.page_seconds, floor)))
    finally:
        removed = pages_data.remove_new_tickets()
        ApiToken.objects.filter(pk__in=[m.token.pk for m in made.values()]).delete()
        drop_tables(created)
        purged = celery_app.control.purge()
        bench_queue.say(f"removed {removed} filed tickets; purged {purged} queued tasks")
    header = HEADER.replace("target of issue 14", "target of issue 16")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for page, figures in results:
        print(row(page, figures))
    met = sum(figures["met"] for _, figures in results)
    print(f"\n{met} of {len(results)} API requests meet their target.")
    return 0 if met == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
