"""Reads whose SQL is compiled once per process: the ORM's compile step, paid once, not per
request (issue 14).

Django turns a queryset into SQL afresh each time it is evaluated. For the ticket page's reads
that step cost more than PostgreSQL answering them: ~1.3 ms for the ticket's own statement
(five tables' columns, seven EXISTS probes), ~3 ms for the page's six statements, while the
prepared statements answered in ~0.3 ms each. A `CompiledRead` builds its queryset once, with
a marker in place of each value that changes between requests (a `Slot`), compiles it, and
keeps the SQL, the positions of the markers among its parameters and the compiler (which
describes the columns). Each use binds the new values and lets Django's own iterable turn the
rows into model instances (select_related, annotations, converters) as for the plain queryset.

What may change between requests must be a slot; anything else is fixed at the first use. So a
read keeps one `CompiledRead` per shape of its statement (a customer's filter by organization
is another shape than an engineer's read). A builder that changes a marker on its way into the
SQL (`icontains` wraps it in %…%, `number__in={n, n.upper()}` copies it changed) is refused at
the first compile.

This reaches into three things of Django's ORM that are not public API (Query.get_compiler,
SQLCompiler.as_sql, the compiler's connection). Django is pinned to 5.2, and
tests/test_compiled_reads.py compares the reads with their plain querysets.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

# Markers no real value equals: text no one types (a NUL byte), ids no row has (negative, yet
# within a 32-bit key's range: Django compiles an out-of-range comparison to "no rows"), days
# of the first century.
_NUMBERS_FROM = -2_100_000_000
_KINDS: dict[str, tuple[type, Callable[[int], Any]]] = {
    "text": (str, lambda n: f"\x00slot {n}"),
    "number": (int, lambda n: _NUMBERS_FROM - n),
    "day": (datetime.date, lambda n: datetime.date(1, 1, 1) + datetime.timedelta(days=n)),
}
_marks = itertools.count()


class Slot:
    """A value bound at each use: "text" (str), "number" (int: an id) or "day" (a date)."""

    def __init__(self, kind: str) -> None:
        if kind not in _KINDS:
            raise ValueError(f"a slot is one of {sorted(_KINDS)}, not {kind!r}")
        self.kind = kind
        self.type = _KINDS[kind][0]

    def mark(self) -> Any:
        return _KINDS[self.kind][1](next(_marks))


def _is_mark(value: Any) -> bool:
    """Whether `value` is a marker or was made from one (then a slot was changed)."""
    if isinstance(value, str):
        return "\x00slot " in value
    if isinstance(value, datetime.date):
        return value.year == 1
    return type(value) is int and _NUMBERS_FROM - 100_000_000 < value <= _NUMBERS_FROM


class _Kept:
    """One compiled statement: its SQL, its parameters, where the slots go, its compiler."""

    def __init__(self, queryset: QuerySet[Any], marks: dict[str, Any]) -> None:
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = self.compiler.as_sql()
        self.params = tuple(params)
        self.positions: dict[str, list[int]] = {}
        for name, mark in marks.items():
            found = [
                i
                for i, value in enumerate(self.params)
                if type(value) is type(mark) and value == mark
            ]
            if not found:
                raise ValueError(
                    f"slot {name!r} is not among the statement's parameters as it was given: "
                    "compare it as it is (no icontains, no upper())"
                )
            self.positions[name] = found
        if sum(map(_is_mark, self.params)) != sum(map(len, self.positions.values())):
            raise ValueError("a slot's value went into a parameter changed")

    def rows(self, values: dict[str, Any]) -> list[Any]:
        params = list(self.params)
        for name, positions in self.positions.items():
            for position in positions:
                params[position] = values[name]
        compiler = copy.copy(self.compiler)  # its column descriptions are only read
        compiler.connection = connections[self.queryset.db]  # this thread's connection
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)  # type: ignore[method-assign]
        queryset = self.queryset._chain()  # a clone: the kept queryset is never evaluated
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        return list(queryset)


class CompiledRead(Generic[M]):
    """`build(**slots)` compiled at its first use; `rows(**values)` its rows for the values.

    `build` receives a marker for each slot named in `slots` and returns the queryset with the
    markers where the values go. It is called once per process, so it must not read anything
    that changes between requests."""

    def __init__(self, build: Callable[..., QuerySet[M]], **slots: Slot) -> None:
        self.build = build
        self.slots = slots
        self.kept: _Kept | None = None
        self.lock = threading.Lock()

    def rows(self, **values: Any) -> list[M]:
        if values.keys() != self.slots.keys():
            raise TypeError(f"values for {sorted(self.slots)} expected, got {sorted(values)}")
        for name, value in values.items():
            expected = self.slots[name].type
            if type(value) is not expected:  # exactly: a bool is no id, a datetime no day
                raise TypeError(f"slot {name!r} takes {expected.__name__}, not {value!r}")
        return self._kept().rows(values)

    def _kept(self) -> _Kept:
        if self.kept is None:
            with self.lock:
                if self.kept is None:
                    marks = {name: slot.mark() for name, slot in self.slots.items()}
                    self.kept = _Kept(self.build(**marks), marks)
        return self.kept
