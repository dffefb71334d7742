"""The license import: one engine for Django admin (with its preview) and `import_licenses`.

A file (CSV or XLSX, read into a tablib Dataset) has a header row and one license per row:

    organization, key, product, tier, support_starts_on, support_ends_on[, hotline_phone]

Rules (docs/architecture.md, "License base"):
- Rows are matched by the normalized license key (accounts.models.normalize_license_key), so
  importing a file again changes nothing (every row "unchanged"). A row for a known key
  updates its product, tier, support period and hotline number; an organization is matched by
  its name (case ignored) and created when there is none.
- Every row is checked in full before anything is written. A refused row writes nothing (not
  even its organization); the accepted rows are then written together in one transaction, so
  a failure while writing leaves the base as it was. The report lists each row: created,
  updated, unchanged or refused, with the reasons.
- Refused: a missing column (the whole file), an empty required cell, a date that is not one,
  support ending before it starts, an unknown tier, a hotline number on a non-Extended tier, a
  key that appears more than once in the file (every occurrence), a key that belongs to
  another organization.
- Set-based: the existing licenses and organizations are read in a few queries and the rows
  written in batches (100,000 licenses in well under a minute, bench/bench_import.py).
"""

import dataclasses
import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import tablib
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.models import License, Organization, User, normalize_license_key
from licensing.history import tier_changes_record
from licensing.models import TierChange
from sla.models import Tier

ORGANIZATION, KEY, PRODUCT, TIER = "organization", "key", "product", "tier"
STARTS, ENDS, HOTLINE = "support_starts_on", "support_ends_on", "hotline_phone"
REQUIRED = (ORGANIZATION, KEY, PRODUCT, TIER, STARTS, ENDS)
COLUMNS = (*REQUIRED, HOTLINE)
LIMITS = {ORGANIZATION: 200, KEY: 100, PRODUCT: 200, HOTLINE: 40}
# The columns an import may change on a known license, and their model fields.
UPDATED_FIELDS = {
    PRODUCT: "product",
    TIER: "tier_id",
    STARTS: "support_starts_on",
    ENDS: "support_ends_on",
    HOTLINE: "hotline_phone",
}
BATCH = 2000
LOOKUP_CHUNK = 5000
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")
FIRST_DATA_ROW = 2  # rows are numbered as in the file: the header is row 1


class Status:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REFUSED = "refused"

    # A context of their own: "created" is also a field's name ("дата создания").
    labels = {
        CREATED: pgettext_lazy("import row", "created"),
        UPDATED: pgettext_lazy("import row", "updated"),
        UNCHANGED: pgettext_lazy("import row", "unchanged"),
        REFUSED: pgettext_lazy("import row", "refused"),
    }


@dataclasses.dataclass
class RowOutcome:
    number: int  # the row in the file (the header is 1)
    values: dict[str, str]  # the row's cells as given, by column
    status: str = Status.UNCHANGED
    # (column or "" for the row as a whole, message)
    errors: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    changes: dict[str, tuple[Any, Any]] = dataclasses.field(default_factory=dict)
    new_organization: bool = False
    # The cleaned values, while the row is accepted.
    clean: dict[str, Any] = dataclasses.field(default_factory=dict)
    # The date cells as read (a spreadsheet gives dates, a CSV text).
    raw_dates: dict[str, object] = dataclasses.field(default_factory=dict)
    license: License | None = None  # the license a known key names

    @property
    def key(self) -> str:
        return self.clean.get(KEY) or normalize_license_key(self.values.get(KEY, ""))

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def refuse(self, message: str, column: str = "") -> None:
        self.errors.append((column, message))
        self.status = Status.REFUSED


@dataclasses.dataclass
class ImportReport:
    rows: list[RowOutcome]
    file_errors: list[str]
    dry_run: bool
    organizations_created: int = 0
    tier_changes: int = 0

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        counts = Counter(row.status for row in self.rows)
        return {status: counts.get(status, 0) for status in Status.labels}

    @property
    def refused_rows(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.refused]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.refused_rows


Progress = Callable[[int], None]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a key typed as a number in a spreadsheet
    return " ".join(str(value).split())


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None


def header_map(headers: Sequence[object] | None) -> dict[str, int]:
    """Column name (stripped, lower case) → its index; unknown columns are ignored."""
    found: dict[str, int] = {}
    for index, header in enumerate(headers or ()):
        name = _text(header).lower().replace(" ", "_")
        if name in COLUMNS and name not in found:
            found[name] = index
    return found


