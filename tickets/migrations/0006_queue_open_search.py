"""A full-text index over the open tickets only: the engineers' queue searches nothing else.

Why it is needed beside `ticket_search` (measured on the bench: 1,000,000 tickets, 150,000 of
them open): a common word matches a third of the archive in `ticket_search`; that bitmap does
not fit in work_mem, turns lossy, and PostgreSQL then recomputes both to_tsvector() of every
row on the lossy pages (about 250 µs a row): counting the open tickets that match one common
word took 0.8 s ("сертификат") to 5.4 s ("certificate"). Over the open tickets alone the bitmap
stays exact and such a count takes 0.1 to 0.4 s (0.3 s for a word in every open ticket), and
it grows with the queue, not with years of closed tickets.

The expression is the very one of `ticket_search` (tickets.models.search_vector()), so the same
WHERE clause can use either index. PostgreSQL only, like `ticket_search`; built CONCURRENTLY so
that a production table is not locked while it builds (hence a non-atomic migration).

Ticket.Meta declares it (the state operation below); the database operation creates it on
PostgreSQL only, as for `ticket_search`.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

OPEN_STATES = ("registered", "in_progress", "awaiting_customer", "resolved", "disputed")

OPEN_SEARCH_INDEX = django.contrib.postgres.indexes.GinIndex(
    django.contrib.postgres.search.CombinedSearchVector(
        django.contrib.postgres.search.SearchVector("subject", "description", config="russian"),
        "||",
        django.contrib.postgres.search.SearchVector("subject", "description", config="english"),
        django.contrib.postgres.search.SearchConfig("russian"),
    ),
    name="ticket_open_search",
    condition=models.Q(state__in=OPEN_STATES),
)


def add_open_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(
            apps.get_model("tickets", "Ticket"), OPEN_SEARCH_INDEX, concurrently=True
        )


def remove_open_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(
            apps.get_model("tickets", "Ticket"), OPEN_SEARCH_INDEX, concurrently=True
        )


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("tickets", "0005_queue_and_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="ticket", index=OPEN_SEARCH_INDEX)],
            database_operations=[
                migrations.RunPython(add_open_search_index, remove_open_search_index),
            ],
        ),
    ]
