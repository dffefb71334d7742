"""The admin's tools: sla_explain and sla_calendar, and the warning for a year without data."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from sla.checks import production_calendar_years, years_without_official_calendar


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_it_explains_deadlines_as_json_in_the_calendars_zone():
    data = json.loads(
        run(
            "sla_explain",
            "--tier",
            "standard",
            "--priority",
            "high",
            "--registered",
            "2026-03-06T14:30:00Z",
            "--json",
        )
    )
    assert data["reaction_due"] == "2026-03-10T16:30:00+03:00"
    assert data["resolution_due"] == "2026-03-16T18:00:00+03:00"
    assert data["provisional"] is False
    skipped = {item["date"]: item["kind"] for item in data["resolution"]["special_days"]}
    assert skipped["2026-03-08"] == "holiday"
    assert skipped["2026-03-09"] == "holiday"
    assert skipped["2026-03-07"] == "weekend"


@pytest.mark.django_db
def test_it_explains_which_days_were_skipped_and_why():
    text = run(
        "sla_explain",
        "--tier",
        "standard",
        "--priority",
        "low",
        "--registered",
        "2026-04-28T17:30:00+03:00",
    )
    assert "Resolution due: 2026-05-28T18:00:00+03:00" in text
    assert "Праздник Весны и Труда" in text
    assert "shortened pre-holiday day" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--tier", "gold", "--priority", "high", "--registered", "2026-01-01T00:00Z"],
            "Unknown tier",
        ),
        (
            ["--tier", "standard", "--priority", "urgent", "--registered", "2026-01-01T00:00Z"],
            "Unknown priority",
        ),
        (["--tier", "standard", "--priority", "high", "--registered", "yesterday"], "not ISO 8601"),
        (
            ["--tier", "standard", "--priority", "high", "--registered", "2026-01-01T10:00"],
            "needs a UTC offset",
        ),
    ],
)
def test_it_says_what_is_wrong_with_its_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        run("sla_explain", *args)


@pytest.mark.django_db
def test_it_prints_the_year_as_the_production_calendar_does():
    data = json.loads(run("sla_calendar", "2024", "--json"))
    assert [m["month"] for m in data["months"]] == list(range(1, 13))
    assert data["totals"]["working_days"] == 248  # the official 2024 figures: 248 d, 1979 h
    assert data["totals"]["norm_hours_40"] == 1979
    # The support calendar works 09:00-18:00: 9 hours a day, 8 on a shortened day.
    assert data["totals"]["support_hours"] == 9 * 248 - data["totals"]["shortened_days"]
    text = run("sla_calendar", "2024")
    assert "Working weekend days:" in text
    assert "Sat 2024-04-27" in text


@pytest.mark.django_db
def test_it_refuses_an_unknown_calendar_name():
    with pytest.raises(CommandError, match="No calendar 'Mars'"):
        run("sla_calendar", "2026", "--calendar", "Mars")


def test_it_names_the_years_without_official_data():
    assert years_without_official_calendar(datetime.date(2026, 6, 1)) == []
    assert years_without_official_calendar(datetime.date(2099, 6, 1)) == [2099, 2100]


def test_it_warns_in_the_system_check_for_a_year_without_data():
    with time_machine.travel(datetime.datetime(2099, 6, 1, tzinfo=datetime.UTC), tick=False):
        warnings = production_calendar_years()
    assert [w.id for w in warnings] == ["sla.W001", "sla.W001"]
    assert "2099" in warnings[0].msg


def test_it_shows_the_missing_year_on_admin_pages(client, admin_user):
    with time_machine.travel(datetime.datetime(2099, 6, 1, tzinfo=datetime.UTC), tick=False):
        client.force_login(admin_user)
        page = client.get(reverse("admin:index")).content.decode()
    client.force_login(admin_user)
    assert 'id="calendar-warnings"' in page
    assert "2099" in page
    assert 'id="calendar-warnings"' not in client.get(reverse("admin:index")).content.decode()
