"""Django admin's license import (django-import-export) on the one engine, licensing.importer.

The admin's upload form, preview and confirmation are django-import-export's; the resource
below hands the rows to `import_licenses` (a dry run for the preview, the real run on
confirmation) and turns its report into import-export's Result: accepted rows with their
changes for the preview, refused rows with their reasons per column. A file with a refused
row cannot be confirmed: the preview lists what to correct.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.results import Result, RowResult

from licensing import importer
from licensing.importer import ImportReport, RowOutcome, Status

IMPORT_TYPE = {
    Status.CREATED: RowResult.IMPORT_TYPE_NEW,
    Status.UPDATED: RowResult.IMPORT_TYPE_UPDATE,
    Status.UNCHANGED: RowResult.IMPORT_TYPE_SKIP,
}


def _cell(row: RowOutcome, column: str) -> str:
    if column in row.changes:
        before, after = row.changes[column]
        return f"{before or '—'} → {after or '—'}"
    if column == importer.KEY:
        return row.key
    return row.values.get(column, "")


def as_result(report: ImportReport) -> Result:
    result = Result()
    result.diff_headers = list(importer.COLUMNS)
    result.total_rows = len(report.rows)
    if report.file_errors:
        # The header row is row 1: the preview shows the message as that row's error.
        result.append_invalid_row(1, {}, ValidationError(report.file_errors))
        return result
    for row in report.rows:
        if row.refused:
            errors: dict[str, list[str]] = {}
            for column, message in row.errors:
                errors.setdefault(column or NON_FIELD_ERRORS, []).append(message)
            result.append_invalid_row(row.number, row.values, ValidationError(errors))
            continue
        row_result = RowResult()
        row_result.import_type = IMPORT_TYPE[row.status]
        row_result.diff = [_cell(row, column) for column in importer.COLUMNS]
        row_result.row_values = row.values
        row_result.object_repr = row.key
        if row.license is not None:
            row_result.object_id = row.license.pk
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)
    return result


class LicenseImportResource(resources.Resource):
    """The columns of a license file (see licensing.importer), for the admin's import page."""

    organization = fields.Field(attribute="organization", column_name=importer.ORGANIZATION)
    key = fields.Field(attribute="key", column_name=importer.KEY)
    product = fields.Field(attribute="product", column_name=importer.PRODUCT)
    tier = fields.Field(attribute="tier", column_name=importer.TIER)
    support_starts_on = fields.Field(attribute="support_starts_on", column_name=importer.STARTS)
    support_ends_on = fields.Field(attribute="support_ends_on", column_name=importer.ENDS)
    hotline_phone = fields.Field(attribute="hotline_phone", column_name=importer.HOTLINE)

    @classmethod
    def get_display_name(cls) -> str:
        return str(_("Organizations and licenses"))

    def import_data(  # type: ignore[override]
        self, dataset: Any, dry_run: bool = False, **kwargs: Any
    ) -> Result:
        user = kwargs.get("user")
        report = importer.import_licenses(
            dataset,
            dry_run=dry_run,
            actor=user if getattr(user, "pk", None) else None,
            note=str(kwargs.get("file_name") or "")[:255],
        )
        return as_result(report)
