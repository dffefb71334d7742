"""One big organization in a bench load: the largest one grows to N tickets (optional).

The default load spreads a million tickets over 2,000 organizations with a few big accounts
(the largest holds about 12,000). Issue 14 measures a customer's list on an organization of
50,000 tickets, so `load_bench_tickets --big-organization 50000` (or bench/bench_pages.py on an
existing load) hands closed tickets of other organizations to the largest one until it holds N:

- only closed tickets of the largest organization's own tier move (their deadlines, hotline
  channel and met/missed marks stay valid for that tier), picked evenly over the two years by a
  hash of their id, so the same load always gives the same result;
- each moved ticket takes the organization's license and one of its customers (as filer and
  contact, unless a hotline engineer registered it);
- open tickets never move: the queue, the periodic jobs and bench_jobs.py's snapshot of the
  open tickets are the same as in the default load, so the other benchmarks can share it.

The size is recorded in the load's parameters (`big_organization`); running it again is a
no-op once the organization is that big.
"""

import json
from collections.abc import Callable

from django.db import connection, transaction

from bench.loader.load import PARAMS_TABLE


def _rows(sql: str, params: list | dict | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def largest_organization() -> tuple[int, int]:
    """(id, tickets) of the organization with the most tickets (the lowest id on a tie)."""
    (found,) = _rows(
        "SELECT organization_id, count(*) FROM tickets_ticket GROUP BY organization_id "
        "ORDER BY count(*) DESC, organization_id LIMIT 1"
    )
    return found


def make_big_organization(target: int, say: Callable[[str], None] = print) -> tuple[int, int]:
    """Grow the largest organization to `target` tickets; (its id, its tickets)."""
    org, count = largest_organization()
    if count >= target:
        _record(target)
        return org, count
    ((tier, license_id),) = _rows(
        "SELECT l.tier_id, l.id FROM accounts_license l WHERE l.organization_id = %s "
        "ORDER BY l.id LIMIT 1",
        [org],
    )
    people = _rows(
        "SELECT id, email FROM accounts_user WHERE organization_id = %s ORDER BY id", [org]
    )
    needed = target - count
    say(f"growing organization {org} ({tier}) from {count:,} to {target:,} tickets ...")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            # Modulo the id picks one of the organization's 1-3 customers, reproducibly.
            "UPDATE tickets_ticket t SET organization_id = %(org)s, license_id = %(license)s, "
            "customer_id = (%(ids)s::bigint[])[1 + t.id %% %(k)s], "
            "contact_email = (%(emails)s::text[])[1 + t.id %% %(k)s], "
            "registered_by_id = CASE WHEN t.channel = 'hotline' THEN t.registered_by_id "
            "ELSE (%(ids)s::bigint[])[1 + t.id %% %(k)s] END "
            "FROM (SELECT id FROM tickets_ticket WHERE state = 'closed' AND tier_id = %(tier)s "
            "AND organization_id <> %(org)s ORDER BY md5(id::text) LIMIT %(n)s) AS pick "
            "WHERE t.id = pick.id",
            {
                "org": org,
                "license": license_id,
                "ids": [pk for pk, _ in people],
                "emails": [email for _, email in people],
                "k": len(people),
                "tier": tier,
                "n": needed,
            },
        )
        if cursor.rowcount != needed:
            transaction.set_rollback(True)
            raise RuntimeError(f"only {cursor.rowcount:,} closed {tier} tickets to move")
        _record(target)
    with connection.cursor() as cursor:  # the moved rows' dead versions and new statistics
        cursor.execute("VACUUM ANALYZE tickets_ticket")
    return org, target


def _record(target: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PARAMS_TABLE} SET params = params || %s::jsonb",  # noqa: S608 - a constant
            [json.dumps({"big_organization": target})],
        )
