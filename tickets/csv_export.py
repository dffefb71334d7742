"""Streamed CSV exports of ticket lists (the customers' and engineers' lists, the queue).

A list of 100,000 tickets is read through a server-side cursor (`QuerySet.iterator` with
CHUNK_ROWS rows a fetch) and written out while it is read, so memory stays flat whatever the
number of rows (bench/bench_csv.py). Rows are plain tuples (`values_list`) and every label is
looked up in dicts built before the first row: no query per row.

The generator runs after the view has returned, when the request's language and time zone may
already be put back by the middleware; so everything that depends on them (the headers, the
labels, the viewer's zone) is computed in the view and handed in.
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from django.http import StreamingHttpResponse
from django.utils.text import slugify

CHUNK_ROWS = 2000  # rows per fetch of the server-side cursor
LINES_PER_WRITE = 500  # rows joined into one piece of the response
BOM = "\ufeff"  # so that Excel reads the file as UTF-8 (Russian text)

Row = Sequence[Any]


class _Line:
    """A file-like object whose write returns the line: csv.writer formats, we yield."""

    def write(self, value: str) -> str:
        return value


def local_time(zone: datetime.tzinfo) -> Callable[[datetime.datetime | None], str]:
    """A formatter of instants as "YYYY-MM-DD HH:MM" in `zone` (the viewer's), "" for none."""

    def formatted(value: datetime.datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    return formatted


def person(first: str | None, last: str | None, email: str | None) -> str:
    """As User.__str__: the full name, else the e-mail address ("" for nobody)."""
    return f"{first or ''} {last or ''}".strip() or email or ""


def csv_lines(header: Sequence[str], rows: Iterable[Row]) -> Iterator[str]:
    """The BOM and header, then the rows, LINES_PER_WRITE at a time, as CSV text."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(header)
    lines: list[str] = []
    for row in rows:
        lines.append(writer.writerow(row))
        if len(lines) >= LINES_PER_WRITE:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def file_name(*parts: str, day: datetime.date) -> str:
    """`tickets-mine-2026-12-06.csv`: the list's name and the day, safe for a file system."""
    words = [slugify(part, allow_unicode=True) for part in parts if part]
    return "-".join([*(word for word in words if word), day.isoformat()]) + ".csv"


def csv_response(header: Sequence[str], rows: Iterable[Row], name: str) -> StreamingHttpResponse:
    """A streamed CSV download of `rows` under `header`, named `name`."""
    response = StreamingHttpResponse(
        (text.encode("utf-8") for text in csv_lines(header, rows)),
        content_type="text/csv; charset=utf-8",
    )
    ascii_name = name.encode("ascii", "ignore").decode().strip("-") or "export.csv"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response
