"""The main menu is drawn once per view, roles and language and kept
(tickets/templatetags/menu.py): each of those still gets its own."""

import re

import pytest
from django.urls import reverse

from tests.factories import OrganizationAdminFactory

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
