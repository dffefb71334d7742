"""Sessions are read from the cache and kept in the database too (SESSION_ENGINE cached_db)."""

import redis
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.security import user_sessions_end
from tests.accounts.support import sign_in_fully

PAGE = reverse("tickets:list")


def session_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_a_page_reads_the_session_from_the_cache(client, customer):
    client.force_login(customer)
    client.get(PAGE)
    assert session_queries(client) == []


def test_a_lost_cache_signs_nobody_out(client, customer):
    client.force_login(customer)
    cache = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    cache.delete(*cache.scan_iter(f"{prefix}:*"))  # as after a restart of Redis
    assert session_queries(client)  # read from the database this once
    assert session_queries(client) == []  # and from the cache again


def test_ending_the_sessions_ends_both_copies(client, customer):
    sign_in_fully(client, customer)  # a real sign-in: allauth records the session
    assert client.get(PAGE).status_code == 200
    user_sessions_end(user=customer)
    assert client.get(PAGE).status_code == 302