class _Tiers:
    """Tiers by code, English and Russian name, any case."""

    def __init__(self) -> None:
        self.by_name: dict[str, Tier] = {}
        for tier in Tier.objects.all():
            for name in (tier.code, tier.name, tier.name_ru):
                self.by_name.setdefault(name.strip().lower(), tier)
        self.codes = ", ".join(sorted({tier.code for tier in self.by_name.values()}))

    def get(self, text: str) -> Tier | None:
        return self.by_name.get(text.strip().lower())


def _check_cells(row: RowOutcome, tiers: _Tiers) -> None:
    """Refuse what the row says by itself (no other row, nothing in the base)."""
    values = row.values
    for column in REQUIRED:
        if not values.get(column):
            row.refuse(_("This cell is empty; it is required."), column)
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            row.refuse(
                _("Too long: at most %(limit)d characters.") % {"limit": limit},
                column,
            )
    key = normalize_license_key(values.get(KEY, ""))
    tier = tiers.get(values[TIER]) if values.get(TIER) else None
    if values.get(TIER) and tier is None:
        row.refuse(
            _("Unknown support tier “%(tier)s”: use one of %(codes)s.")
            % {"tier": values[TIER], "codes": tiers.codes},
            TIER,
        )
    dates: dict[str, datetime.date | None] = {}
    for column in (STARTS, ENDS):
        dates[column] = _date(row.raw_dates[column]) if values.get(column) else None
        if values.get(column) and dates[column] is None:
            row.refuse(
                _("“%(value)s” is not a date: write it as 2026-12-31 or 31.12.2026.")
                % {"value": values[column]},
                column,
            )
    starts, ends = dates[STARTS], dates[ENDS]
    if starts and ends and ends < starts:
        row.refuse(
            _("Support cannot end (%(ends)s) before it starts (%(starts)s).")
            % {"ends": ends.isoformat(), "starts": starts.isoformat()},
            ENDS,
        )
    if values.get(HOTLINE) and tier is not None and not tier.extended:
        row.refuse(_("A hotline number is given with Extended support only."), HOTLINE)
    if not row.refused:
        row.clean = {
            ORGANIZATION: values[ORGANIZATION],
            KEY: key,
            PRODUCT: values[PRODUCT],
            TIER: tier,
            STARTS: starts,
            ENDS: ends,
            HOTLINE: values.get(HOTLINE, ""),
        }


def read_rows(dataset: tablib.Dataset, progress: Progress | None = None) -> ImportReport:
    """The rows of `dataset` checked by themselves and against each other (no writes)."""
    columns = header_map(dataset.headers)
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        message = _(
            "The file has no column %(missing)s. The first row must name the columns: "
            "%(columns)s (hotline_phone may be left out)."
        ) % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS)}
        return ImportReport(rows=[], file_errors=[message], dry_run=True)
    tiers = _Tiers()
    rows: list[RowOutcome] = []
    for offset, cells in enumerate(dataset):
        if not any(_text(cell) for cell in cells):
            continue  # a blank line in a spreadsheet
        values = {column: _text(cells[index]) for column, index in columns.items()}
        row = RowOutcome(
            number=offset + FIRST_DATA_ROW,
            values=values,
            raw_dates={column: cells[columns[column]] for column in (STARTS, ENDS)},
        )
        _check_cells(row, tiers)
        rows.append(row)
        if progress and len(rows) % 1000 == 0:
            progress(1000)
    if progress:
        progress(len(rows) % 1000)
    _refuse_duplicates(rows)
    return ImportReport(rows=rows, file_errors=[], dry_run=True)


def _refuse_duplicates(rows: Iterable[RowOutcome]) -> None:
    by_key: defaultdict[str, list[RowOutcome]] = defaultdict(list)
    for row in rows:
        if row.key:
            by_key[row.key].append(row)
    for key, same in by_key.items():
        if len(same) < 2:
            continue
        numbers = ", ".join(str(row.number) for row in same)
        for row in same:
            row.refuse(
                _(
                    "The key %(key)s appears more than once in the file (rows %(rows)s): "
                    "each license must be on one row only."
                )
                % {"key": key, "rows": numbers},
                KEY,
            )


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_licenses(keys: Sequence[str]) -> dict[str, License]:
    found: dict[str, License] = {}
    for chunk in _chunks(keys, LOOKUP_CHUNK):
        for license in License.objects.filter(key__in=chunk).select_related("organization"):
            found[license.key] = license
    return found


def _existing_organizations(names: Iterable[str]) -> dict[str, Organization]:
    """Organizations by lower-case name; an exact match wins over one that differs in case."""
    wanted = sorted({name.lower() for name in names})
    found: dict[str, Organization] = {}
    for chunk in _chunks(wanted, LOOKUP_CHUNK):
        for organization in (
            Organization.objects.annotate(lower_name=Lower("name"))
            .filter(lower_name__in=chunk)
            .order_by("pk")
        ):
            found.setdefault(organization.name.lower(), organization)
    return found


