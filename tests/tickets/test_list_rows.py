"""The ticket list's rows and cards (tickets/templatetags/ticket_rows.py): the same facts as
the table row and as the phone's card, escaped, in the reader's language and time zone."""

import datetime

from django.urls import reverse

from tests.factories import TicketFactory
from tickets.models import Ticket


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
