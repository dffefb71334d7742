"""The engineers' open work kept by PostgreSQL triggers (tickets.models.EngineerWorkload)
equals the count of their tickets waiting on the vendor after every path that moves a ticket's
assignee or state: the services, the periodic job, bulk updates, deletions, a TRUNCATE."""

import datetime

from django.db import connection
from django.db.models import Count

from tests import factories
from tickets import jobs, services
from tickets.models import EngineerWorkload, Ticket
from tickets.services.assignment import OPEN_WORK_STATES, open_work


def counted():
    rows = (
        Ticket.objects.filter(state__in=OPEN_WORK_STATES, assignee__isnull=False)
        .values("assignee_id")
        .annotate(n=Count("id"))
    )
    return {row["assignee_id"]: row["n"] for row in rows}


def kept():
    rows = EngineerWorkload.objects.exclude(open_tickets=0)
    return dict(rows.values_list("engineer_id", "open_tickets"))


def check(expected_total=None):
    assert kept() == counted()
    if expected_total is not None:
        assert sum(kept().values()) == expected_total


def test_the_counter_follows_every_path(customer, engineer, engineer2, license_a):
    factories.auto_assignment()
    factories.DutyProfileFactory(engineer=engineer, calendar=factories.round_the_clock_calendar())
    ticket = factories.TicketFactory(customer=customer, license=license_a)
    check(1)  # registered and assigned automatically
    services.ticket_assign(actor=engineer, ticket=ticket, engineer=engineer2)
    check(1)
    services.ticket_take(actor=engineer, ticket=ticket)
    check(1)
    services.ticket_request_info(actor=engineer, ticket=ticket, body="Logs, please.")
    check(0)  # waiting on the customer
    services.message_post(actor=customer, ticket=ticket, body="Here.")
    check(1)  # a reply provides the information
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Fixed.")
    check(0)
    services.ticket_dispute(actor=customer, ticket=ticket, reason="Still broken.")
    check(1)
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Now fixed.")
    services.ticket_confirm(actor=customer, ticket=ticket)
    check(0)

    withdrawn = factories.TicketFactory(customer=customer, license=license_a)
    check(1)
    services.ticket_withdraw(actor=customer, ticket=withdrawn)
    check(0)

    silent = factories.TicketFactory(customer=customer, license=license_a)
    services.ticket_take(actor=engineer2, ticket=silent)
    services.ticket_request_info(actor=engineer2, ticket=silent, body="Logs?")
    check(0)
    silent.refresh_from_db()
    assert jobs.auto_close(now=silent.auto_close_at + datetime.timedelta(minutes=1)) == 1
    check(0)

    bulk = [factories.TicketFactory(customer=customer, license=license_a) for _ in range(3)]
    check(3)
    services.tickets_bulk_assign(
        actor=engineer, numbers=[t.number for t in bulk], engineer=engineer2
    )
    check(3)
    Ticket.objects.filter(pk__in=[t.pk for t in bulk[:2]]).update(assignee=engineer)
    check(3)
    Ticket.objects.filter(pk=bulk[0].pk).update(assignee=None)
    check(2)
    Ticket.objects.filter(pk=bulk[1].pk).delete()
    check(1)
    leaver = factories.EngineerFactory()
    Ticket.objects.filter(pk=bulk[2].pk).update(assignee=leaver)
    check(1)
    leaver.delete()  # the assignee goes: SET NULL
    check(0)
    assert open_work([engineer.pk]) == {engineer.pk: 0}


def test_a_truncate_empties_the_counter(reference_data, customer, engineer, license_a):
    """The bench loader empties the tickets with TRUNCATE (outside any test transaction)."""
    ticket = factories.TicketFactory(customer=customer, license=license_a)
    services.ticket_take(actor=engineer, ticket=ticket)
    check(1)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE tickets_ticket CASCADE")
    assert not EngineerWorkload.objects.exists()
