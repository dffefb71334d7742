"""Upload limits (tickets/uploads.py, tickets/attachments.py): checked while the body streams,
per file, per request and per ticket, each refusal said beside the file field with the typed
text kept; and a file name that cleans to nothing still stored under a fallback name."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from tests.factories import ticket_in_state
from tickets.models import Attachment, Message

KIB = 1024


class RecordingHandler(FileUploadHandler):
    """Put after the limiting handler in a test: records the bytes of each file that reach
    the handlers which store uploads, and passes every chunk on unchanged."""

    seen: list[int] = []

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        RecordingHandler.seen.append(0)

    def receive_data_chunk(self, raw_data, start):
        RecordingHandler.seen[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def limits(settings):
    settings.ATTACHMENT_MAX_BYTES = 64 * KIB
    settings.ATTACHMENT_MAX_REQUEST_BYTES = 100 * KIB
    settings.ATTACHMENT_TICKET_QUOTA_BYTES = 150 * KIB
    settings.ATTACHMENT_MAX_COUNT = 3
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file goes to a temporary file on disk
    settings.FILE_UPLOAD_HANDLERS = [
        "tickets.uploads.LimitedUploadHandler",
        "tests.tickets.test_uploads.RecordingHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    RecordingHandler.seen = []
    return settings


@pytest.fixture
def signed_in(client, customer):
    client.force_login(customer)
    return client


def upload(name, size):
    return SimpleUploadedFile(name, b"x" * size)


def reply(client, ticket, body, files):
    return client.post(
        reverse("tickets:reply", args=[ticket.number]), {"reply-body": body, "reply-files": files}
    )


def file_errors(response):
    return " ".join(response.context["reply_form"].errors["files"])


def test_it_stops_a_file_over_the_limit_while_it_streams(signed_in, ticket, limits):
    response = reply(
        signed_in, ticket, "The capture of the drop.", [upload("dump.pcap", 2000 * KIB)]
    )
    assert response.status_code == 400
    assert "The file “dump.pcap” is 2.0\xa0MB; the limit is 64.0\xa0KB." in file_errors(response)
    # What reached the storing handlers stopped at the limit (plus the chunk that crossed it),
    # not the 2 MB that were sent.
    assert RecordingHandler.seen[0] <= 64 * KIB + 64 * KIB
    page = response.content.decode()
    assert "The capture of the drop." in page  # the typed text is kept
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()


def test_it_refuses_files_that_together_pass_the_limit_of_one_request(signed_in, ticket, limits):
    files = [upload("a.log", 60 * KIB), upload("b.log", 60 * KIB)]
    response = reply(signed_in, ticket, "Two logs.", files)
    assert response.status_code == 400
    errors = file_errors(response)
    assert "The file “b.log” was not accepted: the files sent at once may be 100.0\xa0KB" in errors
    assert RecordingHandler.seen[1] < 60 * KIB  # b.log stopped on its way in
    assert "Two logs." in response.content.decode()
    assert not Attachment.objects.exists()
    assert not Message.objects.exists()


def test_it_refuses_files_past_the_count_without_storing_them(signed_in, ticket, limits):
    files = [upload(f"{n}.log", KIB) for n in range(5)]
    response = reply(signed_in, ticket, "Five logs.", files)
    assert response.status_code == 400
    assert "Attach at most 3 files at a time; you chose 5." in file_errors(response)
    assert len(RecordingHandler.seen) == 3  # the fourth and fifth never reached storage
    assert not Attachment.objects.exists()


def test_it_keeps_a_ticket_within_its_quota_of_attachments(signed_in, ticket, limits):
    assert reply(signed_in, ticket, "First.", [upload("a.log", 60 * KIB)]).status_code == 302
    assert reply(signed_in, ticket, "Second.", [upload("b.log", 60 * KIB)]).status_code == 302
    response = reply(signed_in, ticket, "Third.", [upload("c.log", 60 * KIB)])
    assert response.status_code == 400
    assert (
        "This ticket already holds 120.0\xa0KB of files, and a ticket may hold 150.0\xa0KB in "
        "all: these files (60.0\xa0KB) do not fit."
    ) in file_errors(response)
    assert "Third." in response.content.decode()
    assert Attachment.objects.count() == 2
    assert list(Message.objects.values_list("body", flat=True)) == ["First.", "Second."]


def test_it_counts_the_quota_for_engineers_too(client, engineer, ticket, limits):
    client.force_login(engineer)
    for name in ("a.log", "b.log"):
        assert reply(client, ticket, name, [upload(name, 60 * KIB)]).status_code == 302
    response = reply(client, ticket, "Third.", [upload("c.log", 60 * KIB)])
    assert response.status_code == 400
    assert "do not fit" in file_errors(response)


def test_it_refuses_an_oversized_file_when_filing_and_keeps_the_form(
    client, customer, license_a, limits
):
    client.force_login(customer)
    response = client.post(
        reverse("tickets:new"),
        {
            "license_key": license_a.key,
            "product_version": "7.2.1",
            "priority": "high",
            "subject": "VPN drops",
            "description": "The tunnel drops every hour.",
            "diagnostics": "Rebooted.",
            "contact_email": customer.email,
            "files": [upload("core.dump", 200 * KIB)],
        },
    )
    assert response.status_code == 400
    assert "“core.dump” is 200.0\xa0KB" in " ".join(response.context["form"].errors["files"])
    assert "The tunnel drops every hour." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("%%%", "attachment"),
        ("%%%.log", "attachment.log"),
        ("отчёт за май.pdf", "отчёт_за_май.pdf"),
    ],
)
def test_it_stores_a_file_whose_name_cleans_to_nothing_under_a_fallback_name(
    signed_in, ticket, name, stored
):
    response = reply(signed_in, ticket, "The log is attached.", [upload(name, 10)])
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.body == "The log is attached."
    attachment = message.attachments.get()
    assert attachment.name == stored
    download = signed_in.get(reverse("tickets:attachment", args=[attachment.pk]))
    assert download.status_code == 200


def test_it_stores_a_fallback_name_with_the_information_asked_for(
    client, customer, engineer, license_a
):
    waiting = ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )
    client.force_login(customer)
    response = reply(client, waiting, "Here it is.", [upload("%%%", 10)])
    assert response.status_code == 302
    assert waiting.attachments.get().name == "attachment"
