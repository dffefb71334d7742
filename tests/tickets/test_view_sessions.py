"""Agreeing a session through HTTP: who may propose, answer or move it; what each page shows."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory
from tickets import services
from tickets.models import SessionProposal, Ticket
from tickets.templatetags.portal import when

Status = SessionProposal.Status
YEKATERINBURG = zoneinfo.ZoneInfo("Asia/Yekaterinburg")
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
HOUR = datetime.timedelta(hours=1)


def tomorrow_at(hour: int, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    day = timezone.localdate(timezone=zone) + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)


def local(value: datetime.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def proposal(ticket, engineer):
    start = tomorrow_at(10, MOSCOW)
    return services.session_propose(
        actor=engineer,
        ticket=ticket,
        method="remote",
        starts_at=start,
        ends_at=start + 2 * HOUR,
        phone="+7 495 000-11-22",
    )


def urls(ticket, proposal):
    return {
        "propose": reverse("tickets:session_propose", args=[ticket.number]),
        "answer": reverse("tickets:session_answer", args=[ticket.number, proposal.pk]),
        "counter": reverse("tickets:session_counter", args=[ticket.number, proposal.pk]),
    }


def propose_url(ticket) -> str:
    return reverse("tickets:session_propose", args=[ticket.number])


def page(client, ticket) -> str:
    return client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()


@pytest.mark.parametrize("name", ["propose", "answer", "counter"])
def test_it_sends_an_anonymous_person_to_log_in(client, ticket, proposal, name):
    response = client.post(urls(ticket, proposal)[name], {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["propose", "answer", "counter"])
def test_it_accepts_only_posts(client, engineer, ticket, proposal, name):
    client.force_login(engineer)
    assert client.get(urls(ticket, proposal)[name]).status_code == 405


@pytest.mark.parametrize("name", ["propose", "answer", "counter"])
def test_it_answers_an_outsider_with_not_found(client, outsider, ticket, proposal, name):
    client.force_login(outsider)
    start = tomorrow_at(12, MOSCOW)
    data = {
        "decision": "accept",
        "session-method": "remote",
        "session-starts_at": local(start),
        "session-ends_at": local(start + HOUR),
        "session_counter-starts_at": local(start),
        "session_counter-ends_at": local(start + HOUR),
    }
    assert client.post(urls(ticket, proposal)[name], data).status_code == 404
    assert list(SessionProposal.objects.values_list("pk", "status")) == [
        (proposal.pk, Status.PENDING)
    ]


def test_it_refuses_a_proposal_of_another_ticket_as_missing(
    client, customer, engineer, license_a, ticket, proposal
):
    other = TicketFactory(customer=customer, license=license_a)
    client.force_login(customer)
    url = reverse("tickets:session_answer", args=[other.number, proposal.pk])
    assert client.post(url, {"decision": "accept"}).status_code == 404
    assert SessionProposal.objects.get(pk=proposal.pk).status == Status.PENDING


def test_it_refuses_a_customers_proposal_and_keeps_what_was_typed(client, customer, ticket):
    client.force_login(customer)
    start = tomorrow_at(10, MOSCOW)
    response = client.post(
        propose_url(ticket),
        {
            "session-method": "remote",
            "session-starts_at": local(start),
            "session-ends_at": local(start + HOUR),
            "session-note": "Could we do it by video?",
        },
    )
    assert response.status_code == 302
    assert "Could we do it by video?" in client.get(response["Location"]).content.decode()
    assert not ticket.sessions.exists()


def test_it_refuses_an_answer_from_the_proposing_side(client, engineer2, ticket, proposal):
    client.force_login(engineer2)
    response = client.post(urls(ticket, proposal)["answer"], {"decision": "accept"})
    assert response.status_code == 302
    assert "The other side" in client.get(response["Location"]).content.decode()
    assert SessionProposal.objects.get(pk=proposal.pk).status == Status.PENDING


def test_it_reads_the_times_in_the_engineers_own_time_zone(client, engineer, ticket):
    engineer.time_zone = "Asia/Yekaterinburg"
    engineer.save()
    client.force_login(engineer)
    start = tomorrow_at(9, YEKATERINBURG)
    response = client.post(
        propose_url(ticket),
        {
            "session-method": "remote",
            "session-starts_at": local(start),
            "session-ends_at": local(start + 2 * HOUR),
            "session-phone": "+7 343 000-00-00",
        },
    )
    assert response.status_code == 302
    proposal = ticket.sessions.get()
    assert (proposal.starts_at, proposal.ends_at) == (start, start + 2 * HOUR)
    assert proposal.phone == "+7 343 000-00-00"


def test_it_keeps_the_engineers_text_when_the_window_is_refused(client, engineer, ticket):
    client.force_login(engineer)
    start = tomorrow_at(10, MOSCOW)
    response = client.post(
        propose_url(ticket),
        {
            "session-method": "remote",
            "session-starts_at": local(start),
            "session-ends_at": local(start - HOUR),
            "session-note": "Bring the admin password.",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The session must end after it starts." in body
    assert "Bring the admin password." in body
    assert '<details open id="propose-session"' in body
    assert not ticket.sessions.exists()


def test_it_offers_the_phone_only_on_extended_tiers(client, engineer, ticket):
    client.force_login(engineer)
    assert 'value="phone"' not in page(client, ticket).split('id="propose-session"')[1]


def test_it_shows_the_pending_proposal_and_lets_the_customer_accept(
    client, customer, engineer, ticket, proposal
):
    client.force_login(customer)
    body = page(client, ticket)
    assert 'id="pending-session"' in body
    assert 'id="session-accept-button"' in body
    assert "+7 495 000-11-22" in body
    response = client.post(urls(ticket, proposal)["answer"], {"decision": "accept"})
    assert response.status_code == 302
    assert SessionProposal.objects.get(pk=proposal.pk).status == Status.ACCEPTED
    assert Ticket.objects.get(pk=ticket.pk).handling_method == "remote"


def test_it_shows_the_agreed_session_on_both_sides_in_each_viewers_zone(
    client, customer, engineer, ticket, proposal
):
    engineer.time_zone = "Asia/Yekaterinburg"
    engineer.save()
    services.session_answer(actor=customer, proposal=proposal, accept=True)
    for person, zone in ((customer, MOSCOW), (engineer, YEKATERINBURG)):
        client.force_login(person)
        body = page(client, ticket)
        assert f'id="agreed-session-{proposal.pk}"' in body
        assert 'id="pending-session"' not in body
        with timezone.override(zone):
            assert when(proposal.starts_at) in body
            assert when(proposal.ends_at) in body
        assert "+7 495 000-11-22" in body


def test_it_shows_the_engineer_that_the_customer_is_to_answer(client, engineer, ticket, proposal):
    client.force_login(engineer)
    body = page(client, ticket)
    assert "Waiting for the other side to answer." in body
    assert 'id="session-accept-button"' not in body


def test_it_keeps_the_customers_words_when_a_decline_has_no_reason(
    client, customer, ticket, proposal
):
    client.force_login(customer)
    response = client.post(
        urls(ticket, proposal)["answer"], {"decision": "decline", "session_answer-note": " "}
    )
    assert response.status_code == 400
    assert "Say why the proposed session does not suit." in response.content.decode()
    response = client.post(
        urls(ticket, proposal)["answer"],
        {"decision": "decline", "session_answer-note": "We are closed tomorrow."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer_note) == (Status.DECLINED, "We are closed tomorrow.")


def test_it_keeps_the_text_of_an_answer_that_came_too_late(
    client, customer, colleague, ticket, proposal
):
    services.session_answer(actor=colleague, proposal=proposal, accept=True)
    client.force_login(customer)
    response = client.post(
        urls(ticket, proposal)["answer"],
        {"decision": "decline", "session_answer-note": "Tomorrow is a holiday."},
    )
    assert response.status_code == 302
    assert "Tomorrow is a holiday." in client.get(response["Location"]).content.decode()


def test_it_lets_the_customer_propose_another_time(client, customer, engineer, ticket, proposal):
    client.force_login(customer)
    start = tomorrow_at(15, MOSCOW)
    response = client.post(
        urls(ticket, proposal)["counter"],
        {
            "session_counter-starts_at": local(start),
            "session_counter-ends_at": local(start + HOUR),
            "session_counter-note": "After lunch, please.",
        },
    )
    assert response.status_code == 302
    counter = ticket.sessions.get(status=Status.PENDING)
    assert (counter.starts_at, counter.replaces, counter.side) == (start, proposal, "customer")
    client.force_login(engineer)
    body = page(client, ticket)
    assert 'id="session-accept-button"' in body
    assert 'id="propose-session"' not in body  # the customer's time is answered first


def test_it_refuses_a_post_without_the_csrf_token(customer, ticket, proposal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    response = client.post(urls(ticket, proposal)["answer"], {"decision": "accept"})
    assert response.status_code == 403
    assert SessionProposal.objects.get(pk=proposal.pk).status == Status.PENDING
