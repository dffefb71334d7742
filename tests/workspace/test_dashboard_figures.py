"""The dashboard's figures (workspace.dashboard) on tickets driven through the real services.

Every ticket is filed and moved at explicit instants some weeks back from now, far from any
deadline, so the outcome never depends on the day the suite runs; `now` is passed in.
"""

import collections
import datetime

import pytest
from django.utils import timezone

from sla.business_time import business_zone
from tests.factories import EngineerFactory, TicketFactory
from tickets import jobs, services
from tickets.models import Ticket
from workspace import dashboard as stats
from workspace.urgency import Urgency, with_urgency

UTC = datetime.UTC


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def zone():
    return business_zone()


@pytest.fixture
def this_monday(now, zone):
    return stats.monday_of(timezone.localdate(now, zone))


def file(customer, license, at, priority="high"):
    return TicketFactory(customer=customer, license=license, priority=priority, now=at)


def utc(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=UTC)


def cell(rows, tier, priority):
    return next(row for row in rows if row.cell.key == (tier, priority))


# --- weeks ---------------------------------------------------------------------------------


def test_it_counts_a_sunday_night_utc_ticket_in_the_business_zones_monday_week(
    customer, license_a, this_monday, zone
):
    monday = this_monday - datetime.timedelta(weeks=2)
    sunday = monday - datetime.timedelta(days=1)
    file(customer, license_a, utc(sunday, 22))  # Monday 01:00 in Moscow
    file(customer, license_a, utc(sunday, 20, 59))  # Sunday 23:59 in Moscow
    period = stats.Period(monday - datetime.timedelta(weeks=1), this_monday, zone)

    weeks = {week.monday: week for week in stats.weekly_flow(period)}

    assert weeks[monday].opened == 1
    assert weeks[monday - datetime.timedelta(weeks=1)].opened == 1


def test_it_counts_closed_tickets_in_the_week_they_closed_and_fills_empty_weeks_with_zeros(
    customer, license_a, this_monday, zone
):
    first = this_monday - datetime.timedelta(weeks=4)
    opened_early = file(customer, license_a, utc(first + datetime.timedelta(days=1), 9))
    file(customer, license_a, utc(first + datetime.timedelta(days=2), 9))
    services.ticket_withdraw(
        actor=customer,
        ticket=opened_early,
        now=utc(first + datetime.timedelta(weeks=2, days=3), 12),
    )
    period = stats.Period(first, this_monday - datetime.timedelta(days=1), zone)

    weeks = stats.weekly_flow(period)

    assert [week.monday for week in weeks] == [
        first + datetime.timedelta(weeks=n) for n in range(4)
    ]
    assert [(week.opened, week.closed) for week in weeks] == [(2, 0), (0, 0), (0, 1), (0, 0)]
    assert not any(week.partial for week in weeks)


def test_it_clips_the_first_and_last_weeks_to_the_period_and_leaves_out_tickets_outside_it(
    customer, license_a, this_monday, zone
):
    monday = this_monday - datetime.timedelta(weeks=3)
    file(customer, license_a, utc(monday, 9))  # Monday: before the period
    file(customer, license_a, utc(monday + datetime.timedelta(days=2), 9))  # Wednesday
    file(customer, license_a, utc(monday + datetime.timedelta(days=8), 9))  # next Tuesday
    period = stats.Period(
        monday + datetime.timedelta(days=2), monday + datetime.timedelta(days=7), zone
    )

    weeks = stats.weekly_flow(period)

    assert [(w.monday, w.first_day, w.last_day, w.opened) for w in weeks] == [
        (monday, period.start, monday + datetime.timedelta(days=6), 1),
        (monday + datetime.timedelta(weeks=1), period.end, period.end, 0),
    ]
    assert all(week.partial for week in weeks)


def test_the_period_runs_from_midnight_to_midnight_in_the_business_zone(zone):
    period = stats.Period(datetime.date(2026, 3, 2), datetime.date(2026, 3, 8), zone)

    assert period.starts_at == datetime.datetime(2026, 3, 1, 21, 0, tzinfo=UTC)
    assert period.ends_at == datetime.datetime(2026, 3, 8, 21, 0, tzinfo=UTC)
    assert period.days == 7


