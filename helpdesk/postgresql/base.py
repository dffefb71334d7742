"""The portal's PostgreSQL backend: Django's (with django-prometheus's metrics), whose
connections prepare the statements they run often, except full-text searches.

psycopg 3 prepares a statement once a connection has run it DATABASE_PREPARE_THRESHOLD times
(settings.py), and PostgreSQL then plans it once: most of a page's SQL time was planning. After
five runs of a prepared statement PostgreSQL may keep one generic plan for every parameter.
That suits a probe by key or an ordered walk, whatever the key; it does not suit a full-text
search, whose best plan depends on how common its words are. A generic plan made for rare
words walked an organization's 50,000 tickets for a word in a third of them (110-350 ms where
a custom plan took 20), so a statement with a full-text match (`@@`) is never prepared.
"""

from typing import Any

from django_prometheus.db.backends.postgresql import base as instrumented

FULL_TEXT_MATCH = "@@"


def _searches_unprepared(cursor_class: type) -> type:
    class Cursor(cursor_class):  # type: ignore[misc, valid-type]
        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            if isinstance(query, str) and FULL_TEXT_MATCH in query:
                kwargs.setdefault("prepare", False)
            return super().execute(query, params, **kwargs)

    return Cursor


class DatabaseWrapper(instrumented.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        params["cursor_factory"] = _searches_unprepared(params["cursor_factory"])
        return params
