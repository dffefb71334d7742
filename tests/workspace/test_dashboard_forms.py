"""The dashboard's period form: defaults, what it refuses and what it says."""

import datetime

import pytest
from django.http import QueryDict

from workspace.dashboard_forms import PeriodForm

WEDNESDAY = datetime.date(2026, 11, 25)


def form(query=""):
    return PeriodForm(QueryDict(query), today=WEDNESDAY)


def test_it_defaults_to_the_last_eight_full_weeks_and_the_current_one():
    chosen = form()

    assert chosen.is_valid()
    assert chosen.cleaned_data == {"start": datetime.date(2026, 9, 28), "end": WEDNESDAY}


def test_a_missing_or_blank_date_takes_its_default():
    chosen = form("start=2026-11-02&end=")

    assert chosen.is_valid()
    assert chosen.cleaned_data == {"start": datetime.date(2026, 11, 2), "end": WEDNESDAY}


def test_it_accepts_a_single_day_and_a_whole_year():
    assert form("start=2026-11-25&end=2026-11-25").is_valid()
    assert form("start=2025-11-26&end=2026-11-25").is_valid()  # 365 days
    assert form("start=2024-01-01&end=2024-12-31").is_valid()  # 366 days


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("start=2026-11-10&end=2026-11-09", "end", "The period must not end before it starts."),
        (
            "start=2025-11-24&end=2026-11-25",
            "end",
            "Choose a period of at most 366 days; this one has 367.",
        ),
        (
            "start=yesterday",
            "start",
            "Enter a date in the form YYYY-MM-DD, for example 2026-11-25.",
        ),
        ("end=2100-01-01", "end", "Choose a date from 2000-01-01 to 2099-12-31."),
    ],
)
def test_it_says_what_is_wrong_with_the_period(query, field, message):
    chosen = form(query)

    assert not chosen.is_valid()
    assert chosen.errors[field] == [message]
    assert chosen[field].field.widget.attrs["aria-invalid"] == "true"


def test_it_shows_back_what_was_typed():
    chosen = form("start=2026-02-30&end=2026-01-01")

    assert not chosen.is_valid()
    assert 'value="2026-02-30"' in str(chosen["start"])
    assert 'value="2026-01-01"' in str(chosen["end"])
    assert 'type="date"' in str(chosen["end"])
