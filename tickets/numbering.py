"""Ticket numbers: unique, never reused, human-readable (SUP-2026-000123).

The counter is a database sequence: PostgreSQL's nextval() never hands out the same value twice,
even to concurrent transactions or after a rollback (a gap is fine, a reuse is not). SQLite, used
only for the demo, gets the same guarantee from an AUTOINCREMENT table.
"""

import datetime

from django.conf import settings
from django.db import connection

from sla.business_time import business_date

SEQUENCE_NAME = "tickets_ticket_number_seq"


def next_sequence_value() -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s)", [SEQUENCE_NAME])
            return int(cursor.fetchone()[0])
        cursor.execute(f"INSERT INTO {SEQUENCE_NAME} DEFAULT VALUES")
        return int(cursor.lastrowid)


def format_number(seq: int, *, registered_at: datetime.datetime) -> str:
    year = business_date(registered_at).year
    return settings.TICKET_NUMBER_FORMAT.format(
        prefix=settings.TICKET_NUMBER_PREFIX, year=year, seq=seq
    )


def allocate_number(*, registered_at: datetime.datetime) -> str:
    return format_number(next_sequence_value(), registered_at=registered_at)


def create_sequence(schema_editor: object) -> None:
    """Used by the migration: a real sequence on PostgreSQL, an AUTOINCREMENT table elsewhere."""
    conn = schema_editor.connection  # type: ignore[attr-defined]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE_NAME}")
        else:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {SEQUENCE_NAME} (id INTEGER PRIMARY KEY AUTOINCREMENT)"
            )


def drop_sequence(schema_editor: object) -> None:
    conn = schema_editor.connection  # type: ignore[attr-defined]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE_NAME}")
        else:
            cursor.execute(f"DROP TABLE IF EXISTS {SEQUENCE_NAME}")
