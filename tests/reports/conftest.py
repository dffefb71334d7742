import datetime

import pytest

from tests import factories
from tickets.models import State, Ticket

MSK = datetime.timezone(datetime.timedelta(hours=3))
NOVEMBER = datetime.date(2026, 11, 1)
BUILT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=MSK)


def at(day, hour=11):
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=MSK)


def file_ticket(customer, license, *, day, priority="high", **fields):
    ticket = factories.TicketFactory(
        customer=customer, license=license, priority=priority, now=at(day)
    )
    if fields:
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
        ticket.refresh_from_db()
    return ticket


@pytest.fixture
def org_admin(org_a):
    return factories.OrganizationAdminFactory(
        email="olga@alpha.example", first_name="Olga", organization=org_a
    )


@pytest.fixture
def november(customer, license_a):
    """A known month of Alpha Logistics: 4 tickets; 2 reactions and 3 resolutions missed."""
    met = file_ticket(
        customer,
        license_a,
        day=2,
        state=State.CLOSED,
        reacted_at=at(2, 12),
        reaction_met=True,
        resolved_at=at(3),
        resolution_met=True,
        closed_at=at(4),
    )
    late_reaction = file_ticket(
        customer,
        license_a,
        day=10,
        state=State.IN_PROGRESS,
        reacted_at=at(11, 15),
        reaction_met=False,
    )
    never_taken = file_ticket(customer, license_a, day=20, priority="critical")
    late_resolution = file_ticket(
        customer,
        license_a,
        day=12,
        state=State.RESOLVED,
        reacted_at=at(12, 12),
        reaction_met=True,
        resolved_at=at(27),
        resolution_met=False,
    )
    # Another month and another organization do not count.
    file_ticket(customer, license_a, day=1).__class__.objects.filter(
        organization=customer.organization, registered_at=at(1)
    ).update(registered_at=datetime.datetime(2026, 10, 31, 12, tzinfo=MSK))
    return {
        "met": met,
        "late_reaction": late_reaction,
        "never_taken": never_taken,
        "late_resolution": late_resolution,
    }
