"""Simultaneous registrations share the work out: the round-robin lock (real PostgreSQL, one
connection per thread)."""

import collections

import pytest

from tests import factories
from tests.threads import run_in_threads

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def test_simultaneous_registrations_never_pile_on_one_engineer(customer, license_a):
    factories.auto_assignment()
    always = factories.round_the_clock_calendar()
    team = [
        factories.DutyProfileFactory(calendar=always, engineer=factories.EngineerFactory()).engineer
        for _ in range(4)
    ]

    def register(index: int) -> int:
        return factories.TicketFactory(customer=customer, license=license_a).assignee_id

    results = run_in_threads(8, register)
    assert not [r for r in results if isinstance(r, Exception)], results
    # Each saw the others' tickets: 8 tickets over 4 engineers with no work is 2 each.
    assert collections.Counter(results) == {engineer.pk: 2 for engineer in team}
