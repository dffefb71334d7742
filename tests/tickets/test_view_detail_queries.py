"""The ticket page reads a fixed number of queries, whatever the length of its history.

The shape of issue 14's benchmark ticket: 50 messages, 10 of them with a file, and the events
they leave, read by the engineer (the heavier page: history, assignment form) and by the
customer. The budgets are today's counts; a query per message, file or event breaks them.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory, ticket_in_state
from tickets import services
from tickets.models import Notification, Ticket, TicketEvent

ENGINEER_BUDGET = 8  # user, ticket (with its contact person, and whether it has proposals,
#                      sessions, watchers, related tickets), the ticket's notifications read and
#                      the bell counted (one statement), messages, files, priority proposals,
#                      events, watchers. No sessions here, so no query for them. The session,
#                      SLA targets, priorities and engineers come from the cache (cached_db
#                      sessions, accounts/reference.py).
CUSTOMER_BUDGET = 8  # the same; the colleagues who may be added as watchers and the hotlines
#                      come with the ticket; the events make the customer's readable history
PLAIN_BUDGET = 6  # a ticket without proposals and watchers: user, ticket, notifications,
#                   messages, files, events


@pytest.fixture
def long_ticket(customer, colleague, engineer, engineer2, license_a):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    Ticket.objects.filter(pk=ticket.pk).update(contact_email=colleague.email)
    ticket.refresh_from_db()
    for person in (colleague, engineer2):  # watchers, each named on the page
        services.ticket_follow(actor=person, ticket=ticket)
    for i in range(5):  # colleagues who may be added
        CustomerFactory(organization=customer.organization, email=f"c{i}@alpha.example")
    for i in range(14):  # 28 events: hand-overs, which name people, and priority agreements
        services.ticket_assign(
            actor=engineer, ticket=ticket, engineer=engineer2 if i % 2 else engineer
        )
        ticket.refresh_from_db()
        target = "medium" if ticket.priority_id == "low" else "low"
        change = services.priority_change_propose(
            actor=customer, ticket=ticket, to_priority=target, reason="why"
        )
        services.priority_change_answer(actor=engineer, change=change, accept=i % 3 == 0)
    for i in range(50):
        author = engineer if i % 2 else customer
        files = [SimpleUploadedFile(f"log{i}.txt", b"x")] if i % 5 == 0 else []
        services.message_post(actor=author, ticket=ticket, body=f"Step {i}", files=files)
    return ticket


@pytest.mark.parametrize(
    ("persona", "budget"), [("engineer", ENGINEER_BUDGET), ("customer", CUSTOMER_BUDGET)]
)
def test_the_ticket_page_reads_a_fixed_number_of_queries(
    request, client, long_ticket, persona, budget, django_assert_num_queries
):
    assert long_ticket.messages.count() == 50
    assert long_ticket.attachments.count() == 10
    assert TicketEvent.objects.filter(ticket=long_ticket).count() >= 30
    client.force_login(request.getfixturevalue(persona))
    url = reverse("tickets:detail", args=[long_ticket.number])
    client.get(url)  # the first visit also marks the notifications read
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("log") >= 10


def test_opening_a_ticket_reads_its_notifications_and_the_bell_counts_the_rest(
    client, customer, engineer, license_a, django_assert_num_queries
):
    opened = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    other = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    Notification.objects.filter(recipient=engineer).update(read_at=timezone.now())
    for ticket in (opened, opened, other):
        services.message_post(actor=customer, ticket=ticket, body="Any news?")
    client.force_login(engineer)
    url = reverse("tickets:detail", args=[opened.number])
    client.get(url)  # the reference data read once

    Notification.objects.filter(ticket=opened).update(read_at=None)
    with django_assert_num_queries(PLAIN_BUDGET):
        page = client.get(url).content.decode()

    assert 'data-unread="1"' in page  # the other ticket's message
    unread = Notification.objects.filter(recipient=engineer, read_at__isnull=True)
    assert list(unread.values_list("ticket", flat=True)) == [other.pk]


@pytest.mark.parametrize("persona", ["engineer", "customer"])
def test_a_ticket_without_proposals_or_watchers_costs_no_query_for_them(
    request, client, customer, engineer, license_a, vpn, persona, django_assert_num_queries
):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    Ticket.objects.filter(pk=ticket.pk).update(product_area=vpn)  # a kept row: no query
    services.message_post(actor=customer, ticket=ticket, body="Any news?")
    client.force_login(request.getfixturevalue(persona))
    url = reverse("tickets:detail", args=[ticket.number])
    client.get(url)
    with django_assert_num_queries(PLAIN_BUDGET):
        response = client.get(url)
    assert "Any news?" in response.content.decode()
    assert "<strong>VPN</strong>" in response.content.decode()


def test_the_engineer_reads_the_contact_persons_phone_with_the_ticket(
    client, customer, colleague, engineer, license_a, django_assert_num_queries
):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    type(colleague).objects.filter(pk=colleague.pk).update(phone="+7 495 123-45-67")
    Ticket.objects.filter(pk=ticket.pk).update(contact_email=colleague.email.upper())
    client.force_login(engineer)
    url = reverse("tickets:detail", args=[ticket.number])
    client.get(url)
    with django_assert_num_queries(PLAIN_BUDGET):
        page = client.get(url).content.decode()
    assert 'href="tel:+7 495 123-45-67"' in page
    assert f"{colleague}: " in page


def test_a_customer_reads_the_hotlines_and_colleagues_with_the_ticket(
    client, customer, colleague, engineer, license_b, outsider, django_assert_num_queries
):
    """Platinum (Extended): the organization's hotline is named on the page; the colleagues
    who may follow the ticket are listed; neither costs a query of its own."""
    type(license_b).objects.filter(pk=license_b.pk).update(hotline_phone="+7 495 000-00-01")
    colleague_b = CustomerFactory(organization=outsider.organization, first_name="Bianca")
    ticket = ticket_in_state("in_progress", customer=outsider, engineer=engineer, license=license_b)
    client.force_login(outsider)
    url = reverse("tickets:detail", args=[ticket.number])
    client.get(url)

    with django_assert_num_queries(PLAIN_BUDGET):
        page = client.get(url).content.decode()

    assert 'href="tel:+7495000-00-01"' in page
    assert "(Platinum support) For any priority, 24/7." in page
    assert f'<option value="{colleague_b.pk}">{colleague_b}</option>' in page
    assert str(colleague) not in page  # another organization's
