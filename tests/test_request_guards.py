"""What every request meets before a view (helpdesk/middleware.py): NUL bytes refused with 400
wherever they come in, a body over the limits answered with a page that says so, and signed-in
pages kept out of caches."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tickets.models import Attachment, Message, Ticket

NUL = "\x00"
# A NUL in the address is refused before the session says who is asking, so the page is in the
# browser's language (the default is Russian).
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def as_customer(customer):
    client = Client(raise_request_exception=False, **ENGLISH)
    client.force_login(customer)
    return client


@pytest.fixture
def as_engineer(engineer):
    client = Client(raise_request_exception=False, **ENGLISH)
    client.force_login(engineer)
    return client


# --- NUL bytes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/tickets/%00/",
        "/tickets/SUP%00/registered/",
        "/tickets/SUP%00/reply/",
        "/tickets/?q=%00",
        "/tickets/?state=%00",
        "/tickets/?page=%00",
        "/tickets/new/?x%00=1",
        "/tickets/attachments/1%00/",
    ],
)
def test_it_refuses_a_nul_byte_in_a_customers_address_with_400(as_customer, ticket, url):
    response = as_customer.get(url)
    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/work/queue/?q=%00",
        "/work/queue/?organization=%00",
        "/work/queue/?assignee=%00",
        "/work/queue/?tier=%00&priority=%00&state=%00&view=%00",
        "/work/queue/rows/?q=%00",
        "/work/dashboard/?start=%00&end=2026-01-01",
        "/tickets/hotline/?caller=%00",
        "/tickets/hotline/?q=%00",
        "/tickets/hotline/callers/?q=SUP%00",
        "/admin/tickets/ticket/?q=%00",
        "/admin/sent-mail/%00/",
    ],
)
def test_it_refuses_a_nul_byte_in_the_engineers_searches_and_filters(as_engineer, url):
    assert as_engineer.get(url).status_code == 400


def test_it_refuses_a_nul_byte_in_the_bulk_action_of_the_queue(as_engineer, ticket):
    response = as_engineer.post(
        reverse("workspace:queue_bulk"), {"tickets": f"SUP{NUL}X", "action": "take"}
    )
    assert response.status_code == 400
    assert ticket.events.count() == 1  # registered, nothing more


def test_it_refuses_a_nul_byte_in_a_field_name(as_engineer):
    response = as_engineer.post(reverse("workspace:queue_bulk"), {f"tick{NUL}ets": "x"})
    assert response.status_code == 400


def test_it_refuses_a_nul_byte_in_a_reply_and_saves_nothing(as_customer, ticket):
    response = as_customer.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"reply-body": f"Logs attached{NUL}", "reply-files": [SimpleUploadedFile("a.log", b"x")]},
    )
    assert response.status_code == 400
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()


def test_it_refuses_a_nul_byte_in_an_anonymous_form(db):
    client = Client(raise_request_exception=False, **ENGLISH)
    response = client.post(reverse("set_language"), {"language": f"en{NUL}", "next": "/"})
    assert response.status_code == 400


def test_it_refuses_a_nul_byte_in_the_session_cookie_instead_of_failing(db):
    client = Client(
        raise_request_exception=False, HTTP_COOKIE='sessionid="abcdefghij\\000k"', **ENGLISH
    )
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 400


def test_it_still_serves_an_ordinary_search(as_customer, ticket):
    response = as_customer.get(reverse("tickets:list"), {"q": ticket.number})
    assert response.status_code == 200
    assert ticket.number in response.content.decode()


# --- A body over the limits -----------------------------------------------------------------


def test_it_answers_a_text_over_the_limit_with_a_page_that_says_so(as_customer, ticket):
    # The reply form is multipart (it takes files): 6 MiB of text in its message field.
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024)
    response = as_customer.post(
        reverse("tickets:reply", args=[ticket.number]), {"reply-body": body}
    )
    page = response.content.decode()
    assert response.status_code == 413
    assert "Too much to send at once" in page
    assert "5.0\xa0MB for all its fields together" in page
    assert 'id="bell"' in page  # the portal's page, with the navigation
    assert not Message.objects.exists()


def test_it_answers_an_urlencoded_body_over_the_limit_the_same_way(as_engineer, ticket):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = as_engineer.post(reverse("workspace:queue_bulk"), {"tickets": body})
    assert response.status_code == 413
    assert "Too much to send at once" in response.content.decode()


# --- Cache-Control ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["tickets:list", "tickets:new", "tickets:notifications", "accounts:profile"]
)
def test_it_keeps_a_signed_in_page_out_of_every_cache(as_customer, name):
    response = as_customer.get(reverse(name))
    assert response.status_code == 200
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}


def test_it_keeps_the_ticket_page_and_the_engineers_pages_out_of_caches(
    as_customer, as_engineer, admin_user, ticket
):
    as_admin = Client()
    as_admin.force_login(admin_user)
    for client, url in [
        (as_customer, reverse("tickets:detail", args=[ticket.number])),
        (as_engineer, reverse("workspace:queue")),
        (as_engineer, reverse("workspace:dashboard")),
        (as_admin, "/admin/"),
        (as_admin, reverse("admin:tickets_ticket_change", args=[ticket.pk])),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_it_keeps_a_download_out_of_every_cache(as_customer, customer, ticket):
    as_customer.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"reply-body": "Logs", "reply-files": [SimpleUploadedFile("vpn.log", b"secret")]},
    )
    attachment = Attachment.objects.get()
    response = as_customer.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}


def test_django_s_own_400_uses_the_portals_page(db, settings):
    # A Host header the portal does not serve is refused by Django itself (no request context).
    response = Client(raise_request_exception=False, **ENGLISH).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()


def test_too_many_fields_get_the_portals_400_page(as_engineer, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = as_engineer.post(reverse("workspace:queue_bulk"), {f"f{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert "Request not understood" in response.content.decode()


def test_it_answers_a_redirect_of_a_form_sent_with_a_progress_bar_as_204_with_the_address(
    client, customer, license_a
):
    """static/js/uploads.js opens X-Location itself, so the one-time messages reach the page."""
    client.force_login(customer)
    response = client.post(
        "/tickets/new/",
        {
            "license_key": "ALPHA-0001",
            "product_version": "7.2.1",
            "priority": "high",
            "subject": "VPN drops",
            "description": "The tunnel drops.",
            "diagnostics": "Rebooted.",
        },
        headers={"X-Upload-Progress": "1"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 204
    assert response["X-Location"] == f"/tickets/{ticket.number}/registered/"
    assert "Location" not in response
