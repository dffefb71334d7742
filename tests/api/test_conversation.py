"""Messages and files through the API: customers never see internal notes nor their files,
uploads go through the portal's limits, downloads are checked like the page's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.api.conftest import problem
from tickets import services

T = "/api/v1/tickets/"


@pytest.fixture
def conversation(ticket, customer, engineer):
    services.message_post(actor=customer, ticket=ticket, body="Any news?")
    note = services.message_post(
        actor=engineer,
        ticket=ticket,
        body="Looks like the MTU",
        internal=True,
        files=[SimpleUploadedFile("trace.pcap", b"secret trace")],
    )
    reply = services.message_post(
        actor=engineer,
        ticket=ticket,
        body="Please send the config",
        files=[SimpleUploadedFile("howto.txt", b"steps")],
    )
    return note, reply


@pytest.mark.parametrize(
    ("persona", "sees_note"),
    [("customer", False), ("colleague", False), ("engineer", True), ("admin_user", True)],
)
def test_it_lists_the_conversation_as_the_page_shows_it(
    request, api_as, ticket, conversation, persona, sees_note
):
    body = api_as(request.getfixturevalue(persona)).get(f"{T}{ticket.number}/messages/").json()
    texts = [m["body"] for m in body]
    assert ("Looks like the MTU" in texts) is sees_note
    assert "Please send the config" in texts
    files = api_as(request.getfixturevalue(persona)).get(f"{T}{ticket.number}/attachments/")
    names = {f["name"] for f in files.json()}
    assert ("trace.pcap" in names) is sees_note


def test_an_outsider_gets_404_for_the_conversation_and_its_files(
    api_as, outsider, ticket, conversation
):
    api = api_as(outsider)
    assert api.get(f"{T}{ticket.number}/messages/").status_code == 404
    assert api.post(f"{T}{ticket.number}/messages/", {"body": "hi"}).status_code == 404
    _, reply = conversation
    file_id = reply.attachments.get().pk
    assert api.get(f"/api/v1/attachments/{file_id}/download/").status_code == 404


def test_a_customer_cannot_download_a_file_of_an_internal_note(
    api_as, customer, engineer, conversation
):
    note, reply = conversation
    hidden, shown = note.attachments.get().pk, reply.attachments.get().pk
    assert api_as(customer).get(f"/api/v1/attachments/{hidden}/download/").status_code == 404
    download = api_as(customer).get(f"/api/v1/attachments/{shown}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"steps"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert api_as(engineer).get(f"/api/v1/attachments/{hidden}/download/").status_code == 200


def test_a_customer_replies_and_cannot_write_internal_notes(api_as, customer, ticket):
    api = api_as(customer)
    response = api.post(f"{T}{ticket.number}/messages/", {"body": "More logs", "internal": True})
    assert response.status_code == 403
    assert problem(response)["detail"] == "Only support engineers write internal notes."
    response = api.post(f"{T}{ticket.number}/messages/", {"body": "More logs"})
    assert response.status_code == 201
    assert response.json()["author"]["id"] == customer.pk


def test_an_engineer_writes_an_internal_note(api_as, engineer, customer, ticket):
    response = api_as(engineer).post(
        f"{T}{ticket.number}/messages/", {"body": "Check the MTU", "internal": True}
    )
    assert response.json()["internal"] is True
    customers_view = api_as(customer).get(f"{T}{ticket.number}/messages/").json()
    assert customers_view == []


def test_an_empty_message_is_refused_with_the_pages_message(api_as, customer, ticket):
    response = api_as(customer).post(f"{T}{ticket.number}/messages/", {"body": "  "})
    assert response.status_code == 400
    assert problem(response)["errors"] == {"body": ["Write a message or attach a file."]}


def test_files_are_uploaded_as_multipart(api_as, customer, ticket):
    response = api_as(customer).post(
        f"{T}{ticket.number}/attachments/",
        {"files": [SimpleUploadedFile("a.log", b"one"), SimpleUploadedFile("b.log", b"two")]},
        multipart=True,
    )
    assert response.status_code == 201, response.content
    assert [f["name"] for f in response.json()["files"]] == ["a.log", "b.log"]


@override_settings(ATTACHMENT_MAX_BYTES=10)
def test_a_file_over_the_limit_is_refused_while_it_streams(api_as, customer, ticket):
    response = api_as(customer).post(
        f"{T}{ticket.number}/attachments/",
        {"files": [SimpleUploadedFile("big.log", b"x" * 100)]},
        multipart=True,
    )
    assert response.status_code == 400
    assert "the limit is 10" in problem(response)["errors"]["files"][0]
