"""Concurrent-edit protection (issue 18): a reply, note, request or resolution written on a page
that another person's change has outdated is not applied; the form comes back with the text and
what changed, and sending it again goes through. The person's own changes never count."""

import pytest
from django.urls import reverse

from tests.factories import ticket_in_state
from tickets import services
from tickets.models import Message, State, Ticket

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def working(customer, engineer, license_a):
    return ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)


def seen_on_page(client, ticket):
    """The marker the ticket page hands its writing forms, as the browser would send it."""
    response = client.get(reverse("tickets:detail", args=[ticket.number]))
    assert response.status_code == 200
    seen = response.context["seen"]
    assert f'name="seen" value="{seen}"' in response.content.decode()
    return seen


def reply(client, ticket, body, seen, **extra):
    data = {"reply-body": body, "seen": seen, **extra}
    return client.post(reverse("tickets:reply", args=[ticket.number]), data)


def changes_of(response):
    return [str(change.text) for change in response.context["changes"]]


def test_it_refuses_an_engineers_reply_after_a_colleagues_reply_and_keeps_the_text(
    client, engineer, engineer2, working
):
    client.force_login(engineer)
    seen = seen_on_page(client, working)
    services.message_post(actor=engineer2, ticket=working, body="Restarted the tunnel.")

    response = reply(client, working, "Please restart the tunnel.", seen)

    assert response.status_code == 409
    assert changes_of(response) == ["Frank replied"]
    page = response.content.decode()
    assert "Please restart the tunnel." in page  # the text, in its form
    assert "Restarted the tunnel." in page  # the colleague's reply, now on the page
    assert 'id="changed-meanwhile"' in page
    assert not Message.objects.filter(body="Please restart the tunnel.").exists()

    again = reply(client, working, "Please restart the tunnel.", response.context["seen"])
    assert again.status_code == 302
    assert Message.objects.filter(body="Please restart the tunnel.", author=engineer).exists()


def test_it_names_a_state_change_and_an_assignment_by_others(
    client, customer, engineer, engineer2, working
):
    client.force_login(engineer)
    seen = seen_on_page(client, working)
    services.ticket_assign(actor=engineer2, ticket=working, engineer=engineer2)
    working.refresh_from_db()
    services.ticket_request_info(actor=engineer2, ticket=working, body="Which version?")

    response = reply(client, working, "A note on the config.", seen, internal="1")

    assert response.status_code == 409
    assert changes_of(response) == [  # oldest first; a message before the event of its time
        "Assigned to Frank (Frank)",
        "Frank wrote: Information request",
        "State changed to Awaiting customer (Frank)",
    ]
    assert "A note on the config." in response.content.decode()
    assert not Message.objects.filter(body="A note on the config.").exists()


def test_the_persons_own_changes_do_not_count(client, engineer, working):
    client.force_login(engineer)
    seen = seen_on_page(client, working)
    services.message_post(actor=engineer, ticket=working, body="First thought.")  # another tab
    services.message_post(actor=engineer, ticket=working, body="Internal.", internal=True)

    response = reply(client, working, "Second thought.", seen)

    assert response.status_code == 302
    assert Message.objects.filter(body="Second thought.").exists()


def test_it_refuses_a_resolution_after_a_priority_change_and_lets_it_through_again(
    client, customer, engineer, engineer2, working
):
    client.force_login(engineer)
    seen = seen_on_page(client, working)
    change = services.priority_change_propose(
        actor=customer, ticket=working, to_priority="critical", reason="Production is down."
    )
    services.priority_change_answer(actor=engineer2, change=change, accept=True)
    url = reverse("tickets:resolve", args=[working.number])

    response = client.post(url, {"resolve-result": "Replaced the certificate.", "seen": seen})

    assert response.status_code == 409
    assert changes_of(response) == ["Priority changed to Critical"]
    assert "Replaced the certificate." in response.content.decode()
    assert Ticket.objects.get(pk=working.pk).state == State.IN_PROGRESS
    fresh = response.context["seen"]
    again = client.post(url, {"resolve-result": "Replaced the certificate.", "seen": fresh})
    assert again.status_code == 302
    assert Ticket.objects.get(pk=working.pk).state == State.RESOLVED


