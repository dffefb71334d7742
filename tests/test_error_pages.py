"""The error pages: styled, in the reader's language, with the portal's navigation."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation


@pytest.fixture
def russian(customer):
    customer.language = "ru"
    customer.save(update_fields=["language"])
    return customer


def test_it_answers_a_missing_ticket_with_the_portals_own_404_page(client, customer):
    client.force_login(customer)
    response = client.get(reverse("tickets:detail", args=["SUP-1999-999999"]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert 'id="bell"' in page  # the navigation is there
    assert 'href="/static/img/favicon.svg"' in page


def test_it_says_404_in_russian_to_a_russian_reader(client, russian):
    client.force_login(russian)
    page = client.get(reverse("tickets:detail", args=["SUP-1999-999999"])).content.decode()
    assert "Страница не найдена" in page
    assert "Page not found" not in page


def test_it_answers_a_customer_on_an_engineers_page_with_the_403_page(client, russian):
    client.force_login(russian)
    response = client.get(reverse("workspace:queue"))
    assert response.status_code == 403
    assert "Нет доступа" in response.content.decode()


def test_it_explains_an_expired_form_instead_of_djangos_csrf_page(customer, ticket):
    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    response = client.post(reverse("tickets:withdraw", args=[ticket.number]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "The form has expired" in page
    assert "Nothing was saved" in page


def test_the_500_page_needs_no_request_and_no_database():
    # No database fixture: a query would fail the test (the database may be what is down).
    with translation.override("ru"):
        page = render_to_string("500.html")
    assert "Что-то пошло не так" in page
    assert "/static/bootstrap/css/bootstrap.min.css" in page


def test_it_explains_an_expired_form_in_the_readers_language_with_the_navigation(
    customer, russian, ticket
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(russian)
    response = client.post(reverse("tickets:withdraw", args=[ticket.number]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Срок действия формы истек" in page
    assert 'id="bell"' in page  # the portal's navigation, not a bare page
    # A fresh token on the page's own forms (the language switch, log out) lets them work.
    assert 'name="csrfmiddlewaretoken"' in page


def test_it_says_404_in_russian_to_a_signed_out_russian_browser(client):
    page = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Страница не найдена" in page


def test_it_says_404_in_english_to_an_english_reader(client, customer):
    customer.language = "en"
    customer.save(update_fields=["language"])
    client.force_login(customer)
    page = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Page not found" in page  # the saved choice beats the browser's
    assert "Страница не найдена" not in page


def test_the_500_page_speaks_english_too():
    with translation.override("en"):
        page = render_to_string("500.html")
    assert "Something went wrong" in page
    assert 'href="/"' in page
