"""The queue page and its rows partial, through HTTP: who may open them, what a row shows,
how filters and pages behave, and that the number of queries does not grow with the rows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory, LicenseFactory, TicketFactory, ticket_in_state
from tickets import services
from tickets.models import Ticket
from tickets.templatetags.portal import when
from workspace import queue

HOUR = datetime.timedelta(hours=1)
QUEUE, ROWS, BULK = "workspace:queue", "workspace:queue_rows", "workspace:queue_bulk"


@pytest.fixture
def signed_in(client, engineer):
    client.force_login(engineer)
    return client


def page_of(client, name=QUEUE, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return response.content.decode()


def set_deadline(ticket, due, *, warn=None):
    Ticket.objects.filter(pk=ticket.pk).update(
        queue_due=due, reaction_warn_at=warn, resolution_warn_at=warn
    )
    ticket.refresh_from_db()
    return ticket


# --- who may open it ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["customer", "outsider"])
def test_it_forbids_the_queue_to_customers(request, client, persona, ticket):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(QUEUE)).status_code == 403
    assert client.get(reverse(ROWS)).status_code == 403
    response = client.post(reverse(BULK), {"tickets": [ticket.number], "action": "take"})
    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.state == "registered"


def test_it_sends_anonymous_users_to_log_in(client, ticket):
    for response in (
        client.get(reverse(QUEUE)),
        client.get(reverse(ROWS)),
        client.post(reverse(BULK), {"tickets": [ticket.number], "action": "take"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_takes_the_bulk_action_only_as_a_post(signed_in):
    assert signed_in.get(reverse(BULK)).status_code == 405


def test_the_queue_and_its_rows_are_read_only(signed_in):
    assert signed_in.post(reverse(QUEUE)).status_code == 405
    assert signed_in.post(reverse(ROWS)).status_code == 405


# --- what a row shows ---------------------------------------------------------------------


def test_a_row_shows_the_ticket_at_a_glance(signed_in, engineer, customer, license_a):
    ticket = ticket_in_state("in_progress", customer=customer, engineer=engineer, license=license_a)
    due = timezone.now() + 2 * HOUR + 20 * datetime.timedelta(minutes=1)
    set_deadline(ticket, due)
    page = page_of(signed_in)
    assert f'<a href="/tickets/{ticket.number}/">{ticket.number}</a>' in page
    assert ticket.subject in page
    assert ">Alpha Logistics</a>" in page
    assert '<span class="badge bg-body-tertiary text-body border tier tier-standard">' in page
    assert '<span class="badge text-bg-warning priority priority-high">High</span>' in page
    assert (
        '<span class="badge bg-success-subtle text-success-emphasis state state-in_progress">'
        "In progress</span>" in page
    )
    assert '<td class="q-assignee" data-label="Assignee">Eve</td>' in page
    assert '<span class="badge text-bg-success urgency urgency-on_time">' in page
    assert '<span class="urgency-label">On time</span>' in page
    assert "2 h 19 min left" in page or "2 h 20 min left" in page
    assert f'data-due="{due.astimezone(datetime.UTC).isoformat()}"' in page
    assert when(due) in page  # the absolute time, in the viewer's zone
    assert (
        f'<label for="pick-{ticket.number}" class="visually-hidden">Choose {ticket.number}' in page
    )


def test_the_badge_says_how_urgent_each_ticket_is(signed_in, customer, engineer, license_a):
    now = timezone.now()

    def ticket(state="registered"):
        return ticket_in_state(state, customer=customer, engineer=engineer, license=license_a)

    breached = set_deadline(ticket(), now - 26 * HOUR - 5 * datetime.timedelta(minutes=1))
    at_risk = set_deadline(ticket(), now + 50 * datetime.timedelta(minutes=1), warn=now - HOUR)
    waiting = set_deadline(ticket("awaiting_customer"), None)
    page = page_of(signed_in)
    rows = {
        t.number: page.split(f'data-number="{t.number}"')[1].split("</tr>")[0]
        for t in (
            breached,
            at_risk,
            waiting,
        )
    }
    assert f'<tr data-number="{breached.number}" class="row-breached">' in page
    assert "Breached" in rows[breached.number]
    assert "overdue by 1 d 2 h" in rows[breached.number]
    assert "At risk" in rows[at_risk.number]
    assert "49 min left" in rows[at_risk.number] or "50 min left" in rows[at_risk.number]
    assert (
        'class="badge text-bg-secondary urgency urgency-waiting">waiting on the customer<'
        in rows[waiting.number]
    )


def test_it_flags_what_needs_attention_beyond_the_deadline(
    signed_in, customer, engineer, license_a
):
    unconfirmed = ticket_in_state(
        "resolved", customer=customer, engineer=engineer, license=license_a
    )
    Ticket.objects.filter(pk=unconfirmed.pk).update(unconfirmed_flagged_at=timezone.now())
    disputed = ticket_in_state("disputed", customer=customer, engineer=engineer, license=license_a)
    provisional = TicketFactory(customer=customer, license=license_a)
    Ticket.objects.filter(pk=provisional.pk).update(deadlines_provisional=True)
    page = page_of(signed_in)

    def flags(ticket):
        return page.split(f'data-number="{ticket.number}"')[1].split('<td class="flags">')[1]

    assert flags(unconfirmed).startswith(
        '<span class="badge text-bg-warning flag flag-unconfirmed">Confirmation overdue'
    )
    assert flags(disputed).startswith(
        '<span class="badge text-bg-danger flag flag-disputed">Disputed'
    )
    assert flags(provisional).startswith(
        '<span class="badge bg-body-tertiary text-body border flag flag-provisional">Provisional'
    )


def test_it_links_the_stylesheet_and_script_and_sets_the_refresh_interval(signed_in, settings):
    settings.QUEUE_REFRESH_SECONDS = 7
    page = page_of(signed_in)
    assert 'href="/static/css/queue.css"' in page
    assert 'src="/static/js/queue.js"' in page
    assert 'data-refresh-seconds="7"' in page
    assert f'data-rows-url="{reverse(ROWS)}"' in page
    assert 'id="queue-news" class="queue-news" role="status" aria-live="polite"' in page


# --- views, filters, pages -----------------------------------------------------------------


def test_it_marks_the_current_view_and_keeps_the_filters_when_switching(signed_in):
    page = page_of(signed_in, view="mine", priority="critical")
    assert (
        '<a class="nav-link active" href="?view=mine&amp;priority=critical" aria-current="page">'
        "Mine</a>" in page
    )
    assert (
        '<a class="nav-link" href="?view=unassigned&amp;priority=critical">Unassigned</a>' in page
    )
    assert "<caption>Mine: the nearest deadline first</caption>" in page


def test_each_filter_has_a_label(signed_in):
    page = page_of(signed_in)
    for name in ("tier", "priority", "organization", "assignee", "state", "q", "per_page"):
        assert f'<label for="id_{name}">' in page, name
    assert '<label for="id_engineer">Assign to</label>' in page


def test_it_filters_by_the_id_an_organization_link_gives_and_names_it(
    signed_in, customer, outsider, license_a, license_b, org_a
):
    ours = TicketFactory(customer=customer, license=license_a)
    theirs = TicketFactory(customer=outsider, license=license_b)
    page = page_of(signed_in)
    assert f'href="?organization={org_a.pk}"' in page
    page = page_of(signed_in, organization=org_a.pk)
    assert ours.number in page
    assert theirs.number not in page
    assert "Tickets of Alpha Logistics" in page


def test_an_organization_link_keeps_the_other_filters(signed_in, customer, license_a, org_a):
    TicketFactory(customer=customer, license=license_a)
    page = page_of(signed_in, view="unassigned", q="problem", organization="alpha", page=1)
    assert f'href="?view=unassigned&amp;q=problem&amp;organization={org_a.pk}"' in page


def test_it_says_an_organization_number_is_unknown_and_shows_all(signed_in, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a)
    page = page_of(signed_in, organization="987654", priority="nonsense")
    assert "There is no organization number 987654." in page
    assert "Select a valid choice." in page
    assert ticket.number in page


def test_it_filters_by_assignee_including_nobody(
    signed_in, engineer, engineer2, customer, license_a
):
    free = TicketFactory(customer=customer, license=license_a)
    held = ticket_in_state("in_progress", customer=customer, engineer=engineer2, license=license_a)
    page = page_of(signed_in, assignee="none")
    assert free.number in page
    assert held.number not in page
    page = page_of(signed_in, assignee=engineer2.pk)
    assert held.number in page
    assert free.number not in page


def test_it_searches_in_russian(signed_in, customer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a, subject="Сервер не запускается")
    other = TicketFactory(customer=customer, license=license_a, subject="VPN drops")
    page = page_of(signed_in, q="серверы")
    assert ticket.number in page
    assert other.number not in page
    assert 'value="серверы"' in page


def test_it_pages_with_the_page_size_asked_for(signed_in, customer, license_a):
    now = timezone.now()
    tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(27)]
    for minutes, ticket in enumerate(tickets):
        set_deadline(ticket, now + (minutes + 1) * datetime.timedelta(minutes=1))
    first = signed_in.get(reverse(QUEUE), {"per_page": 25})
    assert [t["number"] for t in first.context["page"]] == [t.number for t in tickets[:25]]
    assert "Page 1 of 2" in first.content.decode()
    second = signed_in.get(reverse(QUEUE), {"per_page": 25, "page": 2})
    assert [t["number"] for t in second.context["page"]] == [t.number for t in tickets[25:]]
    odd = signed_in.get(reverse(QUEUE), {"per_page": 7})  # not offered: the default
    assert len(odd.context["page"]) == 27


def test_a_long_queue_is_counted_up_to_a_limit(signed_in, customer, license_a, monkeypatch):
    monkeypatch.setattr(queue, "COUNT_UP_TO", 3)
    tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(5)]
    response = signed_in.get(reverse(QUEUE), {"per_page": 25})
    page = response.content.decode()
    assert '<p id="queue-count" class="muted">more than 3 tickets</p>' in page
    assert 'data-total-text="more than 3 tickets"' in page
    assert all(ticket.number in page for ticket in tickets)  # the page itself is complete
    # A search is counted up to the same limit.
    page = page_of(signed_in, q="problem")
    assert '<p id="queue-count" class="muted">more than 3 tickets</p>' in page
    monkeypatch.setattr(queue, "COUNT_UP_TO", 10_000)
    page = page_of(signed_in, per_page=25)
    assert '<p id="queue-count" class="muted">5 tickets</p>' in page


def test_it_groups_the_digits_of_a_large_count(signed_in, customer, license_a, monkeypatch):
    monkeypatch.setattr(queue, "COUNT_UP_TO", 1)
    TicketFactory(customer=customer, license=license_a)
    TicketFactory(customer=customer, license=license_a)
    assert "more than 1 ticket</p>" in page_of(signed_in)


# --- the rows partial ----------------------------------------------------------------------


def test_the_rows_partial_is_only_the_table_body_with_the_count(signed_in, customer, license_a):
    tickets = [TicketFactory(customer=customer, license=license_a) for _ in range(2)]
    response = signed_in.get(reverse(ROWS), {"view": "unassigned"})
    body = response.content.decode().strip()
    assert body.startswith('<tbody id="queue-rows" data-total="2" data-total-text="2 tickets">')
    assert body.endswith("</tbody>")
    assert body.count("<tr ") == 2
    assert all(ticket.number in body for ticket in tickets)
    for outside in ("<html", "<form", "<thead", "<caption"):
        assert outside not in body
    assert response["Cache-Control"] == "no-store, private"


def test_the_rows_partial_shows_a_ticket_registered_since(signed_in, customer, license_a):
    before = page_of(signed_in, ROWS)
    critical = TicketFactory(customer=customer, license=license_a, priority="critical")
    after = page_of(signed_in, ROWS)
    assert critical.number not in before
    assert critical.number in after


# --- queries -----------------------------------------------------------------------------------


def many_tickets(count, engineers):
    """Tickets of different organizations, tiers, priorities and assignees: any per-row query
    for a related object would show."""
    made = []
    for n in range(count):
        person = CustomerFactory()
        license = LicenseFactory(
            organization=person.organization, tier_id=("standard", "premium", "platinum")[n % 3]
        )
        ticket = TicketFactory(
            customer=person, license=license, priority=("critical", "high", "low")[n % 3]
        )
        if n % 2:
            services.ticket_take(actor=engineers[n % len(engineers)], ticket=ticket)
        made.append(ticket)
    return made


# user, COUNT, page, unread notifications (the bell); the session, the engineers, tiers and
# priorities come from the cache (cached_db sessions, accounts/reference.py)
PAGE_QUERIES = 4
# user, COUNT, page
ROWS_QUERIES = 3


@pytest.mark.parametrize("params", [{}, {"view": "unassigned", "tier": "standard"}])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    signed_in, engineer, engineer2, django_assert_num_queries, params
):
    many_tickets(1, [engineer, engineer2])
    signed_in.get(reverse(QUEUE))  # the reference data, read once per process
    with django_assert_num_queries(PAGE_QUERIES):
        assert len(signed_in.get(reverse(QUEUE), params).context["page"]) == 1
    with django_assert_num_queries(ROWS_QUERIES):
        signed_in.get(reverse(ROWS), params)
    many_tickets(29, [engineer, engineer2])
    with django_assert_num_queries(PAGE_QUERIES):
        response = signed_in.get(reverse(QUEUE), params)
    assert len(response.context["page"]) == (6 if params else 30)
    with django_assert_num_queries(ROWS_QUERIES):
        signed_in.get(reverse(ROWS), params)


def test_a_search_adds_two_small_lookups_whatever_the_rows(
    signed_in, engineer, engineer2, django_assert_num_queries
):
    many_tickets(1, [engineer, engineer2])
    signed_in.get(reverse(QUEUE))  # the reference data, read once per process
    with django_assert_num_queries(PAGE_QUERIES + 2):  # license keys, organization names
        signed_in.get(reverse(QUEUE), {"q": "problem"})
    many_tickets(29, [engineer, engineer2])
    with django_assert_num_queries(PAGE_QUERIES + 2):
        response = signed_in.get(reverse(QUEUE), {"q": "problem"})
    assert len(response.context["page"]) == 30


def test_the_engineer_selects_escape_names_and_keep_the_choice(signed_in, engineer2):
    engineer2.first_name = "<Frank & Co>"
    engineer2.save(update_fields=["first_name"])
    page = page_of(signed_in, assignee=engineer2.pk)
    assert f'<option value="{engineer2.pk}" selected>&lt;Frank &amp; Co&gt;</option>' in page
    assert f'<option value="{engineer2.pk}">&lt;Frank &amp; Co&gt;</option>' in page  # bulk
    assert "<Frank" not in page


def test_a_row_shows_markup_in_a_subject_as_text(signed_in, customer, license_a, org_a):
    org_a.name = 'Alpha "A&B" <Logistics>'
    org_a.save(update_fields=["name"])
    TicketFactory(customer=customer, license=license_a, subject="<script>alert(1)</script> & co")
    page = page_of(signed_in, ROWS, q="co")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert ">Alpha &quot;A&amp;B&quot; &lt;Logistics&gt;</a>" in page
    assert "<script>" not in page
    assert 'href="?q=co&amp;organization=' in page