def test_the_default_period_is_the_last_eight_full_weeks_and_the_current_one():
    wednesday = datetime.date(2026, 11, 25)

    assert stats.default_period(wednesday) == (datetime.date(2026, 9, 28), wednesday)


# --- targets met and missed ----------------------------------------------------------------


def test_it_counts_reaction_targets_met_missed_and_pending_per_tier_and_priority(
    customer, license_a, outsider, license_b, engineer, now, zone
):
    long_ago = now - datetime.timedelta(days=30)
    taken_in_time = file(customer, license_a, long_ago)
    services.ticket_take(
        actor=engineer, ticket=taken_in_time, now=long_ago + datetime.timedelta(minutes=1)
    )
    taken_late = file(customer, license_a, long_ago)
    services.ticket_take(
        actor=engineer, ticket=taken_late, now=long_ago + datetime.timedelta(days=20)
    )
    file(customer, license_a, long_ago)  # never taken: still waits for a reaction
    file(customer, license_a, now - datetime.timedelta(minutes=1))  # not due yet
    withdrawn_in_time = file(customer, license_a, long_ago, priority="low")
    services.ticket_withdraw(
        actor=customer, ticket=withdrawn_in_time, now=long_ago + datetime.timedelta(minutes=5)
    )
    platinum = file(outsider, license_b, long_ago, priority="critical")
    services.ticket_take(
        actor=engineer, ticket=platinum, now=long_ago + datetime.timedelta(minutes=10)
    )
    period = stats.Period(timezone.localdate(long_ago, zone), timezone.localdate(now, zone), zone)

    rows = stats.targets(period, stats.sla_cells(), now)

    assert cell(rows, "standard", "high").reaction == stats.Outcome(met=1, missed=2, pending=1)
    assert cell(rows, "standard", "low").reaction == stats.Outcome(met=0, missed=0, pending=1)
    assert cell(rows, "platinum", "critical").reaction == stats.Outcome(met=1)
    assert cell(rows, "standard", "critical").reaction == stats.Outcome()
    assert len(rows) == 12


def test_a_reaction_the_sla_job_marked_breached_stays_missed_after_a_withdrawal(
    customer, license_a, engineer, now, zone
):
    long_ago = now - datetime.timedelta(days=30)
    ticket = file(customer, license_a, long_ago)
    jobs.watch_sla(now=long_ago + datetime.timedelta(days=20))
    ticket.refresh_from_db()
    assert ticket.reaction_breached_at is not None
    services.ticket_withdraw(
        actor=customer, ticket=ticket, now=long_ago + datetime.timedelta(days=21)
    )
    period = stats.Period(timezone.localdate(long_ago, zone), timezone.localdate(now, zone), zone)

    rows = stats.targets(period, stats.sla_cells(), now)

    assert cell(rows, "standard", "high").reaction == stats.Outcome(missed=1)
    assert cell(rows, "standard", "high").resolution == stats.Outcome(missed=1)


def test_it_counts_resolution_targets_and_never_a_ticket_waiting_on_the_customer_as_missed(
    customer, license_a, engineer, now, zone
):
    long_ago = now - datetime.timedelta(days=30)
    in_time, late, running, waiting = (file(customer, license_a, long_ago) for _ in range(4))
    for ticket in (in_time, late, running, waiting):
        services.ticket_take(
            actor=engineer, ticket=ticket, now=long_ago + datetime.timedelta(minutes=1)
        )
    services.ticket_resolve(
        actor=engineer, ticket=in_time, result="Fixed.", now=long_ago + datetime.timedelta(hours=1)
    )
    services.ticket_resolve(
        actor=engineer, ticket=late, result="Fixed.", now=long_ago + datetime.timedelta(days=25)
    )
    services.ticket_request_info(
        actor=engineer,
        ticket=waiting,
        body="Send the logs.",
        now=long_ago + datetime.timedelta(minutes=2),
    )
    waiting.refresh_from_db()
    running.refresh_from_db()
    # Both deadlines lie in the past; only the running clock has missed its one.
    assert waiting.resolution_due < now
    assert running.resolution_due < now
    period = stats.Period(timezone.localdate(long_ago, zone), timezone.localdate(now, zone), zone)

    rows = stats.targets(period, stats.sla_cells(), now)

    assert cell(rows, "standard", "high").resolution == stats.Outcome(met=1, missed=2, pending=1)
    assert cell(rows, "standard", "high").reaction == stats.Outcome(met=4)


