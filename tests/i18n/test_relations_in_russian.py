"""Merged and related tickets (issue 18) in Russian: the pages of both sides and the mail."""

from django.urls import reverse

from tests.i18n.test_no_english_on_russian_pages import english_words, russian, russian_ticket
from tickets import services
from tickets.mail import render_email
from tickets.models import Notification

__all__ = ["russian"]  # the fixture, used by name


def test_the_merged_and_related_tickets_have_no_english(client, russian, engineer, license_a):
    target = russian_ticket(russian, license_a)
    duplicate = russian_ticket(russian, license_a)
    services.message_post(actor=russian, ticket=duplicate, body="И на втором узле.")
    services.ticket_merge(actor=engineer, ticket=duplicate, into=target)
    services.ticket_link(actor=engineer, ticket=target, other=russian_ticket(russian, license_a))
    pages = [
        reverse("tickets:detail", args=[number]) for number in (target.number, duplicate.number)
    ]
    for person in (russian, engineer):
        client.force_login(person)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert english_words(response.content.decode()) == set(), (person, url)

    refused = client.post(
        reverse("tickets:merge", args=[target.number]), {"merge-into": target.number}
    )
    assert refused.status_code == 400
    assert english_words(refused.content.decode()) == set()

    told = Notification.objects.get(recipient=russian, kind=Notification.Kind.MERGED)
    email = render_email(told)
    for text in (email.subject, email.body, email.alternatives[0][0]):
        assert english_words(text) == set(), text
