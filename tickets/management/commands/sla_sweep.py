"""Run the periodic jobs once, by hand, and print what they did (the beat runs the same)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tickets import jobs


class Command(BaseCommand):
    help = "Run auto-close, unconfirmed-resolution flags, SLA watch and e-mail retries once."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="ISO 8601 instant with an offset (default: now)")

    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(str(options["now"]))
            except ValueError as exc:
                raise CommandError(f"--now is not ISO 8601: {exc}") from exc
            if now.tzinfo is None:
                raise CommandError("--now needs a UTC offset, e.g. 2026-03-06T17:30:00+03:00")
        report = jobs.sweep(now=now)
        self.stdout.write(f"Sweep at {now.isoformat()}:")
        for name, count in report.items():
            self.stdout.write(f"  {name.replace('_', ' '):<22} {count}")
