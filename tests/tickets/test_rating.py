"""Satisfaction (CSAT): a closed ticket is rated once, on the portal or from the mail's link."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import ticket_in_state
from tickets import jobs, services
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.mail import render_email
from tickets.models import Notification, TicketRating
from tickets.rating_links import rating_token


@pytest.fixture
def client(client, settings):
    """The link's pages are read signed out: in English here (the browser's choice)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def closed(customer, engineer, license_a):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    services.ticket_confirm(actor=customer, ticket=ticket)
    ticket.refresh_from_db()
    return ticket


def link_of(notification, score):
    body = render_email(notification).body
    return re.search(rf"^{score}: (\S+)$", body, re.MULTILINE).group(1)


def test_it_mails_the_customer_signed_rating_links_when_the_ticket_closes(closed, customer):
    notification = Notification.objects.get(kind=Notification.Kind.CLOSED)
    assert notification.recipient == customer
    mail = render_email(notification)
    assert "How well did we help?" in mail.body
    html = mail.alternatives[0][0]
    assert html.count('class="rating-link"') == 5
    assert link_of(notification, 5).endswith("?score=5")


def test_it_mails_the_links_with_the_auto_close_too(customer, engineer, license_a):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    jobs.auto_close(now=ticket.auto_close_at + datetime.timedelta(seconds=1))
    notification = Notification.objects.get(kind=Notification.Kind.AUTO_CLOSED)
    assert "?score=3" in link_of(notification, 3)


def test_it_rates_from_the_link_without_signing_in(client, closed, customer):
    url = link_of(Notification.objects.get(kind=Notification.Kind.CLOSED), 4)
    path = url.split("://", 1)[-1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200
    assert 'value="4" id="score-4" autocomplete="off" checked' in page.content.decode()
    response = client.post("/" + path.split("?")[0], {"score": "4", "comment": "Fast, thanks"})
    assert 'id="rating-done"' in response.content.decode()
    rating = TicketRating.objects.get()
    assert (rating.score, rating.comment, rating.via, rating.rated_by) == (
        4,
        "Fast, thanks",
        "mail",
        customer,
    )


def test_it_refuses_a_second_rating(client, closed, customer):
    services.ticket_rate(actor=customer, ticket=closed, score=5)
    with pytest.raises(ActionNotAllowedNow, match="rated already"):
        services.ticket_rate(actor=customer, ticket=closed, score=1)
    client.force_login(customer)
    response = client.post(reverse("tickets:rate", args=[closed.number]), {"score": "1"})
    assert response.status_code == 302
    assert TicketRating.objects.get().score == 5
    token = rating_token(ticket=closed, customer=customer)
    page = client.get(reverse("tickets:rate_by_link", args=[token])).content.decode()
    assert "rated already" in page


def test_it_refuses_a_forged_link_with_a_clear_page(client, closed, customer):
    token = rating_token(ticket=closed, customer=customer)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = client.get(reverse("tickets:rate_by_link", args=[forged]))
    assert response.status_code == 400
    assert "This rating link is not valid" in response.content.decode()
    response = client.post(reverse("tickets:rate_by_link", args=[forged]), {"score": "5"})
    assert response.status_code == 400
    assert not TicketRating.objects.exists()


def test_it_refuses_an_expired_link_with_a_clear_page(client, closed, customer, settings):
    token = rating_token(ticket=closed, customer=customer)
    later = timezone.now() + datetime.timedelta(seconds=settings.RATING_LINK_MAX_AGE + 60)
    with time_machine.travel(later):
        response = client.post(reverse("tickets:rate_by_link", args=[token]), {"score": "5"})
    assert response.status_code == 400
    assert "This rating link is too old" in response.content.decode()
    assert not TicketRating.objects.exists()


def test_it_rates_on_the_portal_and_shows_the_rating(client, closed, customer, outsider):
    client.force_login(outsider)
    assert (
        client.post(reverse("tickets:rate", args=[closed.number]), {"score": "5"}).status_code
        == 404
    )
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[closed.number])).content.decode()
    assert 'id="rate-form"' in page
    client.post(reverse("tickets:rate", args=[closed.number]), {"score": "2", "comment": "Slow"})
    page = client.get(reverse("tickets:detail", args=[closed.number])).content.decode()
    assert "Rated 2 of 5." in page
    assert 'id="rate-form"' not in page


@pytest.mark.parametrize("score", [None, "", "0", "6", "five"])
def test_it_refuses_a_score_outside_1_to_5(closed, customer, score):
    with pytest.raises(ValidationError):
        services.ticket_rate(actor=customer, ticket=closed, score=score)
    assert not TicketRating.objects.exists()


def test_it_refuses_to_rate_an_open_or_withdrawn_ticket(customer, engineer, license_a):
    open_ticket = ticket_in_state(
        "resolved", customer=customer, engineer=engineer, license=license_a
    )
    withdrawn = ticket_in_state("closed", customer=customer, engineer=engineer, license=license_a)
    for ticket in (open_ticket, withdrawn):
        with pytest.raises(ActionNotAllowedNow):
            services.ticket_rate(actor=customer, ticket=ticket, score=5)


def test_it_lets_only_the_customers_side_rate(closed, engineer, outsider):
    for person in (engineer, outsider):
        with pytest.raises(ActionNotPermitted):
            services.ticket_rate(actor=person, ticket=closed, score=5)


def test_it_answers_rate_with_405_on_get_and_login_for_anonymous(client, closed):
    url = reverse("tickets:rate", args=[closed.number])
    assert client.post(url, {"score": "5"})["Location"].startswith("/accounts/login/")
    client.force_login(closed.customer)
    assert client.get(url).status_code == 405
