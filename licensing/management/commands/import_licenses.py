"""`manage.py import_licenses FILE [--dry-run]`: the license import from the command line.

The same engine as Django admin's import (licensing.importer); prints one line per created,
updated and refused row (with the reasons) and the totals. Exit status 0 when every row was
accepted, 2 when some were refused (the others are imported), 1 when the file was refused.
"""

import pathlib
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from tqdm import tqdm

from licensing.files import ImportFileError, read_dataset
from licensing.importer import ImportReport, RowOutcome, Status, import_licenses


class Command(BaseCommand):
    help = "Import organizations and licenses from a CSV or XLSX file (idempotent by key)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=pathlib.Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change, writing nothing.",
        )
        parser.add_argument("--language", default="en", help="The report's language (en or ru).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: pathlib.Path = options["file"]
        with translation.override(options["language"]):
            try:
                dataset = read_dataset(path)
            except ImportFileError as exc:
                raise CommandError(str(exc)) from exc
            # The bar counts rows read, then rows written (twice the rows at most).
            with tqdm(
                total=len(dataset) * (1 if options["dry_run"] else 2),
                unit="row",
                desc=path.name,
                file=self.stderr._out,
                disable=None,  # off when stderr is not a terminal
            ) as bar:
                report = import_licenses(
                    dataset, dry_run=options["dry_run"], note=path.name, progress=bar.update
                )
            self._print(report, options["verbosity"])
        if report.file_errors:
            raise CommandError(" ".join(report.file_errors))
        if report.refused_rows:
            raise CommandError(
                f"{len(report.refused_rows)} row(s) refused; the other rows were "
                + ("checked." if report.dry_run else "imported."),
                returncode=2,
            )

    def _row_line(self, row: RowOutcome) -> str:
        line = f"row {row.number}: {Status.labels[row.status]} {row.key}".rstrip()
        if row.errors:
            reasons = "; ".join(
                f"{column}: {message}" if column else message for column, message in row.errors
            )
            return f"{line} — {reasons}"
        if row.changes:
            changes = ", ".join(
                f"{column} {before} → {after}" for column, (before, after) in row.changes.items()
            )
            return f"{line} ({changes})"
        return line

    def _print(self, report: ImportReport, verbosity: int) -> None:
        for message in report.file_errors:
            self.stderr.write(message)
        shown = {Status.CREATED, Status.UPDATED, Status.REFUSED}
        if verbosity >= 2:
            shown.add(Status.UNCHANGED)
        if verbosity >= 1:
            for row in report.rows:
                if row.status in shown:
                    style = self.style.ERROR if row.refused else self.style.SUCCESS
                    self.stdout.write(style(self._row_line(row)))
        counts = report.counts
        summary = ", ".join(f"{Status.labels[key]}: {value}" for key, value in counts.items())
        self.stdout.write(f"Rows: {len(report.rows)} — {summary}.")
        if not report.dry_run:
            self.stdout.write(
                f"Organizations created: {report.organizations_created}; "
                f"tier changes recorded: {report.tier_changes}."
            )
        else:
            self.stdout.write("Dry run: nothing was written.")
