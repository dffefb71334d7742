"""Reference data kept in each process until it changes anywhere.

The same few rows are read by nearly every engineer's page: the active engineers (the assign
selects, the names in a ticket's history), in `sla` the tiers, priorities and SLA targets, in
`knowledge` the product areas, in `duty` the assignment settings and roster, and by every ticket
event the webhook subscriptions. They change a few times a year, in admin. Each process keeps
what it read (`Kept`) with the shared version it was read under; a save or delete of such a row
anywhere stores a new version in the cache (Redis), and every process reads afresh on its next
use. The check is one cache read per request instead of a query per list.

The version is stored at once (the same process and tests see the change) and once more when
the transaction commits: a process that read the old rows between the two, while the change was
not yet visible, is sent back to the database. A lost cache (a restart of Redis) is a new version.
Bulk updates (QuerySet.update) send no signals: code that changes reference data that way calls
`changed()` itself.
"""

import contextlib
import threading
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

VERSION_KEY = "reference:version"

T = TypeVar("T")


# The version as read once in the current request (one_version_per_request): a ticket page
# asks for several kinds of kept data, and each check was a round trip to Redis.
_request_version: ContextVar[list[str] | None] = ContextVar("reference_version", default=None)


def current_version() -> str:
    memo = _request_version.get()
    if memo:
        return memo[0]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    if memo is not None:
        memo.append(version)
    return version


@contextlib.contextmanager
def one_version_per_request() -> Iterator[None]:
    """Within the block (a request: ReferenceVersionMiddleware) the shared version is read
    once: a change elsewhere during a request is seen by the next one; a change made in the
    block itself (changed()) is seen at once."""
    token = _request_version.set([])
    try:
        yield
    finally:
        _request_version.reset(token)


def _store_new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    memo = _request_version.get()
    if memo:
        memo.clear()


def changed(**kwargs: Any) -> None:
    """A signal receiver: reference data changed; every process reads it again."""
    _store_new_version()
    transaction.on_commit(_store_new_version)


def _is_kept(person: Any) -> bool:
    """Whether a person is part of the kept data: engineers (the kept list of them), and
    engineers and admins as the owners of the kept webhook subscriptions."""
    return person.role == person.Role.ENGINEER or person.is_staff


def _was_engineer(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """pre_save: whether a person saved as neither engineer nor admin now was one until this
    save.

    A save of named fields without the role or staff flag (a sign-in's last_login) asks
    nothing."""
    saved = update_fields is None or bool({"role", "is_staff"} & set(update_fields))
    instance._reference_was_engineer = bool(
        saved
        and instance.pk
        and not _is_kept(instance)
        and sender.objects.filter(pk=instance.pk)
        .filter(Q(role=instance.Role.ENGINEER) | Q(is_staff=True))
        .exists()
    )


def _person_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_save / post_delete of a user: only engineers and admins are kept (customers
    change often)."""
    if _is_kept(instance) or getattr(instance, "_reference_was_engineer", False):
        changed()


def connect_people(user_model: Any) -> None:
    from django.db.models import signals

    signals.pre_save.connect(_was_engineer, sender=user_model, dispatch_uid="reference-was")
    for signal in (signals.post_save, signals.post_delete):
        signal.connect(_person_changed, sender=user_model, dispatch_uid=f"reference-{signal}")


class Kept(Generic[T]):
    """`load()`'s value, read again only when the shared version has changed."""

    def __init__(self, load: Callable[[], T]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._version: str | None = None
        self._value: T | None = None

    def get(self) -> T:
        version = current_version()  # before reading: a change during the read is not missed
        with self._lock:
            if version != self._version or self._value is None:
                self._value, self._version = self._load(), version
            return self._value


def _engineers() -> list[tuple[int, str]]:
    from accounts.models import User

    people = User.objects.engineers().values_list("pk", "first_name", "last_name", "email")
    # As User.__str__: the full name, or the e-mail.
    return [(pk, f"{first} {last}".strip() or email) for pk, first, last, email in people]


engineers = Kept(_engineers)
"""The active support engineers as (id, name), by name."""