def test_a_resolution_the_ticket_no_longer_allows_gets_the_usual_refusal_with_the_text(
    client, customer, engineer, working
):
    client.force_login(engineer)
    seen = seen_on_page(client, working)
    services.ticket_withdraw(actor=customer, ticket=working, reason="Found it ourselves.")

    response = client.post(
        reverse("tickets:resolve", args=[working.number]),
        {"resolve-result": "Replaced the certificate.", "seen": seen},
        follow=True,
    )

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("tickets:detail", args=[working.number])
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "Replaced the certificate." in page  # the "not sent" box keeps it
    assert 'id="changed-meanwhile"' not in page


def test_it_refuses_a_customers_reply_after_the_engineers_reply_but_not_after_a_note(
    client, customer, engineer, working
):
    client.force_login(customer)
    seen = seen_on_page(client, working)
    services.message_post(actor=engineer, ticket=working, body="Checking.", internal=True)

    quiet = reply(client, working, "It failed again at 14:00.", seen)
    assert quiet.status_code == 302  # the customer never saw the note: nothing changed for them

    seen = seen_on_page(client, working)
    services.message_post(actor=engineer, ticket=working, body="Please send the logs.")
    response = reply(client, working, "It fails on Mondays.", seen)

    assert response.status_code == 409
    assert changes_of(response) == ["Eve replied"]
    assert "It fails on Mondays." in response.content.decode()
    assert "Checking." not in response.content.decode()
    again = reply(client, working, "It fails on Mondays.", response.context["seen"])
    assert again.status_code == 302
    assert Message.objects.filter(body="It fails on Mondays.", author=customer).exists()


def test_a_customers_dispute_is_refused_after_a_colleagues_reply(
    client, customer, colleague, engineer, license_a
):
    resolved = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    client.force_login(customer)
    seen = seen_on_page(client, resolved)
    services.message_post(actor=colleague, ticket=resolved, body="Works for me now.")
    url = reverse("tickets:dispute", args=[resolved.number])

    response = client.post(url, {"dispute-reason": "Still drops hourly.", "seen": seen})

    assert response.status_code == 409
    assert changes_of(response) == ["Carol replied"]
    assert "Still drops hourly." in response.content.decode()
    assert Ticket.objects.get(pk=resolved.pk).state == State.RESOLVED


def test_a_form_without_the_marker_acts_as_before(client, engineer, engineer2, working):
    client.force_login(engineer)
    services.message_post(actor=engineer2, ticket=working, body="Restarted the tunnel.")
    response = client.post(
        reverse("tickets:reply", args=[working.number]), {"reply-body": "And now?"}
    )
    assert response.status_code == 302
    assert Message.objects.filter(body="And now?").exists()


def test_a_success_names_the_forms_draft_for_the_next_page_only(client, customer, working):
    client.force_login(customer)
    seen = seen_on_page(client, working)
    detail = reverse("tickets:detail", args=[working.number])
    key = f"{customer.pk}:{working.number}:reply"
    assert f'data-draft-key="{key}"' in client.get(detail).content.decode()

    response = reply(client, working, "It failed again at 14:00.", seen)

    assert response.status_code == 302
    assert f'data-drafts-done="{key}"' in client.get(detail).content.decode()
    assert 'data-drafts-done=""' in client.get(detail).content.decode()


def test_a_refused_reply_keeps_its_draft(client, customer, engineer, working):
    client.force_login(customer)
    seen = seen_on_page(client, working)
    services.message_post(actor=engineer, ticket=working, body="Please send the logs.")
    response = reply(client, working, "It fails on Mondays.", seen)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-drafts-done=""' in page
    assert "data-draft-bound" in page  # the typed text is newer than any draft


def test_filing_a_ticket_names_the_new_tickets_draft(client, customer, license_a):
    client.force_login(customer)
    new = reverse("tickets:new")
    key = f"{customer.pk}:new:ticket"
    assert f'data-draft-key="{key}"' in client.get(new).content.decode()
    response = client.post(
        new,
        {
            "license_key": license_a.key,
            "product_version": "7.2.1",
            "priority": "high",
            "subject": "VPN tunnel drops",
            "description": "Every hour.",
            "diagnostics": "Rebooted.",
            "contact_email": customer.email,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert f'data-drafts-done="{key}"' in client.get(response["Location"]).content.decode()
