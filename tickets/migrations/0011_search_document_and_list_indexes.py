"""A stored search document per ticket, and the indexes the ticket lists are read by.

Search. The GIN indexes of 0005/0006 were built on the expression
to_tsvector('russian', subject || description) || to_tsvector('english', …). PostgreSQL has
to recompute that expression for every row it checks outside the index: the recheck of a
lossy bitmap, a walk of the list order that filters by the match, a capped count. At about
250 µs a row that made a common word slow to count and impossible to walk (0006). The words
now live in a column, `search_document`, which a row check reads in microseconds, and the GIN
indexes are built on that column.

The column is kept by a trigger rather than declared as a generated column because the SQLite
demo runs the same migrations and has no to_tsvector(): the column is a plain nullable field
for Django (always empty on SQLite), and PostgreSQL fills it on every INSERT and on every
UPDATE that sets the subject, the description or the column itself (so a write of NULL, as the
backfill below does, recomputes it).

Lists. Every ticket list shows the latest activity first (`-updated_at, -id`): engineers all
tickets, customers their organization's, each optionally by state. Without an index that was a
full scan and sort of every ticket (194–294 ms at 100,000). These four B-trees let PostgreSQL
walk the order and stop after a page.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

OPEN_STATES = ("registered", "in_progress", "awaiting_customer", "resolved", "disputed")

SEARCH_INDEX = django.contrib.postgres.indexes.GinIndex(
    fields=["search_document"], name="ticket_search"
)
OPEN_SEARCH_INDEX = django.contrib.postgres.indexes.GinIndex(
    fields=["search_document"],
    name="ticket_open_search",
    condition=models.Q(state__in=OPEN_STATES),
)
LIST_INDEXES = [
    models.Index(fields=["-updated_at", "-id"], name="ticket_recent"),
    models.Index(fields=["state", "-updated_at", "-id"], name="ticket_state_recent"),
    models.Index(fields=["organization", "-updated_at", "-id"], name="ticket_org_updated"),
    models.Index(
        fields=["organization", "state", "-updated_at", "-id"], name="ticket_org_state_updated"
    ),
]

TRIGGER = """
CREATE FUNCTION tickets_ticket_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        to_tsvector('russian'::regconfig,
                    coalesce(NEW.subject, '') || ' ' || coalesce(NEW.description, ''))
        || to_tsvector('english'::regconfig,
                       coalesce(NEW.subject, '') || ' ' || coalesce(NEW.description, ''));
    RETURN NEW;
END
$$;
CREATE TRIGGER ticket_search_document
    BEFORE INSERT OR UPDATE OF subject, description, search_document ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_ticket_search_document();
"""
DROP_TRIGGER = """
DROP TRIGGER IF EXISTS ticket_search_document ON tickets_ticket;
DROP FUNCTION IF EXISTS tickets_ticket_search_document();
"""


def stored_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    ticket = apps.get_model("tickets", "Ticket")
    schema_editor.execute("DROP INDEX IF EXISTS ticket_open_search")
    schema_editor.execute("DROP INDEX IF EXISTS ticket_search")
    schema_editor.execute(TRIGGER)
    schema_editor.execute("UPDATE tickets_ticket SET search_document = NULL")  # the trigger fills it
    schema_editor.add_index(ticket, SEARCH_INDEX)
    schema_editor.add_index(ticket, OPEN_SEARCH_INDEX)


def expression_search(apps, schema_editor):
    """Back to 0010: the expression indexes (0005, 0006) without the trigger."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS ticket_open_search")
    schema_editor.execute("DROP INDEX IF EXISTS ticket_search")
    schema_editor.execute(DROP_TRIGGER)
    vector = (
        "(to_tsvector('russian'::regconfig, COALESCE(subject, '') || ' ' || COALESCE(description, ''))"
        " || to_tsvector('english'::regconfig, COALESCE(subject, '') || ' ' || COALESCE(description, '')))"
    )
    schema_editor.execute(f"CREATE INDEX ticket_search ON tickets_ticket USING gin ({vector})")
    states = ", ".join(f"'{state}'" for state in OPEN_STATES)
    schema_editor.execute(
        f"CREATE INDEX ticket_open_search ON tickets_ticket USING gin ({vector})"
        f" WHERE state IN ({states})"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0010_info_request_needs"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="ticket", name="ticket_search"),
                migrations.RemoveIndex(model_name="ticket", name="ticket_open_search"),
                migrations.AddIndex(model_name="ticket", index=SEARCH_INDEX),
                migrations.AddIndex(model_name="ticket", index=OPEN_SEARCH_INDEX),
            ],
            database_operations=[migrations.RunPython(stored_search, expression_search)],
        ),
        *(migrations.AddIndex(model_name="ticket", index=index) for index in LIST_INDEXES),
    ]
