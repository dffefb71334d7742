"""How times read on the pages: in the reader's zone, with the zone named."""

import datetime
from types import SimpleNamespace

from django.utils import timezone, translation

from tickets.history import TimelineEntry
from tickets.models import Attachment
from tickets.templatetags.portal import until, when
from tickets.templatetags.ticket_page import attachment_item, canned_picker, customer_history_line

# 24:00 on Friday 27 November 2026 in Moscow (UTC+3).
END_OF_FRIDAY = datetime.datetime(2026, 11, 27, 21, 0, tzinfo=datetime.UTC)


def test_it_names_the_end_of_a_day_as_24_00_of_that_day():
    with timezone.override("Europe/Moscow"):
        assert until(END_OF_FRIDAY) == "11/27/2026 24:00 MSK"
        assert when(END_OF_FRIDAY).startswith("11/28/2026")


def test_it_shows_other_deadlines_as_they_are_and_in_the_readers_zone():
    with timezone.override("Asia/Yekaterinburg"):  # UTC+5: the same instant is 02:00 there
        assert until(END_OF_FRIDAY) == when(END_OF_FRIDAY)
        assert until(END_OF_FRIDAY).startswith("11/28/2026 2")
    assert until(None) == "—"


def test_a_file_reads_as_a_download_with_its_size_and_checksum_and_an_image_is_shown():
    """ticket_page.attachment_item, for a ticket's and a message's files (unsaved rows: the
    tag reads only their fields)."""
    sha = "ab" * 32
    log = Attachment(pk=7, name="<gw>.log", size=7580, sha256=sha, content_type="text/plain")
    shot = Attachment(pk=8, name="shot.png", size=2048, sha256=sha, content_type="image/png")

    item = attachment_item(log)
    assert item == (
        '<li class="mb-1 text-break"><a href="/tickets/attachments/7/" download>&lt;gw&gt;.log</a>'
        ' <span class="small text-body-secondary">7.4\xa0KB · SHA-256 <code title="'
        + sha
        + '">abababababab…</code></span></li>\n'
    )
    image = attachment_item(shot)
    assert (
        '<br><a href="/tickets/attachments/8/" download><img src="/tickets/attachments/8/" '
        'alt="shot.png" class="inline-image img-fluid border rounded mt-1" loading="lazy"></a>'
    ) in image
    with translation.override("ru"):
        assert "2,0\xa0КБ" in attachment_item(shot)


def test_a_line_of_the_customers_history_marks_a_deadline_met_or_missed():
    """ticket_page.customer_history_line: a badge for the tone, the details escaped."""
    at = datetime.datetime(2026, 11, 21, 10, 57, tzinfo=datetime.UTC)
    with timezone.override("Europe/Moscow"):
        plain = customer_history_line(TimelineEntry(at=at, title="Registered", details=""))
        met = customer_history_line(TimelineEntry(at, "Reaction in time", "", tone="ok"))
        missed = customer_history_line(TimelineEntry(at, "Resolution late", "<2 h>", "missed"))

    assert plain == (
        '<li class="mb-1"><time datetime="2026-11-21T10:57:00+00:00">11/21/2026 1:57 p.m. MSK'
        "</time> — Registered</li>"
    )
    assert '<li class="mb-1 tone-ok">' in met
    assert '<span class="badge text-bg-success">Reaction in time</span></li>' in met
    assert '<span class="badge text-bg-danger">Resolution late</span>' in missed
    assert ' <span class="data">(&lt;2 h&gt;)</span></li>' in missed


def test_a_canned_reply_picker_is_kept_per_ticket_and_language():
    """ticket_page.canned_picker: its fill address names the ticket, its words the language."""
    field = SimpleNamespace(auto_id="id_reply-body")

    first = canned_picker(field, "SUP-2026-1")
    second = canned_picker(field, "SUP-2026-2")
    with translation.override("ru"):
        russian = canned_picker(field, "SUP-2026-1")

    assert 'data-fill-url="/replies/0/fill/SUP-2026-1/"' in first
    assert 'data-fill-url="/replies/0/fill/SUP-2026-2/"' in second
    assert "Canned reply" in first
    assert "Canned reply" not in russian
    assert canned_picker(field, "SUP-2026-1") == first
