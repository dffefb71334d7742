"""Admin change lists: the key columns fit a 1366 px screen, titles read as whole sentences."""

from django.urls import reverse

from tickets import services


def test_it_lists_events_by_ticket_number_without_the_subject(client, admin_user, ticket, engineer):
    services.ticket_take(actor=engineer, ticket=ticket)
    client.force_login(admin_user)
    response = client.get(reverse("admin:tickets_ticketevent_changelist"))
    page = response.content.decode()
    assert ticket.number in page
    assert ticket.subject not in page  # the subject pushed "state after" off-screen
    assert "column-to_state" in page


def test_it_titles_the_ticket_list_as_a_whole_sentence(client, admin_user, ticket):
    client.force_login(admin_user)
    response = client.get(reverse("admin:tickets_ticket_changelist"))
    assert response.context["title"] == "Select a ticket to change"
    assert ticket.number in response.content.decode()
