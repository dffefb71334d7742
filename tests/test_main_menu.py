"""The main menu is drawn once per view, roles and language and kept
(tickets/templatetags/menu.py): each of those still gets its own."""

import re

import pytest
from django.urls import reverse

from tests.factories import OrganizationAdminFactory, ticket_in_state
from tickets.models import Notification

pytestmark = pytest.mark.django_db


def menu_of(client, name: str) -> str:
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    # The menu, up to the bell and the account's buttons that follow it.
    return re.search(r'<ul class="navbar-nav me-auto">.*?<div class="d-flex', page, re.S).group(0)


def active(menu: str) -> list[str]:
    return re.findall(r'class="nav-link active" aria-current="page" href="([^"]+)"', menu)


def test_the_page_being_read_is_marked_in_the_menu(client, engineer):
    client.force_login(engineer)
    assert active(menu_of(client, "workspace:queue")) == [reverse("workspace:queue")]
    assert active(menu_of(client, "tickets:list")) == [reverse("tickets:list")]
    assert active(menu_of(client, "workspace:queue")) == [reverse("workspace:queue")]  # kept


def test_each_role_and_language_gets_its_own_menu(client, customer, org_a):
    client.force_login(customer)
    menu = menu_of(client, "tickets:list")
    assert "Our tickets" in menu
    assert "Colleagues" not in menu
    assert "Queue" not in menu
    client.force_login(OrganizationAdminFactory(organization=org_a))
    assert "Colleagues" in menu_of(client, "tickets:list")
    customer.language = "ru"
    customer.save()
    client.force_login(customer)
    menu = menu_of(client, "tickets:list")
    assert "Наши заявки" in menu
    assert "Коллеги" not in menu


def header_of(page: str) -> str:
    return re.search(r'<button class="navbar-toggler".*?</header>', page, re.S).group(0)


def test_the_kept_header_carries_each_persons_address_count_token_and_page(
    client, customer, colleague, engineer, license_a
):
    ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    unread = Notification.objects.filter(recipient=customer, read_at=None).count()
    assert unread  # the customer was told of their ticket; the colleague was not
    client.force_login(customer)
    first = client.get(reverse("tickets:list"), {"q": "x", "state": "open"}).content.decode()
    client.force_login(colleague)
    second = client.get(reverse("tickets:list"), {"q": "y"}).content.decode()

    assert customer.email in header_of(first)
    assert colleague.email not in header_of(first)
    assert colleague.email in header_of(second)
    assert customer.email not in header_of(second)
    # The language switch comes back to the page, its address escaped.
    assert 'name="next" value="/tickets/?q=x&amp;state=open"' in header_of(first)
    assert 'name="next" value="/tickets/?q=y"' in header_of(second)
    assert re.search(r"kept[0-9a-f]{16}", first + second) is None  # no placeholder left
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', header_of(second))
    assert len(tokens) == 2
    assert tokens[0] == tokens[1]
    assert f'data-unread="{unread}">{unread}</span>' in header_of(first)
    assert "text-bg-danger" in header_of(first)
    assert 'data-unread="0">0</span>' in header_of(second)
    assert "text-bg-danger" not in header_of(second)

    client.force_login(customer)
    again = header_of(client.get(reverse("tickets:list"), {"q": "z"}).content.decode())
    assert again != header_of(first)  # the same kept part, with this page's values put in
    assert 'name="next" value="/tickets/?q=z"' in again
    assert f'data-unread="{unread}">{unread}</span>' in again
    assert re.search(r"kept[0-9a-f]{16}", again) is None
