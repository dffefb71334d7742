"""Reads compiled once per process (helpdesk/compiled.py): the same rows as the plain
queryset for every value bound, the visibility rule kept, no compile after the first use, and
a builder that would change a value on its way into the SQL refused."""

import datetime
import threading

import pytest
from django.db import connections
from django.db.models import Exists, OuterRef
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404

from accounts.backends import PortalAuthenticationBackend
from helpdesk.compiled import CompiledRead, Slot
from tests.factories import LicenseFactory, TicketFactory
from tickets import selectors
from tickets.models import Ticket, TicketLink, Watcher

pytestmark = pytest.mark.django_db


def by_number():
    return CompiledRead(
        lambda number: (
            Ticket.objects.select_related("customer", "license")
            .annotate(has_watchers=Exists(Watcher.objects.filter(ticket=OuterRef("pk"))))
            .filter(number=number)
        ),
        number=Slot("text"),
    )


def test_it_reads_what_the_plain_queryset_reads_for_each_value(customer, license_a, colleague):
    first = TicketFactory(customer=customer, license=license_a, subject="VPN drops")
    second = TicketFactory(customer=customer, license=license_a, subject="Backup fails")
    Watcher.objects.create(ticket=second, user=colleague, created_at=second.registered_at)
    read = by_number()

    for ticket in (first, second, first):
        [row] = read.rows(number=ticket.number)
        plain = Ticket.objects.select_related("customer", "license").get(pk=ticket.pk)
        assert (row.pk, row.subject, row.registered_at) == (
            plain.pk,
            plain.subject,
            plain.registered_at,
        )
        assert row.customer.email == customer.email  # select_related, no query
        assert row.license.key == license_a.key
        assert row.has_watchers == (ticket == second)
    assert read.rows(number="SUP-NO-SUCH") == []


def test_after_the_first_use_nothing_is_compiled(customer, license_a, monkeypatch):
    ticket = TicketFactory(customer=customer, license=license_a)
    read = by_number()
    read.rows(number=ticket.number)
    compiled = []
    as_sql = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or as_sql(self, *a, **k)
    )

    [row] = read.rows(number=ticket.number)

    assert row.pk == ticket.pk
    assert compiled == []


def test_the_ticket_page_read_keeps_the_visibility_rule(customer, outsider, engineer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a)

    for _ in range(3):  # the compiled statements, used again
        assert selectors.ticket_for_user(user=customer, number=ticket.number).pk == ticket.pk
        assert selectors.ticket_for_user(user=engineer, number=ticket.number).pk == ticket.pk
        with pytest.raises(Http404):
            selectors.ticket_for_user(user=outsider, number=ticket.number)


def test_the_ticket_page_read_has_its_flags_and_the_contact_person(
    customer, colleague, engineer, license_a
):
    plain = TicketFactory(customer=customer, license=license_a)
    linked = TicketFactory(customer=customer, license=license_a, contact_email=colleague.email)
    TicketLink.objects.create(
        low=plain, high=linked, created_at=plain.registered_at, created_by=engineer
    )

    read = selectors.ticket_for_user(user=engineer, number=linked.number)
    assert selectors.has_related(read)
    assert selectors.contact_person(ticket=read).email == colleague.email
    assert read.tier.pk == license_a.tier_id  # the kept reference attached
    read = selectors.ticket_for_user(user=customer, number=linked.number)
    assert selectors.has_related(read)
    assert not hasattr(read, "contact_row")  # customers' statement has no contact


def test_a_day_and_an_organization_bound(customer, outsider, org_a):
    day = datetime.date(2026, 12, 7)
    LicenseFactory(
        organization=org_a,
        key="ALPHA-HOT",
        tier_id="platinum",
        hotline_phone="+7 495 000-00-00",
        support_starts_on=day,
        support_ends_on=day + datetime.timedelta(days=30),
    )

    assert [lic.key for lic in selectors.hotlines_for(user=customer, day=day)] == ["ALPHA-HOT"]
    before = day - datetime.timedelta(days=1)
    assert selectors.hotlines_for(user=customer, day=before) == []
    assert selectors.hotlines_for(user=outsider, day=day) == []


def test_the_signed_in_person_is_read_with_the_organization_and_second_factor(customer):
    backend = PortalAuthenticationBackend()

    for _ in range(2):
        person = backend.get_user(customer.pk)
        assert person.pk == customer.pk
        assert person.organization.name == "Alpha Logistics"
        assert person.has_second_factor is False
    assert backend.get_user(customer.pk + 1000) is None


@pytest.mark.django_db(transaction=True)
def test_another_thread_reads_on_its_own_connection(reference_data, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a)
    read = by_number()
    read.rows(number=ticket.number)  # compiled on this thread's connection
    found = []

    def other_thread() -> None:
        its_connection = connections["default"]
        try:
            found.append((read.rows(number=ticket.number)[0].pk, its_connection))
        finally:
            its_connection.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()

    [(pk, its_connection)] = found
    assert pk == ticket.pk
    assert its_connection is not connections["default"]  # not this thread's


def test_a_value_changed_on_its_way_into_the_sql_is_refused():
    contains = CompiledRead(
        lambda words: Ticket.objects.filter(subject__icontains=words), words=Slot("text")
    )

    with pytest.raises(ValueError, match="is not among the statement's parameters"):
        contains.rows(words="VPN")


def test_a_value_of_another_type_is_refused():
    read = CompiledRead(lambda pk: Ticket.objects.filter(pk=pk), pk=Slot("number"))

    with pytest.raises(TypeError, match="takes int"):
        read.rows(pk="1")
    with pytest.raises(TypeError, match="takes int"):
        read.rows(pk=True)
    with pytest.raises(TypeError, match="expected"):
        read.rows(number=1)
