"""The monthly SLA report's figures on a known month, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.build import SHOWN_BREACHES, report_content, sla_report_build
from reports.models import SlaReport
from tests.reports.conftest import BUILT, NOVEMBER, file_ticket


def report_data(org, month, *, now):
    return report_content(org, month, now=now).data


def test_it_counts_the_tickets_by_priority_and_state(november, org_a):
    data = report_data(org_a, NOVEMBER, now=BUILT)
    assert data["total"] == 4
    assert data["by_priority_state"] == {
        "high": {"closed": 1, "in_progress": 1, "resolved": 1},
        "critical": {"registered": 1},
    }


def test_it_gives_the_targets_met_per_priority(november, org_a):
    data = report_data(org_a, NOVEMBER, now=BUILT)
    by_priority = {row["priority"]: row for row in data["targets_by_priority"]}
    assert by_priority["high"]["reaction"] == {
        "met": 2,
        "missed": 1,
        "pending": 0,
        "percent": 66.7,
    }
    assert by_priority["high"]["resolution"]["met"] == 1
    # The ticket in progress since the 10th is past its 5 business days as well.
    assert by_priority["high"]["resolution"]["missed"] == 2
    assert by_priority["critical"]["reaction"] == {
        "met": 0,
        "missed": 1,
        "pending": 0,
        "percent": 0.0,
    }
    assert by_priority["low"]["reaction"]["percent"] is None


def test_it_explains_each_breach(november, org_a):
    data = report_data(org_a, NOVEMBER, now=BUILT)
    breaches = {(b["number"], b["kind"]): b for b in data["breaches"]}
    assert set(breaches) == {
        (november["late_reaction"].number, "reaction"),
        (november["late_reaction"].number, "resolution"),
        (november["never_taken"].number, "reaction"),
        (november["never_taken"].number, "resolution"),
        (november["late_resolution"].number, "resolution"),
    }
    late = breaches[(november["late_reaction"].number, "reaction")]
    assert late["due"] == november["late_reaction"].reaction_due.isoformat()
    assert late["done_at"] == november["late_reaction"].reacted_at.isoformat()
    explanation = late["explanation"]
    assert (explanation["amount"], explanation["unit"]) == (480, "minutes")  # Standard High: 8 h
    assert data["calendars"][explanation["calendar"]]["en"]
    ticket = november["late_reaction"]
    assert late["late_seconds"] == int((ticket.reacted_at - ticket.reaction_due).total_seconds())
    assert breaches[(november["never_taken"].number, "reaction")]["done_at"] is None


def test_a_month_of_many_breaches_keeps_their_counts_and_the_most_overdue(
    november, org_a, customer, license_a
):
    for day in range(2, 26):  # 24 tickets never taken: 48 more breaches, 53 in all
        file_ticket(customer, license_a, day=day, priority="critical")
    report = sla_report_build(organization=org_a, month=NOVEMBER, now=BUILT)
    data = report.data
    assert data["breach_count"] == len(report.breaches) == 53
    assert len(data["breaches"]) == SHOWN_BREACHES == 50
    assert data["breaches"] == report.breaches[:50]
    lateness = [breach["late_seconds"] for breach in report.breaches]
    assert lateness == sorted(lateness, reverse=True)
    summary = {row["priority"]: row for row in data["breach_summary"]}
    assert sum(row["reaction"] + row["resolution"] for row in summary.values()) == len(
        report.breaches
    )
    assert summary["high"] == {"priority": "high", "reaction": 1, "resolution": 2}
    assert summary["critical"] == {"priority": "critical", "reaction": 25, "resolution": 25}


def test_the_weekly_flow_is_the_dashboards(november, org_a):
    data = report_data(org_a, NOVEMBER, now=BUILT)
    assert sum(week["opened"] for week in data["weeks"]) == 4
    assert sum(week["closed"] for week in data["weeks"]) == 1
    assert data["weeks"][0]["first_day"] == "2026-11-01"
    assert data["weeks"][-1]["last_day"] == "2026-11-30"


def test_a_report_is_built_once_and_stored(november, org_a):
    first = sla_report_build(organization=org_a, month=NOVEMBER, now=BUILT)
    again = sla_report_build(organization=org_a, month=NOVEMBER, now=BUILT)
    assert first.pk == again.pk
    assert SlaReport.objects.count() == 1


def test_building_reads_as_many_queries_for_many_tickets_as_for_few(
    november, org_a, customer, license_a
):
    report_data(org_a, NOVEMBER, now=BUILT)  # calendars cached, as in a running worker
    with CaptureQueriesContext(connection) as few:
        report_data(org_a, NOVEMBER, now=BUILT)
    for day in range(3, 28):
        file_ticket(customer, license_a, day=day, priority="medium")
        file_ticket(customer, license_a, day=day, priority="critical")
    with CaptureQueriesContext(connection) as many:
        data = report_data(org_a, NOVEMBER, now=BUILT)
    assert data["total"] == 54
    assert len(many) == len(few)


pytestmark = pytest.mark.django_db