def _compare(row: RowOutcome, license: License) -> None:
    clean = row.clean
    new = {
        PRODUCT: clean[PRODUCT],
        TIER: clean[TIER].pk,
        STARTS: clean[STARTS],
        ENDS: clean[ENDS],
        HOTLINE: clean[HOTLINE],
    }
    for column, field in UPDATED_FIELDS.items():
        before = getattr(license, field)
        if before != new[column]:
            row.changes[column] = (before, new[column])
    row.status = Status.UPDATED if row.changes else Status.UNCHANGED


def match_rows(report: ImportReport) -> dict[str, Organization]:
    """Decide each accepted row against the base: created, updated, unchanged, or refused for
    a key of another organization. Returns the organizations found, by lower-case name."""
    accepted = [row for row in report.rows if not row.refused]
    licenses = _existing_licenses([row.key for row in accepted])
    organizations = _existing_organizations(row.clean[ORGANIZATION] for row in accepted)
    for row in accepted:
        organization = organizations.get(row.clean[ORGANIZATION].lower())
        row.new_organization = organization is None
        license = licenses.get(row.key)
        if license is None:
            row.status = Status.CREATED
            continue
        if organization is None or license.organization_id != organization.pk:
            row.refuse(
                _(
                    "The key %(key)s belongs to another organization (%(owner)s); a license "
                    "is not moved by an import."
                )
                % {"key": row.key, "owner": license.organization.name},
                KEY,
            )
            continue
        row.license = license
        _compare(row, license)
    return organizations


def _write(
    report: ImportReport,
    organizations: dict[str, Organization],
    *,
    actor: User | None,
    now: datetime.datetime,
    note: str,
    progress: Progress | None,
) -> None:
    accepted = [row for row in report.rows if not row.refused]
    new_names: dict[str, str] = {}
    for row in accepted:
        name = row.clean[ORGANIZATION]
        if row.new_organization:
            new_names.setdefault(name.lower(), name)
    created = Organization.objects.bulk_create(
        [Organization(name=name) for name in new_names.values()], batch_size=BATCH
    )
    for organization in created:
        organizations[organization.name.lower()] = organization
    report.organizations_created = len(created)

    to_create = [row for row in accepted if row.status == Status.CREATED]
    for chunk in _chunks(to_create, BATCH):
        License.objects.bulk_create(
            [
                License(
                    key=row.clean[KEY],
                    organization=organizations[row.clean[ORGANIZATION].lower()],
                    product=row.clean[PRODUCT],
                    tier=row.clean[TIER],
                    support_starts_on=row.clean[STARTS],
                    support_ends_on=row.clean[ENDS],
                    hotline_phone=row.clean[HOTLINE],
                )
                for row in chunk
            ]
        )
        if progress:
            progress(len(chunk))

    to_update = [row for row in accepted if row.status == Status.UPDATED]
    changed: list[License] = []
    tier_changes: list[tuple[int, str, str]] = []
    for row in to_update:
        license = row.license
        assert license is not None  # noqa: S101 - set by match_rows for every updated row
        if TIER in row.changes:
            tier_changes.append((license.pk, license.tier_id, row.clean[TIER].pk))
        for column, field in UPDATED_FIELDS.items():
            setattr(license, field, row.clean[column].pk if column == TIER else row.clean[column])
        changed.append(license)
    for chunk in _chunks(changed, BATCH):
        License.objects.bulk_update(chunk, list(UPDATED_FIELDS.values()))
        if progress:
            progress(len(chunk))
    report.tier_changes = tier_changes_record(
        tier_changes, actor=actor, source=TierChange.Source.IMPORT, now=now, note=note
    )


def _lock_imports() -> None:
    """One import writes at a time (two would both create the same organization)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('licensing.import'))")


def import_licenses(
    dataset: tablib.Dataset,
    *,
    dry_run: bool,
    actor: User | None = None,
    now: datetime.datetime | None = None,
    note: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import the licenses of `dataset` (see the module's docstring); with `dry_run` only
    report what would happen. `progress(n)` is told of every n rows read and written."""
    now = now or timezone.now()
    with transaction.atomic():
        if not dry_run:
            _lock_imports()
        report = read_rows(dataset, progress)
        report.dry_run = dry_run
        if report.file_errors:
            return report
        organizations = match_rows(report)
        if not dry_run:
            _write(report, organizations, actor=actor, now=now, note=note, progress=progress)
    return report
