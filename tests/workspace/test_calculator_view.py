"""The SLA calculator page: engineers and admins run the tickets' clock on typed events."""

import html
import re

import pytest
from django.urls import reverse

URL = reverse("workspace:sla_calculator")

RESOLVED_ON_SUNDAY = (
    "2026-11-27 10:00 registered\n2026-11-27 11:00 take\n2026-11-29 12:00 resolve\n"
)


def form(events: str = RESOLVED_ON_SUNDAY, **fields: str) -> dict[str, str]:
    return {
        "tier": "standard",
        "priority": "medium",
        "time_zone": "Europe/Moscow",
        "events": events,
        **fields,
    }


def text_of(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(dd|ul|textarea)>', page, re.S)
    assert found, f"no element {element_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


@pytest.fixture
def signed_in(client, engineer):
    client.force_login(engineer)
    return client


def test_it_sends_an_anonymous_visitor_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["customer", "outsider"])
def test_it_refuses_customers(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403


def test_it_shows_an_admin_the_page(client, admin_user):
    client.force_login(admin_user)
    assert client.get(URL).status_code == 200


def test_it_refuses_other_methods(signed_in):
    assert signed_in.put(URL).status_code == 405


def test_it_shows_the_form_with_an_example_and_explains_the_events(signed_in):
    page = signed_in.get(URL).content.decode()
    assert "2026-11-29 12:00 resolve" in text_of(page, "id_events")
    assert "<code>priority_change</code>" in page
    assert 'id="calculator-results"' not in page


def test_it_links_the_page_for_engineers_only(signed_in, client, customer):
    assert URL in signed_in.get(reverse("workspace:queue")).content.decode()
    client.force_login(customer)
    assert URL not in client.get(reverse("tickets:list")).content.decode()


def test_it_shows_what_the_clock_derives_in_the_chosen_zone(signed_in):
    response = signed_in.post(URL, form())
    assert response.status_code == 200
    page = response.content.decode()
    assert text_of(page, "calc-auto-close-at") == "12/14/2026 midnight MSK"
    assert text_of(page, "calc-confirmation-due") == "11/30/2026 24:00 MSK"
    assert text_of(page, "calc-pauses") == "since 11/29/2026 noon MSK, still paused"
    assert text_of(page, "calc-state") == "Resolved"
    assert "How the deadlines were counted" in page  # the ticket page's explanation


def test_it_reads_the_typed_times_in_the_chosen_zone(signed_in):
    events = "2026-11-27 07:00 registered\n2026-11-27 08:00 take\n2026-11-29 09:00 resolve\n"
    page = signed_in.post(URL, form(events, time_zone="UTC")).content.decode()
    # 09:00 UTC on Sunday is 12:00 in Moscow: the same ticket, the same close, shown in UTC.
    assert text_of(page, "calc-auto-close-at") == "12/13/2026 9 p.m. UTC"


def test_it_names_the_line_of_an_event_that_cannot_happen_and_keeps_the_input(signed_in):
    events = "# a note\n2026-03-02 10:00 registered\n\n2026-03-02 11:00 dispute\n"
    response = signed_in.post(URL, form(events))
    assert response.status_code == 200
    page = response.content.decode()
    errors = text_of(page, "id_events_errors")
    assert errors.startswith("Line 4 (dispute): not allowed while the ticket is “Registered”")
    assert text_of(page, "id_events") == " ".join(events.split())
    assert 'id="calculator-results"' not in page


def test_it_says_which_lines_it_cannot_read(signed_in):
    events = "2026-03-02 10:00 registered\nyesterday noon take\n2026-03-03 10:00 escalate\n"
    page = signed_in.post(URL, form(events)).content.decode()
    errors = text_of(page, "id_events_errors")
    assert "Line 2: “yesterday noon” is not a date and time" in errors
    assert "Line 3: “escalate” is not an event" in errors
