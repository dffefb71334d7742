"""Merging a duplicate into another ticket (issue 18): the service, its refusals, who is told."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from tests import factories
from tests.factories import ticket_in_state
from tickets import services
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.models import (
    CloseReason,
    Notification,
    PriorityChange,
    State,
    Ticket,
    TicketEvent,
    Watcher,
)
from tickets.services.rating import may_be_rated

Kind = TicketEvent.Kind


@pytest.fixture
def target(customer, license_a):
    return factories.TicketFactory(customer=customer, license=license_a, subject="VPN drops")


@pytest.fixture
def duplicate(colleague, license_a):
    return factories.TicketFactory(customer=colleague, license=license_a, subject="VPN drops too")


def fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


def test_it_closes_the_duplicate_with_a_link_and_stops_its_clock(
    duplicate, target, engineer, customer
):
    services.ticket_take(actor=engineer, ticket=duplicate)
    services.ticket_request_info(actor=engineer, ticket=duplicate, body="Logs, please.")
    duplicate.refresh_from_db()
    assert duplicate.resolution_paused_at is not None
    assert duplicate.auto_close_at is not None

    services.ticket_merge(actor=engineer, ticket=duplicate, into=target)

    merged = fresh(duplicate)
    assert merged.state == State.CLOSED
    assert merged.close_reason == CloseReason.DUPLICATE
    assert merged.merged_into_id == target.pk
    assert merged.closed_at is not None
    # The clock stopped: no pause left open, nothing for the jobs to close or sort.
    assert merged.resolution_paused_at is None
    assert merged.auto_close_at is None
    assert merged.queue_due is None
    assert not Ticket.objects.open().filter(pk=duplicate.pk).exists()
    assert not may_be_rated(merged)  # a duplicate asks for no rating
    assert fresh(target).state == State.REGISTERED


def test_it_writes_an_event_on_both_tickets(duplicate, target, engineer):
    services.ticket_merge(actor=engineer, ticket=duplicate, into=target)

    merge = TicketEvent.objects.get(ticket=duplicate, kind=Kind.MERGE)
    assert (merge.actor, merge.from_state, merge.to_state) == (engineer, "registered", "closed")
    assert merge.data["into"] == target.number
    merged_from = TicketEvent.objects.get(ticket=target, kind=Kind.MERGED_FROM)
    assert merged_from.actor == engineer
    assert merged_from.data["ticket"] == duplicate.number


def test_it_tells_the_duplicates_customer_by_bell_and_mail(
    duplicate, target, engineer, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_merge(actor=engineer, ticket=duplicate, into=target)

    told = Notification.objects.get(recipient=colleague, kind=Notification.Kind.MERGED)
    assert told.ticket_id == duplicate.pk
    assert told.data == {"into": target.number}
    sent = [m for m in mail.outbox if m.to == [colleague.email]]
    assert len(sent) == 1
    assert duplicate.number in sent[0].subject
    assert f"the work goes on in {target.number}" in sent[0].body


def test_the_duplicates_watchers_are_told_and_follow_the_target(
    duplicate, target, engineer, engineer2, customer, colleague
):
    for person in (engineer, engineer2, customer):  # customer: the target's own customer
        services.ticket_follow(actor=person, ticket=duplicate)

    services.ticket_merge(actor=engineer, ticket=duplicate, into=target)

    merged = Notification.objects.filter(ticket=duplicate, kind=Notification.Kind.MERGED)
    assert set(merged.values_list("recipient_id", flat=True)) == {
        colleague.pk,  # the duplicate's customer
        engineer2.pk,
        customer.pk,  # watchers; not the engineer who merged: it was their own act
    }
    # The watchers and the duplicate's customer follow the target; its own customer needs not.
    following = set(Watcher.objects.filter(ticket=target).values_list("user_id", flat=True))
    assert following == {engineer.pk, engineer2.pk, colleague.pk}
    event = TicketEvent.objects.get(ticket=target, kind=Kind.MERGED_FROM)
    assert event.data["watchers_added"] == 3


def test_it_withdraws_the_duplicates_pending_proposal(duplicate, target, engineer, colleague):
    services.ticket_take(actor=engineer, ticket=duplicate)
    change = services.priority_change_propose(
        actor=colleague, ticket=duplicate, to_priority="critical", reason="It got worse"
    )
    duplicate.refresh_from_db()

    services.ticket_merge(actor=engineer, ticket=duplicate, into=target)

    change.refresh_from_db()
    assert change.status == PriorityChange.Status.WITHDRAWN
    assert TicketEvent.objects.filter(ticket=duplicate, kind=Kind.PRIORITY_WITHDRAWN).exists()


def test_it_refuses_to_merge_a_ticket_into_itself(duplicate, engineer):
    with pytest.raises(ValidationError) as refused:
        services.ticket_merge(actor=engineer, ticket=duplicate, into=duplicate)
    assert refused.value.message_dict == {"into": ["A ticket cannot be merged into itself."]}
    assert fresh(duplicate).state == State.REGISTERED


def test_it_refuses_a_closed_target(duplicate, customer, engineer, license_a):
    closed = ticket_in_state("closed", customer=customer, engineer=engineer, license=license_a)
    with pytest.raises(ValidationError) as refused:
        services.ticket_merge(actor=engineer, ticket=duplicate, into=closed)
    assert refused.value.message_dict == {
        "into": [f"{closed.number} is closed: merge only into an open ticket."]
    }
    assert fresh(duplicate).state == State.REGISTERED


def test_it_refuses_a_target_that_was_merged_itself(duplicate, target, customer, engineer):
    third = factories.TicketFactory(customer=customer, license=target.license)
    services.ticket_merge(actor=engineer, ticket=target, into=third)
    with pytest.raises(ValidationError) as refused:
        services.ticket_merge(actor=engineer, ticket=duplicate, into=fresh(target))
    assert "was itself merged into another ticket" in refused.value.message_dict["into"][0]


def test_it_refuses_to_merge_across_organizations(duplicate, outsider, engineer, license_b):
    theirs = factories.TicketFactory(customer=outsider, license=license_b)
    with pytest.raises(ValidationError) as refused:
        services.ticket_merge(actor=engineer, ticket=duplicate, into=theirs)
    assert "belongs to another organization" in refused.value.message_dict["into"][0]
    assert fresh(duplicate).merged_into_id is None


def test_it_refuses_a_ticket_closed_already(customer, engineer, license_a, target):
    closed = ticket_in_state("closed", customer=customer, engineer=engineer, license=license_a)
    with pytest.raises(ActionNotAllowedNow, match="closed already"):
        services.ticket_merge(actor=engineer, ticket=closed, into=target)


def test_only_engineers_merge(duplicate, target, customer, colleague):
    for person in (customer, colleague):
        with pytest.raises(ActionNotPermitted, match="Only support engineers merge"):
            services.ticket_merge(actor=person, ticket=duplicate, into=target)
    assert fresh(duplicate).state == State.REGISTERED


def test_an_outsider_learns_nothing(duplicate, target, outsider):
    with pytest.raises(ActionNotPermitted, match="not allowed to act on this ticket"):
        services.ticket_merge(actor=outsider, ticket=duplicate, into=target)


def test_the_database_keeps_a_merged_ticket_a_closed_duplicate(duplicate, target):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=duplicate.pk).update(merged_into=target)
