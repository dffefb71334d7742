"""Print a year of a business calendar the way the official production calendar shows it."""

import calendar as stdlib_calendar
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from sla import selectors
from sla.calendar import BusinessCalendar
from sla.models import Calendar
from sla.production_calendar import official_years

WORKING_KINDS = {"working", "shortened", "working_weekend", "exception_hours"}


def month_rows(calendar: BusinessCalendar, year: int) -> list[dict]:
    """Per month: working days, shortened days, 40-hour-week norm hours, support hours."""
    rows = []
    for month in range(1, 13):
        working = shortened = 0
        support = datetime.timedelta()
        for day_number in range(1, stdlib_calendar.monthrange(year, month)[1] + 1):
            day = datetime.date(year, month, day_number)
            hours = calendar.working_hours(day)
            if hours is None:
                continue
            working += 1
            if day in calendar.spec.shortened_days and day not in calendar.spec.overrides:
                shortened += 1
            support += hours[1] - hours[0]
        rows.append(
            {
                "month": month,
                "working_days": working,
                "shortened_days": shortened,
                # The official figure: 8 h a working day, one hour less on a shortened day.
                "norm_hours_40": 8 * working - shortened,
                "support_hours": round(support.total_seconds() / 3600, 2),
            }
        )
    return rows


def special_days(calendar: BusinessCalendar, year: int) -> dict[str, list[tuple]]:
    groups: dict[str, list[tuple]] = {
        "holidays": [],
        "transferred_days_off": [],
        "working_weekend_days": [],
        "shortened_days": [],
        "exceptions": [],
    }
    day = datetime.date(year, 1, 1)
    while day.year == year:
        kind, reason = calendar.day_status(day)
        if kind == "holiday":
            # The package names transferred and moved days "Выходной …" / "… (выходной)".
            group = "transferred_days_off" if "выходной" in reason.lower() else "holidays"
            groups[group].append((day, reason))
        elif kind == "working_weekend":
            groups["working_weekend_days"].append((day, reason))
            if day in calendar.spec.shortened_days:
                groups["shortened_days"].append((day, reason))
        elif kind == "shortened":
            groups["shortened_days"].append((day, reason))
        elif kind.startswith("exception"):
            groups["exceptions"].append((day, f"{kind}: {reason}"))
        day += datetime.timedelta(days=1)
    return groups


class Command(BaseCommand):
    help = "Months of a year in a business calendar: working days, norm and support hours."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--calendar", help="calendar name (default: the default calendar)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        year = int(options["year"])
        if options["calendar"]:
            row = Calendar.objects.filter(name=options["calendar"]).first()
            if row is None:
                names = ", ".join(Calendar.objects.values_list("name", flat=True))
                raise CommandError(f"No calendar {options['calendar']!r}; known: {names}")
        else:
            row = selectors.default_calendar()
        calendar = selectors.business_calendar(row)
        rows = month_rows(calendar, year)
        official = year in official_years()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "year": year,
                        "calendar": row.name if row else "fallback",
                        "official_data": official,
                        "months": rows,
                        "totals": _totals(rows),
                    },
                    indent=2,
                )
            )
            return

        name = row.name if row else "fallback (Moscow production calendar)"
        self.stdout.write(
            f"{name}, {year}"
            + ("" if official else "  — NO official production calendar loaded for this year")
        )
        self.stdout.write(
            f"{'month':<10}{'working':>8}{'short':>7}{'norm 40h':>10}{'support h':>11}"
        )
        for item in rows:
            self.stdout.write(
                f"{stdlib_calendar.month_name[item['month']]:<10}{item['working_days']:>8}"
                f"{item['shortened_days']:>7}{item['norm_hours_40']:>10}"
                f"{item['support_hours']:>11g}"
            )
        totals = _totals(rows)
        self.stdout.write(
            f"{'total':<10}{totals['working_days']:>8}{totals['shortened_days']:>7}"
            f"{totals['norm_hours_40']:>10}{totals['support_hours']:>11g}"
        )
        titles = {
            "holidays": "Non-working holidays",
            "transferred_days_off": "Transferred days off",
            "working_weekend_days": "Working weekend days",
            "shortened_days": "Shortened (pre-holiday) days",
            "exceptions": "Admin exceptions",
        }
        for key, items in special_days(calendar, year).items():
            self.stdout.write(f"\n{titles[key]}:" + ("" if items else " none"))
            for day, reason in items:
                self.stdout.write(f"  {day:%a %Y-%m-%d}  {reason}".rstrip())


def _totals(rows: list[dict]) -> dict:
    return {
        key: round(sum(item[key] for item in rows), 2)
        for key in ("working_days", "shortened_days", "norm_hours_40", "support_hours")
    }
