"""Related tickets (issue 18): engineers link tickets of any organizations; customers see only
the links within their own organization."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests import factories
from tickets import selectors, services
from tickets.errors import ActionNotPermitted
from tickets.models import TicketEvent, TicketLink

Kind = TicketEvent.Kind


@pytest.fixture
def ours(customer, license_a):
    return factories.TicketFactory(customer=customer, license=license_a, subject="Ours too")


@pytest.fixture
def theirs(outsider, license_b):
    return factories.TicketFactory(customer=outsider, license=license_b, subject="Beta's own")


def related(user, ticket):
    return selectors.related_tickets_for_user(
        user=user, ticket=selectors.ticket_for_user(user=user, number=ticket.number)
    )


def test_a_link_is_symmetric_and_stored_once(ticket, ours, engineer):
    services.ticket_link(actor=engineer, ticket=ours, other=ticket)  # the higher id first

    link = TicketLink.objects.get()
    assert (link.low_id, link.high_id) == (ticket.pk, ours.pk)
    assert [t.pk for t in related(engineer, ticket).linked] == [ours.pk]
    assert [t.pk for t in related(engineer, ours).linked] == [ticket.pk]
    for one, other in ((ticket, ours), (ours, ticket)):
        event = TicketEvent.objects.get(ticket=one, kind=Kind.LINKED)
        assert (event.actor, event.data) == (engineer, {"ticket": other.number})


def test_it_refuses_a_pair_linked_already_either_way_round(ticket, ours, engineer):
    services.ticket_link(actor=engineer, ticket=ticket, other=ours)
    for one, other in ((ticket, ours), (ours, ticket)):
        with pytest.raises(ValidationError) as refused:
            services.ticket_link(actor=engineer, ticket=one, other=other)
        assert refused.value.message_dict == {
            "number": [f"{other.number} is linked to this ticket already."]
        }
    assert TicketLink.objects.count() == 1


def test_it_refuses_to_link_a_ticket_to_itself(ticket, engineer):
    with pytest.raises(ValidationError, match="cannot be linked to itself"):
        services.ticket_link(actor=engineer, ticket=ticket, other=ticket)


def test_the_database_keeps_the_pair_ordered(ticket, ours, engineer):
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketLink.objects.create(
            low=ours, high=ticket, created_by=engineer, created_at=ours.updated_at
        )


def test_only_engineers_link_and_unlink(ticket, ours, customer, engineer):
    with pytest.raises(ActionNotPermitted, match="Only support engineers link"):
        services.ticket_link(actor=customer, ticket=ticket, other=ours)
    services.ticket_link(actor=engineer, ticket=ticket, other=ours)
    with pytest.raises(ActionNotPermitted):
        services.ticket_unlink(actor=customer, ticket=ticket, other=ours)
    assert TicketLink.objects.count() == 1


def test_unlinking_removes_the_link_with_an_event_on_both(ticket, ours, engineer):
    services.ticket_link(actor=engineer, ticket=ticket, other=ours)
    services.ticket_unlink(actor=engineer, ticket=ours, other=ticket)
    assert not TicketLink.objects.exists()
    assert TicketEvent.objects.filter(kind=Kind.UNLINKED).count() == 2
    with pytest.raises(ValidationError, match="is not linked to this ticket"):
        services.ticket_unlink(actor=engineer, ticket=ours, other=ticket)


def test_engineers_link_any_organizations_and_customers_see_only_their_own(
    ticket, ours, theirs, customer, outsider, engineer
):
    services.ticket_link(actor=engineer, ticket=ticket, other=theirs)
    services.ticket_link(actor=engineer, ticket=ticket, other=ours)

    assert {t.pk for t in related(engineer, ticket).linked} == {theirs.pk, ours.pk}
    assert [t.pk for t in related(customer, ticket).linked] == [ours.pk]
    assert related(outsider, theirs).linked == []  # Alpha's ticket is not Beta's to know


def test_the_related_tickets_are_one_query(
    ticket, ours, theirs, engineer, django_assert_num_queries
):
    services.ticket_link(actor=engineer, ticket=ticket, other=theirs)
    services.ticket_link(actor=engineer, ticket=ticket, other=ours)
    page_ticket = selectors.ticket_for_user(user=engineer, number=ticket.number)
    with django_assert_num_queries(1):
        found = selectors.related_tickets_for_user(user=engineer, ticket=page_ticket)
    assert len(found.linked) == 2


def test_a_ticket_with_nothing_related_reads_nothing_more(
    ticket, engineer, django_assert_num_queries
):
    page_ticket = selectors.ticket_for_user(user=engineer, number=ticket.number)
    with django_assert_num_queries(0):
        found = selectors.related_tickets_for_user(user=engineer, ticket=page_ticket)
    assert found.linked == []
    assert found.merged_from == []
