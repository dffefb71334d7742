"""Russian is complete: a Russian reader finds no English on any page or in any mail.

Each page is rendered for a person whose language is Russian, and every piece of text a person
can see or hear (text nodes, and the attributes screen readers and tooltips read) is searched
for Latin words. What may stay Latin is the data itself (e-mails, keys, numbers, names), which
these tests make Cyrillic or list below.
"""

import datetime
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.factories import TicketFactory
from tickets import jobs, services
from tickets.clock import EVENT_KINDS
from tickets.mail import render_email
from tickets.models import Notification
from workspace.calculator_forms import EXAMPLE

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
    "JavaScript",  # "this needs JavaScript" beside the passkey button, as Russian writes it
    "pcap",
    "mail",  # "e-mail" is how Russian interfaces write it
    "Django",
    "SMTP",  # the protocol's name, as Russian admins write it
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
    "API",  # written so in Russian interfaces ("API-токены")
    "CRM",
    "Authorization",  # the HTTP header a token is sent in, as it must be typed
    "Bearer",
    "CSV",  # the file format's name, as "Выгрузить в CSV" writes it (issue 18)
    "Ctrl",  # key caps, printed in Latin on Russian keyboards too (the shortcuts' help)
    "Enter",
    "Esc",
}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# The profile's time-zone choice lists the IANA names ("Europe/Moscow"): identifiers, not prose.
ZONE_WORDS = {word for zone in zoneinfo.available_timezones() for word in LATIN_WORD.findall(zone)}
# The SLA calculator reads events typed as identifiers ("2026-12-01 12:00 priority_change
# critical"): its example, its list of events and its help name them as they are typed.
EVENT_WORDS = {word for kind in EVENT_KINDS for word in LATIN_WORD.findall(kind)} | {"critical"}
MSK = zoneinfo.ZoneInfo("Europe/Moscow")
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


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
        reverse("account_change_password"),
        reverse("mfa_index"),
        reverse("usersessions_list"),
        reverse("account_reauthenticate"),
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
    for url in (
        reverse("account_login"),
        reverse("account_reset_password"),
        reverse("account_reset_password_done"),
        reverse("account_signup"),
    ):
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


def test_the_error_pages_have_no_english(client, russian, license_a):
    ticket = russian_ticket(russian, license_a)
    client.force_login(russian)
    forms = Client(enforce_csrf_checks=True)  # a form sent without its token
    forms.force_login(russian)
    answers = {
        "404": client.get(reverse("tickets:detail", args=["SUP-1999-999999"])),
        "403": client.get(reverse("workspace:queue")),  # a customer on an engineers' page
        "403 csrf": forms.post(reverse("tickets:withdraw", args=[ticket.number])),
    }
    english = {}
    for name, response in answers.items():
        assert response.status_code == int(name[:3]), name
        if words := english_words(response.content.decode()):
            english[name] = words
    assert not english, "; ".join(f"{page}: {' '.join(sorted(w))}" for page, w in english.items())


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
    assert kinds == {"registered", "taken", "info_requested", "priority_proposed", "resolved"}


def propose_session(engineer, ticket, now, *, start=DAY, **kwargs):
    return services.session_propose(
        actor=engineer,
        ticket=ticket,
        method="remote",
        starts_at=now + start,
        ends_at=now + start + HOUR,
        now=now,
        **kwargs,
    )


def test_the_session_pages_have_no_english(client, russian, engineer, license_a):
    now = timezone.now().replace(microsecond=0)
    # An agreed session, and the engineers' next proposal waiting for the customer.
    agreed = russian_ticket(russian, license_a)
    services.ticket_take(actor=engineer, ticket=agreed)
    first = propose_session(engineer, agreed, now, note="Подготовьте доступ.")
    services.session_answer(actor=russian, proposal=first, accept=True, note="Подходит.", now=now)
    propose_session(engineer, agreed, now, start=2 * DAY)
    # The customer proposed another time: the engineers answer it.
    countered = russian_ticket(russian, license_a)
    services.ticket_take(actor=engineer, ticket=countered)
    proposal = propose_session(engineer, countered, now)
    services.session_counter(
        actor=russian,
        proposal=proposal,
        starts_at=now + 3 * DAY,
        ends_at=now + 3 * DAY + HOUR,
        note="Удобнее в четверг.",
        now=now,
    )
    for person in (russian, engineer):
        client.force_login(person)
        for ticket in (agreed, countered):
            url = reverse("tickets:detail", args=[ticket.number])
            response = client.get(url)
            assert response.status_code == 200, (person, url)
            page = response.content.decode()
            assert 'id="pending-session"' in page, (person, url)
            assert english_words(page) == set(), (person, url)
        page = client.get(reverse("tickets:detail", args=[agreed.number])).content.decode()
        assert 'id="agreed-session-' in page


