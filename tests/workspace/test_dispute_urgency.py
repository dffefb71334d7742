"""A disputed ticket sorts at the top of the queue, but only its real deadline breaches it.

At the moment of a dispute the queue key is the dispute instant (the ticket goes back to the
top), while the resolution deadline resumes with the time that was left. The badge, the
"breached" view and the dashboard read the deadline, never the sort key.
"""

import datetime
import zoneinfo

import pytest

from tests.factories import TicketFactory
from tickets import services
from workspace import dashboard
from workspace.queue import queue_for
from workspace.queue_rows import ROW_VALUES, rows_for
from workspace.urgency import Urgency

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MSK)


@pytest.fixture
def disputed(customer, engineer, license_a):
    """Standard High, registered Mon 2.3.2026 10:00 (5 bd: due Tue 10.3 18:00), resolved on
    Tue 3.3 12:00 and disputed on Wed 4.3 12:00."""
    ticket = TicketFactory(
        customer=customer, license=license_a, priority="high", now=msk(2026, 3, 2, 10)
    )
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 11))
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Done.", now=msk(2026, 3, 3, 12))
    services.ticket_dispute(
        actor=customer, ticket=ticket, reason="Still fails.", now=msk(2026, 3, 4, 12)
    )
    ticket.refresh_from_db()
    return ticket


def test_it_sorts_a_disputed_ticket_at_the_top_by_the_moment_of_the_dispute(disputed):
    assert disputed.queue_due == msk(2026, 3, 4, 12)
    # Paused for 9 working hours (Tue 12-18, Wed 9-12): the deadline moved by exactly that.
    assert disputed.resolution_due == msk(2026, 3, 11, 18)


def test_it_does_not_call_a_disputed_ticket_breached_at_the_moment_of_the_dispute(
    disputed, engineer
):
    now = msk(2026, 3, 4, 12, 1)
    (row,) = queue_for(user=engineer, now=now)
    assert row.urgency == Urgency.ON_TIME
    assert row.sla_due == disputed.resolution_due
    assert list(queue_for(user=engineer, now=now, view="breached")) == []
    assert dashboard.most_urgent(now) == []


def test_it_counts_a_disputed_ticket_down_to_its_resumed_resolution_deadline(disputed, engineer):
    now = msk(2026, 3, 4, 12, 1)
    values = queue_for(user=engineer, now=now).values(*ROW_VALUES)
    (row,) = rows_for(values, now, tiers={}, priorities={})
    assert row.urgency == Urgency.ON_TIME
    assert "overdue" not in row.countdown
    assert row.due_iso.startswith("2026-03-11T15:00")  # 18:00 MSK in UTC


def test_it_calls_a_disputed_ticket_breached_once_its_resolution_deadline_passes(
    disputed, engineer
):
    now = msk(2026, 3, 11, 18, 1)
    (row,) = queue_for(user=engineer, now=now, view="breached")
    assert row.urgency == Urgency.BREACHED
    assert [ticket.number for ticket in dashboard.most_urgent(now)] == [disputed.number]


def test_it_lists_a_disputed_ticket_among_the_others_by_its_real_deadline(
    disputed, customer, outsider, license_a, license_b
):
    now = msk(2026, 3, 11, 18, 1)
    # Standard High, registered Thu 5.3 10:00: its reaction deadline passed that day, after the
    # dispute's moment (the disputed ticket's queue key) and before its resolution deadline.
    earlier = TicketFactory(
        customer=customer, license=license_a, priority="high", now=msk(2026, 3, 5, 10)
    )
    # Platinum Critical, 30 minutes round the clock: 27 gone, so at risk, due after both.
    at_risk = TicketFactory(
        customer=outsider,
        license=license_b,
        priority="critical",
        now=now - datetime.timedelta(minutes=27),
    )

    worst = dashboard.most_urgent(now)

    assert [t.number for t in worst] == [earlier.number, disputed.number, at_risk.number]
    assert [t.urgency for t in worst] == [Urgency.BREACHED, Urgency.BREACHED, Urgency.AT_RISK]
    assert dashboard.most_urgent(now, limit=2) == worst[:2]