def test_it_gives_the_met_share_of_the_decided_targets_only():
    assert stats.Outcome(met=3, missed=1, pending=6).met_percent == 75
    assert stats.Outcome(pending=2).met_percent is None


# --- breached and at risk now --------------------------------------------------------------


def test_it_counts_breached_and_at_risk_tickets_exactly_as_the_queue_badges_them(
    customer, license_a, outsider, license_b, engineer, now
):
    file(customer, license_a, now - datetime.timedelta(days=30))  # breached
    file(customer, license_a, now - datetime.timedelta(days=30), priority="low")  # breached
    file(customer, license_a, now - datetime.timedelta(minutes=1))  # on time
    # Platinum critical: 30 minutes round the clock; 80 % gone after 24.
    at_risk = file(outsider, license_b, now - datetime.timedelta(minutes=27), priority="critical")
    waiting = file(customer, license_a, now - datetime.timedelta(days=30))
    services.ticket_take(actor=engineer, ticket=waiting, now=now - datetime.timedelta(days=29))
    services.ticket_request_info(actor=engineer, ticket=waiting, body="Logs?", now=now)

    rows = stats.urgency_now(stats.sla_cells(), now)

    by_queue = collections.Counter(
        with_urgency(Ticket.objects.open(), now).values_list("tier_id", "priority_id", "urgency")
    )
    for row in rows:
        assert row.breached == by_queue[(*row.cell.key, Urgency.BREACHED)]
        assert row.at_risk == by_queue[(*row.cell.key, Urgency.AT_RISK)]
        assert row.on_time == by_queue[(*row.cell.key, Urgency.ON_TIME)]
        assert row.waiting == by_queue[(*row.cell.key, Urgency.WAITING)]
    high = cell(rows, "standard", "high")
    assert (high.breached, high.at_risk, high.on_time, high.waiting) == (1, 0, 1, 1)
    assert cell(rows, "standard", "low").breached == 1
    assert cell(rows, "platinum", "critical").at_risk == 1
    worst = stats.most_urgent(now)
    assert [ticket.urgency for ticket in worst] == ["breached", "breached", "at_risk"]
    assert worst[-1] == at_risk
    assert worst[-1].urgency_label == "At risk"


def test_it_lists_at_most_the_limit_most_overdue_first(customer, license_a, now):
    tickets = [file(customer, license_a, now - datetime.timedelta(days=40 - n)) for n in range(3)]

    worst = stats.most_urgent(now, limit=2)

    assert worst == tickets[:2]


# --- load per engineer ---------------------------------------------------------------------


def test_it_counts_open_tickets_per_engineer_split_by_whose_move_it_is(
    customer, license_a, engineer, engineer2, now
):
    mine = [file(customer, license_a, now - datetime.timedelta(hours=n + 1)) for n in range(4)]
    for ticket in mine:
        services.ticket_take(actor=engineer, ticket=ticket, now=now)
    services.ticket_request_info(actor=engineer, ticket=mine[1], body="Logs?", now=now)
    services.ticket_resolve(actor=engineer, ticket=mine[2], result="Done.", now=now)
    services.ticket_withdraw(actor=customer, ticket=mine[3], now=now)  # closed: no load
    file(customer, license_a, now)  # unassigned
    gone = EngineerFactory(email="gus@vendor.example", first_name="Gus")
    services.ticket_take(actor=gone, ticket=file(customer, license_a, now), now=now)
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    team = stats.team_load()

    loads = {row.engineer.email: row.load for row in team.engineers}
    assert loads == {
        engineer.email: stats.Load(vendor_move=1, customer_move=2),
        "gus@vendor.example": stats.Load(vendor_move=1),
        engineer2.email: stats.Load(),
    }
    assert [row.engineer for row in team.engineers][:2] == [engineer, gone]
    assert team.unassigned == stats.Load(vendor_move=1)
    assert team.total == stats.Load(vendor_move=3, customer_move=2)
