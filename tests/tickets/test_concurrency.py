"""Real PostgreSQL under real concurrency: threads, each with its own connection."""

import pytest

from tests.factories import TicketFactory
from tests.threads import run_in_threads
from tickets import services
from tickets.errors import ConcurrentUpdate
from tickets.models import State, Ticket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_it_numbers_concurrent_registrations_without_duplicates_or_losses(customer, license_a):
    per_thread = 5

    def register_several(index: int) -> list[str]:
        return [
            TicketFactory(customer=customer, license=license_a, subject=f"t{index}-{n}").number
            for n in range(per_thread)
        ]

    results = run_in_threads(8, register_several)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = [number for batch in results for number in batch]
    assert len(numbers) == 8 * per_thread
    assert len(set(numbers)) == len(numbers)
    assert Ticket.objects.count() == len(numbers)
    assert set(Ticket.objects.values_list("number", flat=True)) == set(numbers)


def test_it_lets_one_of_two_simultaneous_takes_win(ticket, engineer, engineer2):
    # Both engineers opened the same registered ticket before either clicked "take".
    copies = [Ticket.objects.get(pk=ticket.pk), Ticket.objects.get(pk=ticket.pk)]
    engineers = [engineer, engineer2]

    results = run_in_threads(
        2, lambda i: services.ticket_take(actor=engineers[i], ticket=copies[i])
    )

    losers = [r for r in results if isinstance(r, ConcurrentUpdate)]
    winners = [r for r in results if isinstance(r, Ticket)]
    assert (len(winners), len(losers)) == (1, 1), results
    assert "Somebody else changed this ticket" in str(losers[0].message)
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert fresh.state == State.IN_PROGRESS
    assert fresh.assignee == winners[0].assignee
    assert fresh.events.filter(kind="take").count() == 1
