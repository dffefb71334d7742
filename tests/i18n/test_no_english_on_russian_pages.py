"""Russian is complete: a Russian reader finds no English on any page or in any mail.

Each page is rendered for a person whose language is Russian, and every piece of text a person
can see or hear (text nodes, and the attributes screen readers and tooltips read) is searched
for Latin words. What may stay Latin is the data itself (e-mails, keys, numbers, names), which
these tests make Cyrillic or list below.
"""

import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import TicketFactory
from tickets import services
from tickets.mail import render_email
from tickets.models import Notification

READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "data-confirm", "value"}

# Latin that is data or a proper name, not interface text.
ALLOWED = {
    "SLA",  # the regulation's own term, used in Russian as is
    "MSK",  # the time zone's name as the system spells it
    "UTC",
    "SUP",  # ticket numbers
    "ALPHA",
    "BETA",
    "UserGate",
    "NGFW",
    "pcap",
    "mail",  # "e-mail" is how Russian interfaces write it
    "Django",
    "English",  # the language switch names each language in itself
    "example",
    "alpha",
    "beta",
    "com",
    "Europe",
    "Moscow",
    "Alpha",  # the organizations of the test personas
    "Logistics",
    "Beta",
}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# The profile's time-zone choice lists the IANA names ("Europe/Moscow"): identifiers, not prose.
ZONE_WORDS = {word for zone in zoneinfo.available_timezones() for word in LATIN_WORD.findall(zone)}


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._skip += 1
        # A value is read out only on a button; elsewhere it is data sent with the form.
        is_button = tag == "input" and dict(attrs).get("type") in {"submit", "button", "reset"}
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and (name != "value" or is_button):
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def english_words(html: str, *, also_allowed: set[str] = frozenset()) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses are data
    text = re.sub(r"https?://\S+", " ", text)
    return {w for w in LATIN_WORD.findall(text) if w not in ALLOWED | set(also_allowed)}


@pytest.fixture
def russian(customer, engineer):
    for person in (customer, engineer):
        person.language = "ru"
        person.first_name = "Алиса" if person == customer else "Инженер"
        person.save(update_fields=["language", "first_name"])
    return customer


def russian_ticket(customer, license_a, **changes):
    return TicketFactory(
        customer=customer,
        license=license_a,
        subject="Падает туннель",
        description="Туннель падает каждый час.",
        diagnostics="Перезагрузили узел.",
        **changes,
    )


def test_the_customer_pages_have_no_english(client, russian, engineer, license_a):
    customer = russian
    ticket = russian_ticket(customer, license_a)
    waiting = russian_ticket(customer, license_a)
    services.ticket_take(actor=engineer, ticket=waiting)
    services.ticket_request_info(actor=engineer, ticket=waiting, body="Пришлите журналы.")
    resolved = russian_ticket(customer, license_a)
    services.ticket_take(actor=engineer, ticket=resolved)
    services.priority_change_propose(
        actor=engineer, ticket=resolved, to_priority="low", reason="Не критично."
    )
    services.ticket_resolve(actor=engineer, ticket=resolved, result="Обновите прошивку.")
    client.force_login(customer)
    pages = [
        reverse("tickets:list"),
        reverse("tickets:list") + "?state=open&q=туннель",
        reverse("tickets:new"),
        reverse("tickets:registered", args=[ticket.number]),
        reverse("tickets:detail", args=[ticket.number]),
        reverse("tickets:detail", args=[waiting.number]),
        reverse("tickets:detail", args=[resolved.number]),
        reverse("tickets:notifications"),
        reverse("accounts:profile"),
        reverse("password_change"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        zones = ZONE_WORDS if url == reverse("accounts:profile") else set()
        assert english_words(response.content.decode(), also_allowed=zones) == set(), url


def test_the_customer_forms_explain_errors_in_russian(client, russian, license_a):
    client.force_login(russian)
    response = client.post(reverse("tickets:new"), {"license_key": "NOPE-1"})
    assert response.status_code == 400
    assert english_words(response.content.decode(), also_allowed={"NOPE"}) == set()


def test_the_signed_out_pages_have_no_english(client, settings):
    settings.LANGUAGE_CODE = "ru"
    for url in (reverse("login"), reverse("password_reset")):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
        assert english_words(response.content.decode()) == set(), url


def test_the_engineer_pages_have_no_english(client, russian, engineer, license_a):
    ticket = russian_ticket(russian, license_a)
    services.ticket_take(actor=engineer, ticket=ticket)
    services.message_post(actor=engineer, ticket=ticket, body="Заметка", internal=True)
    client.force_login(engineer)
    pages = [
        reverse("tickets:detail", args=[ticket.number]),
        reverse("tickets:hotline_new"),
        reverse("workspace:queue"),
        reverse("workspace:dashboard"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_words(response.content.decode()) == set(), url


def test_the_mails_have_no_english(russian, engineer, license_a):
    ticket = russian_ticket(russian, license_a)
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_request_info(actor=engineer, ticket=ticket, body="Пришлите журналы.")
    services.message_post(actor=russian, ticket=ticket, body="Журналы во вложении.")
    services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="Не критично."
    )
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Обновите прошивку.")
    kinds = set()
    for notification in Notification.objects.filter(ticket=ticket, recipient=russian):
        kinds.add(notification.kind)
        email = render_email(notification)
        assert email.subject.startswith(f"[{ticket.number}]")
        for text in (email.subject, email.body, email.alternatives[0][0]):
            assert english_words(text) == set(), (notification.kind, text)
    assert kinds == {"registered", "info_requested", "priority_proposed", "resolved"}
