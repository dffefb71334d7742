"""The countdown badge's words, the queue's flags and what a row shows, without a database."""

import datetime

import pytest
from django.urls import reverse

from workspace.queue_rows import Words, flags, rows_for, script_texts

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
MIN, HOUR, DAY = 60, 3_600, 86_400


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "less than a minute"),
        (59, "less than a minute"),
        (60, "1 min"),
        (45 * MIN + 59, "45 min"),
        (HOUR, "1 h"),
        (2 * HOUR + 15 * MIN + 30, "2 h 15 min"),
        (DAY + 3 * HOUR + 59 * MIN, "1 d 3 h"),  # two units, rounded down
        (DAY + 5 * MIN, "1 d"),  # a zero middle unit is left out, not replaced
        (3 * DAY, "3 d"),
        (-(2 * HOUR + 1), "2 h"),  # the sign is the caller's business
    ],
)
def test_it_says_a_duration_in_its_two_largest_units(seconds, text):
    assert Words().duration(seconds) == text


@pytest.mark.parametrize(
    ("state", "due", "text"),
    [
        ("registered", NOW + datetime.timedelta(hours=2, minutes=15), "2 h 15 min left"),
        ("in_progress", NOW - datetime.timedelta(days=1, hours=3), "overdue by 1 d 3 h"),
        ("disputed", NOW, "overdue by less than a minute"),
        ("awaiting_customer", None, "waiting on the customer"),
        ("resolved", None, "waiting on the customer"),
        ("registered", None, "no deadline"),
    ],
)
def test_the_countdown_says_how_long_is_left_or_overdue(state, due, text):
    assert Words().countdown(state, due, NOW) == text


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"state": "resolved", "unconfirmed_flagged_at": NOW}, ["unconfirmed"]),
        ({"state": "resolved"}, []),  # still inside the confirmation window
        ({"state": "disputed"}, ["disputed"]),
        ({"state": "registered", "deadlines_provisional": True}, ["provisional"]),
        (
            {"state": "disputed", "deadlines_provisional": True, "unconfirmed_flagged_at": NOW},
            ["disputed", "provisional"],  # the flag of an earlier resolution no longer counts
        ),
    ],
)
def test_it_flags_unconfirmed_resolutions_disputes_and_provisional_deadlines(fields, expected):
    found = flags(
        fields["state"],
        fields.get("unconfirmed_flagged_at"),
        fields.get("deadlines_provisional", False),
    )
    assert [code for code, _ in found] == expected


def test_the_script_gets_the_same_words_with_python_placeholders():
    texts = script_texts()
    assert texts["left"] % {"time": texts["h"] % {"n": 2}} == "2 h left"
    assert texts["overdue"] == "overdue by %(time)s"
    assert texts["new"] == "New in the queue: %(numbers)s"


@pytest.mark.parametrize("number", ["SUP-2026-000123", "A&B 1", "Заявка-7", "x:y@z~"])
def test_a_row_links_to_the_ticket_exactly_as_reverse_does(number):
    values = {
        "number": number,
        "subject": "VPN drops",
        "state": "registered",
        "urgency": "on_time",
        "sla_due": NOW + datetime.timedelta(hours=2),
        "unconfirmed_flagged_at": None,
        "deadlines_provisional": False,
        "organization_id": 1,
        "organization__name": "Alpha",
        "tier_id": "standard",
        "priority_id": "high",
        "assignee__first_name": None,
        "assignee__last_name": None,
        "assignee__email": None,
    }
    (row,) = rows_for([values], NOW, tiers={"standard": "Standard"}, priorities={})
    assert row.url == reverse("tickets:detail", args=[number])
    assert (row.tier, row.priority, row.assignee) == ("Standard", "high", "")
    assert row.countdown == "2 h left"
