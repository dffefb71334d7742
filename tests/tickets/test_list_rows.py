"""The ticket list's rows and cards (tickets/templatetags/ticket_rows.py): the same facts as
the table row and as the phone's card, escaped, in the reader's language and time zone."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.models import Notification, Ticket


def test_each_ticket_is_a_row_and_a_card_in_the_readers_language(client, customer, license_a):
    customer.language, customer.time_zone = "ru", "Asia/Vladivostok"
    customer.save()
    ticket = TicketFactory(
        customer=customer, license=license_a, subject="<b>VPN</b> & drops", priority="high"
    )
    at = datetime.datetime(2026, 11, 25, 16, 30, tzinfo=datetime.UTC)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    client.force_login(customer)

    page = client.get(reverse("tickets:list")).content.decode()

    url = reverse("tickets:detail", args=[ticket.number])
    assert f'<td class="text-nowrap"><a href="{url}">{ticket.number}</a></td>' in page
    assert (
        f'<a href="{url}" class="fw-semibold text-nowrap stretched-link">{ticket.number}</a>'
        in page
    )
    assert page.count("&lt;b&gt;VPN&lt;/b&gt; &amp; drops") == 2  # escaped, row and card
    assert "<b>VPN</b>" not in page
    assert page.count('<td class="small">26.11.2026 02:30 +10</td>') == 1
    assert page.count('<span class="small text-body-secondary">26.11.2026 02:30 +10</span>') == 1
    assert page.count(">Зарегистрирована</span>") == 2
    assert page.count(">Высокий</span>") == 2
    assert page.count("у поддержки") >= 2


def test_notifications_show_new_and_read_items_with_or_without_a_ticket(
    client, customer, license_a
):
    customer.language = "ru"
    customer.save()
    ticket = TicketFactory(customer=customer, license=license_a, subject="Шлюз <падает>")
    Notification.objects.filter(recipient=customer).update(read_at=timezone.now())
    Notification.objects.create(
        recipient=customer,
        email=customer.email,
        ticket=None,
        kind=Notification.Kind.SLA_REPORT,
        data={"path": "/reports/7/", "title": "Alpha & Co"},
        created_at=timezone.now(),
    )
    client.force_login(customer)

    page = client.get(reverse("tickets:notifications")).content.decode()

    url = reverse("tickets:detail", args=[ticket.number])
    read = page[page.index(f'<a href="{url}"') - 200 : page.index(f'<a href="{url}"')]
    assert '<li class="list-group-item">' in read  # read: not marked
    assert ": Шлюз &lt;падает&gt;</div>" in page
    assert '<li class="list-group-item unread fw-semibold">' in page
    assert '<a href="/reports/7/" class="fw-semibold">Alpha &amp; Co</a>' in page
    assert '<span class="badge text-bg-primary ms-1">новое</span>' in page
    assert '<div class="text-break">Ежемесячный отчёт SLA</div>' in page  # no ticket: no subject
