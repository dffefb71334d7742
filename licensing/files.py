"""Reading an import file (CSV or XLSX) into a tablib Dataset, as Django admin's import does
(django-import-export's formats), so the command and admin give the engine the same rows."""

import pathlib

import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX


class ImportFileError(Exception):
    """The file cannot be read as a table; the message says why."""


def read_dataset(path: pathlib.Path) -> tablib.Dataset:
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ImportFileError(
            _("%(name)s: only .csv and .xlsx files can be imported.") % {"name": path.name}
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            _("%(name)s cannot be read: %(error)s")
            % {"name": path.name, "error": exc.strerror or exc}
        ) from exc
    try:
        if suffix == ".xlsx":
            return XLSX().create_dataset(raw)
        # utf-8-sig: a spreadsheet's "CSV UTF-8" starts with a byte-order mark.
        return CSV().create_dataset(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("%(name)s is not UTF-8 text: save the CSV as UTF-8.") % {"name": path.name}
        ) from exc
    except Exception as exc:  # openpyxl and tablib raise many kinds for a broken file
        raise ImportFileError(
            _("%(name)s cannot be read as a table: %(error)s") % {"name": path.name, "error": exc}
        ) from exc
