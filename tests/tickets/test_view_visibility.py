"""The visibility rule on every ticket URL: outsiders get 404, anonymous users log in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets import services


@pytest.fixture
def public_file(ticket, engineer):
    message = services.message_post(
        actor=engineer,
        ticket=ticket,
        body="Here is the fixed config.",
        files=[SimpleUploadedFile("fixed.conf", b"mtu 1400\n")],
    )
    return message.attachments.get()


@pytest.fixture
def internal_file(ticket, engineer):
    message = services.message_post(
        actor=engineer,
        ticket=ticket,
        body="Internal: the customer's dump, do not share.",
        internal=True,
        files=[SimpleUploadedFile("dump.txt", b"secret internals")],
    )
    return message.attachments.get()


def ticket_urls(ticket, public_file):
    return [
        reverse("tickets:detail", args=[ticket.number]),
        reverse("tickets:attachment", args=[public_file.pk]),
    ]


def test_it_answers_404_to_an_outsider_on_every_ticket_url(client, outsider, ticket, public_file):
    client.force_login(outsider)
    for url in ticket_urls(ticket, public_file):
        assert client.get(url).status_code == 404, url


def test_it_sends_anonymous_users_to_log_in(client, ticket, public_file):
    for url in [reverse("home"), reverse("tickets:list"), *ticket_urls(ticket, public_file)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", ["customer", "colleague", "engineer", "admin_user"])
def test_it_shows_the_ticket_to_its_organization_and_to_engineers(
    request, client, persona, ticket, public_file
):
    client.force_login(request.getfixturevalue(persona))
    for url in ticket_urls(ticket, public_file):
        assert client.get(url).status_code == 200, url


def test_it_refuses_post_on_read_only_pages(client, customer, ticket, public_file):
    client.force_login(customer)
    for url in [reverse("tickets:list"), *ticket_urls(ticket, public_file)]:
        assert client.post(url).status_code == 405, url


def test_it_lists_only_the_organizations_tickets(client, customer, outsider, ticket, license_b):
    from tests.factories import TicketFactory

    other = TicketFactory(customer=outsider, license=license_b)
    client.force_login(customer)
    page = client.get(reverse("tickets:list")).content.decode()
    assert ticket.number in page
    assert other.number not in page


def test_it_never_shows_internal_notes_or_their_files_to_customers(
    client, customer, engineer, ticket, internal_file
):
    client.force_login(customer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "do not share" not in page
    assert client.get(reverse("tickets:attachment", args=[internal_file.pk])).status_code == 404

    client.force_login(engineer)
    page = client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "do not share" in page
    assert client.get(reverse("tickets:attachment", args=[internal_file.pk])).status_code == 200


def test_it_serves_files_as_downloads_that_cannot_run_in_the_portal(
    client, customer, ticket, engineer
):
    message = services.message_post(
        actor=engineer,
        ticket=ticket,
        body="page",
        files=[SimpleUploadedFile("evil.html", b"<script>alert(1)</script>")],
    )
    client.force_login(customer)
    response = client.get(reverse("tickets:attachment", args=[message.attachments.get().pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def test_it_records_size_and_sha256_of_stored_files(public_file):
    import hashlib

    assert public_file.size == len(b"mtu 1400\n")
    assert public_file.sha256 == hashlib.sha256(b"mtu 1400\n").hexdigest()
    assert "fixed.conf" not in public_file.file.name  # stored name never the user's
