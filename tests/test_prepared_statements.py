"""The portal's connections prepare the statements they run often, but never a full-text
search (helpdesk/postgresql/base.py): PostgreSQL's view of the connection's own prepared
statements (pg_prepared_statements) says which it holds."""

import pytest
from django.conf import settings
from django.db import connection

from tests.factories import TicketFactory
from tickets import selectors
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

NUMBER_PROBE = '"tickets_ticket"."number" = $'


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def runs_enough(run) -> None:
    for _ in range(settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] + 1):
        run()


def test_a_statement_run_often_is_prepared(customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a)

    runs_enough(lambda: Ticket.objects.filter(number=ticket.number).exists())

    assert any(NUMBER_PROBE in statement for statement in prepared_statements())


def test_a_full_text_search_is_never_prepared(engineer, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a, subject="Сертификаты истекли")

    def search_and_probe() -> None:
        found = selectors.ticket_list_for_user(user=engineer, query="сертификат")
        assert [t.number for t in found] == [ticket.number]
        Ticket.objects.filter(number=ticket.number).exists()

    runs_enough(search_and_probe)

    held = prepared_statements()
    assert not any("@@" in statement for statement in held)
    assert any(NUMBER_PROBE in statement for statement in held)  # run as often, and kept
