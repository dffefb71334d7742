"""Post/redirect/get after a refused action: the URL becomes the ticket page; a reload is safe."""

from django.urls import reverse

from tickets import services
from tickets.models import Ticket


def test_it_sends_the_second_engineer_taking_a_ticket_to_the_ticket_page(
    client, engineer, engineer2, ticket
):
    services.ticket_take(actor=engineer2, ticket=ticket)  # the colleague was quicker
    client.force_login(engineer)
    response = client.post(reverse("tickets:take", args=[ticket.number]))
    detail = reverse("tickets:detail", args=[ticket.number])
    assert response.status_code == 302
    assert response["Location"] == detail  # not /take/: a reload cannot send it again
    page = client.get(detail)
    assert page.status_code == 200
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    assert Ticket.objects.get(pk=ticket.pk).assignee == engineer2


def test_it_keeps_a_refused_reply_once_and_says_files_were_not_kept(client, customer, ticket):
    services.ticket_withdraw(actor=customer, ticket=ticket, reason="Solved it ourselves.")
    client.force_login(customer)
    response = client.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"reply-body": "One more detail: it fails on Mondays."},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "One more detail: it fails on Mondays." in page
    again = client.get(response["Location"]).content.decode()
    assert "One more detail: it fails on Mondays." not in again


def test_it_refuses_the_take_in_the_engineers_language(client, engineer, engineer2, ticket):
    engineer.language = "ru"
    engineer.save(update_fields=["language"])
    services.ticket_take(actor=engineer2, ticket=ticket)
    client.force_login(engineer)
    response = client.post(reverse("tickets:take", args=[ticket.number]), follow=True)
    message = str(next(iter(response.context["messages"])))
    assert response.redirect_chain[-1][0] == reverse("tickets:detail", args=[ticket.number])
    assert not any(word in message for word in ("ticket", "cannot", "take"))
    assert any("а" <= letter <= "я" for letter in message.lower())