def test_the_hotline_pages_have_no_english(client, russian, engineer, license_a):
    license_a.tier_id = "premium"
    license_a.hotline_phone = "+7 495 111-22-33"
    license_a.save()
    ticket = russian_ticket(russian, license_a)
    services.hotline_call_log(
        actor=engineer, outcome="linked", caller=russian, ticket=ticket, notes="Спросили о сроках."
    )
    services.hotline_call_log(
        actor=engineer, outcome="other", caller_name="Борис", notes="Ошиблись номером."
    )
    client.force_login(engineer)
    pages = [
        reverse("tickets:hotline"),
        reverse("tickets:hotline") + "?q=Алиса",
        reverse("tickets:hotline") + "?q=нетакого",
        reverse("tickets:hotline") + f"?caller={russian.pk}",
        reverse("tickets:hotline_callers") + "?q=Алиса",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_words(response.content.decode()) == set(), url
    assert 'id="hotline-form"' in client.get(pages[3]).content.decode()
    # A caller whose organization has no Extended support: the call is logged only.
    license_a.tier_id = "standard"
    license_a.save()
    response = client.get(pages[3])
    assert 'id="no-hotline"' in response.content.decode()
    assert english_words(response.content.decode()) == set()
    license_a.tier_id = "premium"
    license_a.save()
    # The customer's pages name the hotline of an Extended tier.
    client.force_login(russian)
    for url in (reverse("tickets:list"), reverse("tickets:detail", args=[ticket.number])):
        response = client.get(url)
        assert "tel:" in response.content.decode(), url
        assert english_words(response.content.decode()) == set(), url


def test_the_sla_calculator_has_no_english(client, russian, engineer):
    client.force_login(engineer)
    url = reverse("workspace:sla_calculator")
    allowed = ZONE_WORDS | EVENT_WORDS
    response = client.get(url)
    assert response.status_code == 200
    assert english_words(response.content.decode(), also_allowed=allowed) == set()
    events = EXAMPLE + "2026-11-30 10:00 dispute\n2026-11-30 11:00 take\n"
    form = {"tier": "premium", "priority": "high", "time_zone": "Europe/Moscow", "events": events}
    response = client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="calculator-results"' in page
    assert english_words(page, also_allowed=allowed) == set()
    # A refused timeline is explained in Russian too.
    response = client.post(url, {**form, "events": "2026-11-27 10:00 take\nвчера registered\n"})
    assert english_words(response.content.decode(), also_allowed=allowed) == set()


def msk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MSK)


def test_the_new_mails_have_no_english(russian, engineer, license_a):
    ticket = TicketFactory(
        customer=russian,
        license=license_a,
        subject="Падает туннель",
        description="Туннель падает каждый час.",
        diagnostics="Перезагрузили узел.",
        priority="high",  # every engineer is alerted at once
        now=msk(2026, 3, 2, 9, 0),
    )
    jobs.watch_sla(now=msk(2026, 3, 2, 16, 0))  # most of the reaction time gone
    jobs.watch_sla(now=msk(2026, 3, 2, 17, 0))  # the reaction deadline passed
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 17, 30))
    at = msk(2026, 3, 3, 10, 0)
    first = propose_session(engineer, ticket, at, note="Подготовьте доступ.")
    services.session_answer(actor=russian, proposal=first, accept=True, now=at + HOUR)
    second = propose_session(engineer, ticket, at + 2 * HOUR)
    services.session_answer(
        actor=russian, proposal=second, accept=False, note="Не получится.", now=at + 3 * HOUR
    )
    ticket.refresh_from_db()
    jobs.watch_sla(now=ticket.resolution_warn_at)
    jobs.watch_sla(now=ticket.resolution_due)
    kinds = set()
    invitations = 0
    for notification in Notification.objects.filter(
        ticket=ticket, recipient__in=[russian, engineer]
    ):
        kinds.add(
            (notification.recipient.role, notification.kind, notification.data.get("deadline"))
        )
        email = render_email(notification)
        assert email.subject.startswith(f"[{ticket.number}]")
        for text in (email.subject, email.body, email.alternatives[0][0]):
            assert english_words(text) == set(), (notification.kind, text)
        for _name, content, _type in email.attachments:  # the agreed session's invitation
            invitations += 1
            for event in Calendar.from_ical(content).walk("VEVENT"):
                for text in (str(event["summary"]), str(event["description"])):
                    assert english_words(text) == set(), (notification.kind, text)
    assert kinds == {
        ("customer", "registered", None),
        ("customer", "taken", None),
        ("customer", "session_proposed", None),
        ("customer", "session_answered", None),  # accepted: with the invitation
        ("engineer", "urgent_registered", None),
        ("engineer", "session_answered", None),
        ("engineer", "sla_warning", "reaction"),
        ("engineer", "sla_breached", "reaction"),
        ("engineer", "sla_warning", "resolution"),
        ("engineer", "sla_breached", "resolution"),
    }
    assert invitations == 2  # the customer's and the engineer's


