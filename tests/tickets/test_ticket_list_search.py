"""The ticket lists' search and order (tickets.search, tickets.selectors.ticket_list_for_user).

On PostgreSQL the words are matched against the stored search document, which a trigger keeps
(migration 0011): these tests change subjects in every way the code does and search again.
"""

import pytest
from django.urls import reverse

from tests.factories import LicenseFactory, TicketFactory
from tickets import paging, selectors
from tickets.models import Ticket


def numbers(tickets):
    return [ticket.number for ticket in tickets]


@pytest.fixture
def certificate(customer, license_a):
    return TicketFactory(customer=customer, license=license_a, subject="Сертификаты не обновляются")


def test_it_finds_words_by_their_stem_in_russian_and_in_english(engineer, customer, license_a):
    russian = TicketFactory(customer=customer, license=license_a, subject="Сертификаты истекли")
    english = TicketFactory(customer=customer, license=license_a, subject="Gateway crashes")
    assert numbers(selectors.ticket_list_for_user(user=engineer, query="сертификат")) == [
        russian.number
    ]
    assert numbers(selectors.ticket_list_for_user(user=engineer, query="crash")) == [english.number]


def test_the_search_document_follows_every_change_of_the_text(engineer, certificate):
    assert selectors.ticket_list_for_user(user=engineer, query="туннель").count() == 0
    Ticket.objects.filter(pk=certificate.pk).update(subject="Падает туннель")
    assert numbers(selectors.ticket_list_for_user(user=engineer, query="туннель")) == [
        certificate.number
    ]
    certificate.refresh_from_db()
    certificate.description = "Маршрутизатор перезагружается"
    certificate.save()  # a whole save, as admin does
    assert numbers(selectors.ticket_list_for_user(user=engineer, query="маршрутизатор")) == [
        certificate.number
    ]
    assert selectors.ticket_list_for_user(user=engineer, query="туннель").count() == 1


def test_a_write_of_other_fields_keeps_the_search_document(engineer, certificate):
    Ticket.objects.filter(pk=certificate.pk).update(product_version="9.9")
    assert numbers(selectors.ticket_list_for_user(user=engineer, query="сертификат")) == [
        certificate.number
    ]


def test_what_the_query_names_exactly_comes_first(engineer, customer, org_a, license_a):
    other_license = LicenseFactory(organization=org_a, key="ALPHA-0777")
    named = TicketFactory(customer=customer, license=other_license, subject="Quiet day")
    # Newer, and found by a word of its description only.
    mentions = TicketFactory(customer=customer, license=license_a, subject="Renewal of ALPHA-0777")
    assert numbers(selectors.ticket_list_for_user(user=engineer, query="alpha-0777")) == [
        named.number,
        mentions.number,
    ]
    assert numbers(selectors.ticket_list_for_user(user=engineer, query="renewal")) == [
        mentions.number
    ]


def test_the_list_shows_the_latest_activity_first(engineer, customer, license_a, certificate):
    newer = TicketFactory(customer=customer, license=license_a)
    assert numbers(selectors.ticket_list_for_user(user=engineer))[:2] == [
        newer.number,
        certificate.number,
    ]
    Ticket.objects.filter(pk=certificate.pk).update(updated_at=newer.updated_at.replace(year=2030))
    assert numbers(selectors.ticket_list_for_user(user=engineer))[:2] == [
        certificate.number,
        newer.number,
    ]


def test_a_long_list_is_counted_up_to_a_limit(client, engineer, customer, license_a, monkeypatch):
    # The view's own name only: patching paging's first would hand the patched value to the
    # view's import, and the undo would "restore" it for the tests that follow.
    monkeypatch.setattr("tickets.views.pages.COUNT_UP_TO", 3)
    monkeypatch.setattr("tickets.views.pages.PAGE_SIZE", 2)
    for _ in range(6):
        TicketFactory(customer=customer, license=license_a)
    client.force_login(engineer)
    response = client.get(reverse("tickets:list"))
    paginator = response.context["page"].paginator
    assert paginator.capped
    assert paginator.count == 4  # "more than 3"
    assert "Page 1 of more than 1" in response.content.decode()
    second = client.get(reverse("tickets:list"), {"page": 2}).context["page"]
    assert len(second) == 2


def test_a_search_is_counted_only_a_little_past_the_page(
    client, engineer, customer, license_a, monkeypatch
):
    # A common word is counted SEARCH_COUNT_AHEAD tickets past the page read, not to 1,000:
    # each page stays reachable, and a later page counts further.
    monkeypatch.setattr(paging, "SEARCH_COUNT_AHEAD", 3)
    monkeypatch.setattr("tickets.views.pages.PAGE_SIZE", 2)
    for n in range(6):
        TicketFactory(customer=customer, license=license_a, subject=f"Zephyrgate drops {n}")
    TicketFactory(customer=customer, license=license_a, subject="Printer jam")
    client.force_login(engineer)

    def page(number):
        return client.get(reverse("tickets:list"), {"q": "zephyrgate", "page": number})

    first = page(1)
    assert first.context["page"].paginator.count == 4  # stopped: "more than 3"
    assert "Page 1 of more than 1" in first.content.decode()
    second = page(2)
    assert [second.context["page"].paginator.count, len(second.context["page"])] == [6, 2]
    assert "Page 2 of more than 2" in second.content.decode()
    third = page(3)
    assert not third.context["page"].paginator.capped
    assert "Page 3 of 3" in third.content.decode()
    # Without a search the list is counted as far as before.
    assert not client.get(reverse("tickets:list")).context["page"].paginator.capped


@pytest.mark.parametrize(
    ("page", "limit"), [(1, 100), ("2", 125), (None, 100), ("x", 100), (-4, 100), (40, 1_000)]
)
def test_the_count_limit_of_a_search_follows_the_page(page, limit):
    assert paging.count_limit(searching=True, page=page, per_page=25, up_to=1_000) == limit
    assert paging.count_limit(searching=False, page=page, per_page=25, up_to=1_000) == 1_000
