"""Print a ticket's deadlines for a tier, a priority and a registration instant, and why.

With `--timeline FILE.json` it folds a list of events through the SLA clock the tickets use
(tickets.clock) and prints the deadlines, the confirmation deadline, the auto-close instant and
the pauses of the resolution clock: "why was my ticket closed".
"""

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sla.explain import DeadlineExplanation, explain_deadlines
from sla.models import Priority, Tier
from tickets.clock import TimelineError, TimelineEvent
from tickets.deadlines import TimelineReport, explain_timeline

TIMELINE_HELP = (
    "A JSON file: a list of events in time order, each "
    '{"event": "...", "at": "ISO 8601 with an offset"} ("priority" too for priority_change); '
    "the first is registered. Events: registered, take, request_info, provide_info, resolve, "
    "dispute, priority_change, customer_activity."
)


class Command(BaseCommand):
    help = "Explain the reaction and resolution deadlines of the current SLA targets."

    def add_arguments(self, parser):
        parser.add_argument("--tier", required=True, help="standard, premium, platinum")
        parser.add_argument("--priority", required=True, help="critical, high, medium, low")
        parser.add_argument("--registered", help="ISO 8601 with an offset")
        parser.add_argument("--timeline", metavar="FILE.json", help=TIMELINE_HELP)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        tier, priority = str(options["tier"]), str(options["priority"])
        if not Tier.objects.filter(pk=tier).exists():
            raise CommandError(f"Unknown tier {tier!r}; known: {_codes(Tier)}")
        if not Priority.objects.filter(pk=priority).exists():
            raise CommandError(f"Unknown priority {priority!r}; known: {_codes(Priority)}")
        if options["timeline"]:
            if options["registered"]:
                raise CommandError(
                    "--timeline starts with its own registered event: drop --registered"
                )
            self._timeline(tier, priority, str(options["timeline"]), as_json=bool(options["json"]))
            return
        if not options["registered"]:
            raise CommandError("Give --registered (or --timeline FILE.json).")
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

    def _timeline(self, tier: str, priority: str, path: str, *, as_json: bool) -> None:
        events = read_timeline(path)
        with translation.override("en"):
            try:
                report = explain_timeline(tier_id=tier, priority_id=priority, events=events)
            except TimelineError as exc:
                raise CommandError(f"{path}: {exc}") from exc
            if as_json:
                self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
                return
            self._write_report(report, registered_priority=priority)

    def _write_report(self, report: TimelineReport, *, registered_priority: str) -> None:
        clock, zone = report.clock, report.zone

        def when(moment: datetime.datetime | None) -> str:
            if moment is None:
                return "—"
            local = moment.astimezone(zone)
            return f"{local.isoformat()}  ({local:%a %d %b %Y %H:%M} {zone})"

        def verdict(value: bool | None) -> str:
            return {True: "  met", False: "  MISSED", None: ""}[value]

        changed = (
            f" (registered as {registered_priority})"
            if report.priority != registered_priority
            else ""
        )
        self.stdout.write(
            f"Tier {report.tier}, priority {report.priority}{changed}; times in {zone}"
        )
        self.stdout.write(f"State after the last event: {clock.state}")
        self.stdout.write(f"Registered:            {when(clock.registered_at)}")
        self.stdout.write(
            f"Reaction due:          {when(clock.reaction_due)}{verdict(clock.reaction_met)}"
        )
        self.stdout.write(
            f"Resolution due:        {when(clock.resolution_due)}{verdict(clock.resolution_met)}"
        )
        self.stdout.write(f"Confirm or dispute by: {when(clock.confirmation_due)}")
        self.stdout.write(f"Closes for silence at: {when(clock.auto_close_at)}")
        self.stdout.write("Resolution clock paused:")
        if not report.result.pauses:
            self.stdout.write("  never")
        for pause in report.result.pauses:
            end = when(pause.end) if pause.end else "still paused"
            self.stdout.write(f"  from {when(pause.start)}")
            self.stdout.write(f"    to {end}")
        if report.result.provisional:
            self.stdout.write(
                self.style.WARNING(
                    "Provisional: a year on the way has no official production calendar loaded."
                )
            )


def read_timeline(path: str) -> list[TimelineEvent]:
    """The events of a timeline file; CommandError naming the file and the event if malformed."""
    try:
        raw: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise CommandError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(raw, list):
        raise CommandError(f"{path}: expected a list of events, got {type(raw).__name__}")
    events = []
    for number, item in enumerate(raw, start=1):
        where = f"{path}: event {number}"
        if not isinstance(item, dict) or not isinstance(item.get("event"), str):
            raise CommandError(f'{where}: expected an object with "event" and "at"')
        try:
            at = datetime.datetime.fromisoformat(str(item.get("at", "")))
        except ValueError as exc:
            raise CommandError(f'{where} ({item["event"]}): "at" is not ISO 8601: {exc}') from exc
        if at.tzinfo is None:
            raise CommandError(
                f'{where} ({item["event"]}): "at" needs a UTC offset, '
                "e.g. 2026-11-27T10:00:00+03:00"
            )
        events.append(
            TimelineEvent(kind=item["event"], at=at, priority=str(item.get("priority") or ""))
        )
    return events


def _codes(model: type) -> str:
    return ", ".join(model.objects.values_list("pk", flat=True))