def test_the_admin_pages_have_no_english(client, russian, engineer, admin_user, license_a):
    ticket = russian_ticket(russian, license_a)
    services.ticket_take(actor=engineer, ticket=ticket)
    admin_user.language, admin_user.first_name = "ru", "Ада"
    admin_user.save(update_fields=["language", "first_name"])
    client.force_login(admin_user)
    pages = [
        reverse("admin:index"),
        reverse("admin:tickets_ticket_changelist"),
        reverse("admin:tickets_ticket_change", args=[ticket.pk]),
        reverse("admin:tickets_notification_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_organization_changelist"),
        reverse("sent_mail"),
    ]
    english = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        if words := english_words(response.content.decode(), also_allowed=ZONE_WORDS):
            english[url] = words
    assert not english, "; ".join(f"{page}: {' '.join(sorted(w))}" for page, w in english.items())


def test_the_self_help_and_rating_pages_have_no_english(client, russian, engineer, license_a, vpn):
    """Issue 17: the knowledge base, the checklist, a rated ticket, the rating link's pages and
    the dashboard's feedback, for a Russian customer and engineer."""
    from knowledge import services as knowledge_services
    from tickets.rating_links import rating_token

    vpn.name = vpn.name_ru = "Туннели"  # the area's names are data, not UI strings
    vpn.save(update_fields=["name", "name_ru"])
    article = knowledge_services.article_save(
        actor=engineer, title="Туннель падает", body="Обновите **ключи**.", area=vpn, language="ru"
    )
    knowledge_services.article_publish(actor=engineer, article=article)
    rated = russian_ticket(russian, license_a)
    services.ticket_take(actor=engineer, ticket=rated)
    services.ticket_resolve(actor=engineer, ticket=rated, result="Готово.")
    services.ticket_confirm(actor=russian, ticket=rated)
    rated.refresh_from_db()
    to_rate = russian_ticket(russian, license_a)
    services.ticket_take(actor=engineer, ticket=to_rate)
    services.ticket_resolve(actor=engineer, ticket=to_rate, result="Готово.")
    services.ticket_confirm(actor=russian, ticket=to_rate)
    services.ticket_rate(actor=russian, ticket=rated, score=4, comment="Быстро")
    client.force_login(russian)
    pages = [
        reverse("knowledge:list") + "?q=туннель",
        reverse("knowledge:detail", args=[article.pk]),
        reverse("tickets:new"),
        reverse("tickets:detail", args=[rated.number]),
        reverse("tickets:detail", args=[to_rate.number]),
        reverse("tickets:rate_by_link", args=[rating_token(ticket=to_rate, customer=russian)]),
        reverse("tickets:rate_by_link", args=["forged"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        assert english_words(response.content.decode()) == set(), url
    client.force_login(engineer)
    for url in (
        reverse("knowledge:new"),
        reverse("knowledge:edit", args=[article.pk]),
        reverse("tickets:detail", args=[rated.number]),
        reverse("workspace:dashboard"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        # Markdown is the name of the text format, the same in Russian.
        assert english_words(response.content.decode(), also_allowed={"Markdown"}) == set(), url
