"""Print a ticket's deadlines for a tier, a priority and a registration instant, and why."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sla.explain import DeadlineExplanation, explain_deadlines
from sla.models import Priority, Tier


class Command(BaseCommand):
    help = "Explain the reaction and resolution deadlines of the current SLA targets."

    def add_arguments(self, parser):
        parser.add_argument("--tier", required=True, help="standard, premium, platinum")
        parser.add_argument("--priority", required=True, help="critical, high, medium, low")
        parser.add_argument("--registered", required=True, help="ISO 8601 with an offset")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        tier, priority = str(options["tier"]), str(options["priority"])
        if not Tier.objects.filter(pk=tier).exists():
            raise CommandError(f"Unknown tier {tier!r}; known: {_codes(Tier)}")
        if not Priority.objects.filter(pk=priority).exists():
            raise CommandError(f"Unknown priority {priority!r}; known: {_codes(Priority)}")
        try:
            registered = datetime.datetime.fromisoformat(str(options["registered"]))
        except ValueError as exc:
            raise CommandError(f"--registered is not ISO 8601: {exc}") from exc
        if registered.tzinfo is None:
            raise CommandError("--registered needs a UTC offset, e.g. 2026-03-06T17:30:00+03:00")

        with translation.override("en"):
            explanation = explain_deadlines(
                tier_id=tier, priority_id=priority, registered=registered
            )
            if explanation is None:
                raise CommandError(f"No SLA target is configured for {tier}/{priority}.")
            if options["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "tier": tier,
                            "priority": priority,
                            "registered": registered.isoformat(),
                            "reaction_due": explanation.reaction.due.isoformat(),
                            "resolution_due": explanation.resolution.due.isoformat(),
                            "provisional": explanation.provisional,
                            "reaction": explanation.reaction.as_json(),
                            "resolution": explanation.resolution.as_json(),
                        },
                        ensure_ascii=False,
                        indent=2,
                    )
                )
                return
            self.stdout.write(
                f"Tier {tier}, priority {priority}, registered {registered.isoformat()}"
            )
            self._write("Reaction", explanation.reaction)
            self._write("Resolution", explanation.resolution)
            if explanation.provisional:
                self.stdout.write(
                    self.style.WARNING(
                        "Provisional: a year on the way has no official production calendar loaded."
                    )
                )

    def _write(self, title: str, item: DeadlineExplanation) -> None:
        self.stdout.write("")
        self.stdout.write(
            f"{title} due: {item.due.isoformat()}  ({item.due:%a %d %b %Y %H:%M} {item.time_zone})"
        )
        self.stdout.write(f"  target: {item.target_text}, calendar “{item.calendar}”")
        self.stdout.write(f"  counted from {item.start:%a %d %b %Y %H:%M} {item.time_zone}")
        if item.always_open:
            self.stdout.write("  every minute counts: no day is skipped")
        elif not item.special_days:
            self.stdout.write("  no weekend, holiday or special day on the way")
        for day in item.special_days:
            reason = f": {day.reason}" if day.reason and day.reason != "pre-holiday" else ""
            self.stdout.write(f"  {day.day:%a %Y-%m-%d}  {day.label}{reason}")


def _codes(model: type) -> str:
    return ", ".join(model.objects.values_list("pk", flat=True))
