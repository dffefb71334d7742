"""Watchers (issue 15, part 2): colleagues and engineers follow a ticket and are told of it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tickets import services
from tickets.errors import ActionNotPermitted
from tickets.models import Notification, Watcher

NKind = Notification.Kind


@pytest.fixture
def working(ticket, engineer):
    services.ticket_take(actor=engineer, ticket=ticket)
    ticket.refresh_from_db()
    return ticket


def told(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_a_colleague_who_follows_gets_the_engineers_reply_by_bell_and_mail(
    working, colleague, engineer, django_capture_on_commit_callbacks
):
    assert services.ticket_follow(actor=colleague, ticket=working)
    assert not services.ticket_follow(actor=colleague, ticket=working)  # once
    with django_capture_on_commit_callbacks(execute=True):
        services.message_post(actor=engineer, ticket=working, body="Try 7.2.2")
    assert told(colleague, NKind.REPLY).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@alpha.example", "carol@alpha.example"]


def test_a_customer_watcher_never_hears_of_internal_notes_nor_sla_alerts(
    working, colleague, engineer, engineer2
):
    services.ticket_follow(actor=colleague, ticket=working)
    services.ticket_follow(actor=engineer2, ticket=working)
    services.message_post(actor=engineer, ticket=working, body="Between us", internal=True)
    from tickets.services import automation

    automation.mark_sla(
        tickets=[working], deadline="resolution", breached=False, team=[], now=working.updated_at
    )
    assert not Notification.objects.filter(recipient=colleague).exists()
    assert told(engineer2, NKind.SLA_WARNING).count() == 1


def test_the_actor_is_not_told_of_their_own_action(working, colleague, engineer):
    services.ticket_follow(actor=colleague, ticket=working)
    services.ticket_follow(actor=engineer, ticket=working)  # the assignee, watching as well
    services.message_post(actor=colleague, ticket=working, body="More logs attached")
    assert not told(colleague, NKind.REPLY).exists()
    assert told(engineer, NKind.REPLY).count() == 1  # once, as the assignee


def test_watchers_of_many_tickets_are_found_in_one_query(
    customer, colleague, license_a, engineer, django_assert_num_queries
):
    from tickets.notifications import build_notifications, watcher_rows

    tickets = [factories.TicketFactory(customer=customer, license=license_a) for _ in range(5)]
    for ticket in tickets:
        services.ticket_follow(actor=colleague, ticket=ticket)
    rows = [
        row
        for ticket in tickets
        for row in build_notifications(
            ticket=ticket, kind=NKind.AUTO_CLOSED, recipients=[customer], now=ticket.updated_at
        )
    ]
    with django_assert_num_queries(1):
        extra = watcher_rows(rows)
    assert [row.recipient for row in extra] == [colleague] * 5


def test_a_customer_adds_a_colleague_of_the_same_organization_only(
    ticket, customer, colleague, outsider, engineer
):
    watcher = services.watcher_add(actor=customer, ticket=ticket, user=colleague)
    assert watcher.added_by == customer
    with pytest.raises(ValidationError, match="already follows"):
        services.watcher_add(actor=customer, ticket=ticket, user=colleague)
    with pytest.raises(ValidationError, match="active colleague of Alpha Logistics"):
        services.watcher_add(actor=customer, ticket=ticket, user=outsider)
    with pytest.raises(ValidationError, match="filed this ticket"):
        services.watcher_add(actor=colleague, ticket=ticket, user=customer)
    with pytest.raises(ActionNotPermitted):
        services.watcher_add(actor=engineer, ticket=ticket, user=colleague)
    assert list(Watcher.objects.values_list("user__email", flat=True)) == [colleague.email]


def test_an_outsider_can_neither_follow_nor_add(ticket, outsider):
    with pytest.raises(ActionNotPermitted):
        services.ticket_follow(actor=outsider, ticket=ticket)
    assert not Watcher.objects.exists()


def test_the_page_shows_watchers_and_follows_by_post(client, ticket, colleague, engineer):
    client.force_login(engineer)
    url = reverse("tickets:follow", args=[ticket.number])
    assert client.get(url).status_code == 405
    client.post(url)
    client.force_login(colleague)
    client.post(reverse("tickets:follow", args=[ticket.number]))
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Stop following" in page
    assert "eve@vendor.example" in page
    client.post(reverse("tickets:unfollow", args=[ticket.number]))
    assert list(Watcher.objects.values_list("user", flat=True)) == [engineer.pk]


def test_the_page_adds_and_removes_a_colleague(client, ticket, customer, colleague):
    client.force_login(customer)
    client.post(reverse("tickets:watcher_add", args=[ticket.number]), {"user": colleague.pk})
    assert Watcher.objects.filter(user=colleague).exists()
    remove = reverse("tickets:watcher_remove", args=[ticket.number, colleague.pk])
    client.post(remove)
    assert not Watcher.objects.exists()
    assert client.post(remove).status_code == 404


def test_watcher_pages_answer_404_to_an_outsider_and_send_a_stranger_to_log_in(
    client, ticket, outsider, colleague
):
    urls = [
        reverse("tickets:follow", args=[ticket.number]),
        reverse("tickets:unfollow", args=[ticket.number]),
        reverse("tickets:watcher_add", args=[ticket.number]),
        reverse("tickets:watcher_remove", args=[ticket.number, colleague.pk]),
    ]
    for url in urls:
        assert client.post(url).status_code == 302
    client.force_login(outsider)
    for url in urls:
        assert client.post(url, {"user": outsider.pk}).status_code == 404
    assert not Watcher.objects.exists()
