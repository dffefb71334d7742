"""workspace.queue.queue_for: which open tickets the queue shows, and in which order.

Deadlines are set on the row (queue_due and the warning marks) relative to an explicit `now`,
so every case states the situation it is about instead of depending on the clock.
"""

import datetime

import pytest
from django.db import connections
from django.utils import timezone

from tests.factories import LicenseFactory, TicketFactory, ticket_in_state
from tickets.models import Ticket
from workspace import queue
from workspace.queue import UNASSIGNED, queue_for, queue_page
from workspace.urgency import Urgency

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def now():
    return timezone.now()


def set_deadline(ticket, due, *, warn=None):
    """Put the ticket's next deadline (None: no vendor deadline) and its warning mark."""
    Ticket.objects.filter(pk=ticket.pk).update(
        queue_due=due, reaction_warn_at=warn, resolution_warn_at=warn
    )
    ticket.refresh_from_db()
    return ticket


def numbers(tickets):
    return [ticket.number for ticket in tickets]


@pytest.fixture
def board(customer, outsider, engineer, engineer2, license_a, license_b, now):
    """One ticket per situation, organization A on Standard and B on Platinum."""

    def make(state, *, license=license_a, person=customer, by=engineer2, due=None, **kw):
        if state == "registered":
            ticket = TicketFactory(customer=person, license=license, **kw)
        else:
            ticket = ticket_in_state(state, customer=person, engineer=by, license=license)
        return set_deadline(ticket, due)

    return {
        "unassigned": make("registered", due=now + 5 * HOUR, priority="medium"),
        "mine": make("in_progress", by=engineer, due=now + 3 * HOUR),
        "theirs": make("in_progress", license=license_b, person=outsider, due=now + 4 * HOUR),
        "awaiting": make("awaiting_customer"),
        "resolved": make("resolved", license=license_b, person=outsider),
        "disputed": make("disputed", due=now + 2 * HOUR),
        "breached": make(
            "registered", license=license_b, person=outsider, due=now - HOUR, priority="critical"
        ),
        "closed": make("closed"),
    }


def test_it_puts_the_nearest_deadline_first_and_tickets_without_one_last(engineer, board, now):
    queue = numbers(queue_for(user=engineer, now=now))
    waiting = sorted([board["awaiting"], board["resolved"]], key=lambda t: t.pk)
    expected = ["breached", "disputed", "mine", "theirs", "unassigned"]
    assert queue == [board[key].number for key in expected] + numbers(waiting)


def test_it_breaks_a_tie_by_the_older_ticket(engineer, customer, license_a, now):
    first, second = (TicketFactory(customer=customer, license=license_a) for _ in range(2))
    for ticket in (second, first):
        set_deadline(ticket, now + HOUR)
    assert numbers(queue_for(user=engineer, now=now)) == [first.number, second.number]


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("open", {"unassigned", "mine", "theirs", "awaiting", "resolved", "disputed", "breached"}),
        ("unassigned", {"unassigned", "breached"}),
        ("mine", {"mine"}),
        ("waiting", {"awaiting", "resolved"}),
        ("disputed", {"disputed"}),
        ("breached", {"breached"}),
    ],
)
def test_each_view_shows_its_tickets_and_never_a_closed_one(engineer, board, now, view, expected):
    shown = set(numbers(queue_for(user=engineer, now=now, view=view)))
    assert shown == {board[key].number for key in expected}


def test_an_unknown_view_shows_all_open_tickets(engineer, board, now):
    assert len(queue_for(user=engineer, now=now, view="everything")) == 7


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"tier": "platinum"}, {"theirs", "resolved", "breached"}),
        ({"priority": "critical"}, {"breached"}),
        ({"priority": "medium"}, {"unassigned"}),
        ({"organization": "beta"}, {"theirs", "resolved", "breached"}),
        ({"assignee": UNASSIGNED}, {"unassigned", "breached"}),
        ({"state": "in_progress"}, {"mine", "theirs"}),
        ({"state": "in_progress", "tier": "standard"}, {"mine"}),
    ],
)
def test_it_filters(engineer, board, now, filters, expected):
    shown = set(numbers(queue_for(user=engineer, now=now, **filters)))
    assert shown == {board[key].number for key in expected}


def test_it_filters_by_organization_id_and_by_assignee(engineer, engineer2, org_a, board, now):
    by_org = set(numbers(queue_for(user=engineer, now=now, organization=org_a.pk)))
    assert by_org == {board[k].number for k in ("unassigned", "mine", "awaiting", "disputed")}
    by_engineer2 = set(numbers(queue_for(user=engineer, now=now, assignee=engineer2.pk)))
    theirs = ("theirs", "awaiting", "resolved", "disputed")
    assert by_engineer2 == {board[k].number for k in theirs}


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def texts(customer, outsider, license_a, license_b):
    return {
        "ru": TicketFactory(
            customer=customer,
            license=license_a,
            subject="Сервер не запускается",
            description="После обновления служба падает при старте.",
        ),
        "en": TicketFactory(
            customer=customer,
            license=license_a,
            subject="Gateway crash",
            description="The IPsec daemon crashed twice after the upgrade.",
        ),
        "other": TicketFactory(
            customer=outsider,
            license=license_b,
            subject="Certificate warning",
            description="The browser warns about the portal certificate.",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("серверы", {"ru"}),  # Russian stemming: a plural finds the singular
        ("запуска", {"ru"}),  # "запускается" stems to it
        ("обновлении", {"ru"}),  # another case of "обновления"
        ("crashes", {"en"}),  # English stemming
        ("daemons", {"en"}),
        ("certificates", {"other"}),
        ("crash -gateway", set()),  # web search syntax: a word excluded
        ("broken fridge", set()),
    ],
)
def test_it_searches_the_text_with_russian_and_english_stemming(
    engineer, texts, now, query, expected
):
    found = set(numbers(queue_for(user=engineer, now=now, q=query)))
    assert found == {texts[key].number for key in expected}


def test_it_finds_a_ticket_by_its_number_typed_in_any_case(engineer, texts, now):
    number = texts["en"].number
    assert numbers(queue_for(user=engineer, now=now, q=f" {number.lower()} ")) == [number]


def test_it_finds_the_tickets_of_a_license_by_its_key(engineer, texts, org_a, now):
    other_license = LicenseFactory(organization=org_a, key="ALPHA-0002")
    of_other = TicketFactory(customer=texts["ru"].customer, license=other_license)
    assert numbers(queue_for(user=engineer, now=now, q="alpha-0002")) == [of_other.number]


def test_it_finds_the_tickets_of_an_organization_by_part_of_its_name(engineer, texts, now):
    found = set(numbers(queue_for(user=engineer, now=now, q="Logist")))
    assert found == {texts["ru"].number, texts["en"].number}


def test_the_search_matches_the_indexed_search_document(engineer, texts, now):
    sql = str(queue_for(user=engineer, now=now, q="crash").query)
    assert '"tickets_ticket"."search_document" @@ (websearch_to_tsquery' in sql
    assert "to_tsvector" not in sql  # nothing recomputed per row


def test_it_searches_by_substring_where_there_is_no_full_text_search(
    engineer, texts, now, monkeypatch
):
    # The SQLite demo's path, run here on PostgreSQL: only the vendor check decides it.
    monkeypatch.setattr(connections["default"], "vendor", "sqlite")
    assert numbers(queue_for(user=engineer, now=now, q="daemon")) == [texts["en"].number]
    assert numbers(queue_for(user=engineer, now=now, q="серверы")) == []  # no stemming there
    found = set(numbers(queue_for(user=engineer, now=now, q="beta")))
    assert found == {texts["other"].number}


# --- urgency --------------------------------------------------------------------------------


def test_each_ticket_carries_its_urgency_as_of_now(customer, engineer, license_a, now):
    def ticket(due, warn=None, state="registered"):
        made = ticket_in_state(state, customer=customer, engineer=engineer, license=license_a)
        return set_deadline(made, due, warn=warn)

    cases = {
        "breached": ticket(now - 2 * HOUR, warn=now - 3 * HOUR),
        "at_risk": ticket(now + HOUR, warn=now - HOUR),
        "at_risk_in_work": ticket(now + HOUR, warn=now - HOUR, state="in_progress"),
        "on_time": ticket(now + 3 * HOUR, warn=now + HOUR),
        "waiting": ticket(None, state="awaiting_customer"),
    }
    urgency = {t.pk: t.urgency for t in queue_for(user=engineer, now=now)}
    assert {key: urgency[t.pk] for key, t in cases.items()} == {
        "breached": Urgency.BREACHED,
        "at_risk": Urgency.AT_RISK,
        "at_risk_in_work": Urgency.AT_RISK,
        "on_time": Urgency.ON_TIME,
        "waiting": Urgency.WAITING,
    }
    # The same rows an hour and a half later: the at-risk ones have breached.
    later = {t.pk: t.urgency for t in queue_for(user=engineer, now=now + 1.5 * HOUR)}
    assert later[cases["at_risk"].pk] == Urgency.BREACHED


def test_it_keeps_to_the_visibility_rule_whoever_asks(customer, outsider, ticket, license_b, now):
    # The page is for engineers only; the selector still never widens what a person may see.
    TicketFactory(customer=outsider, license=license_b)
    assert numbers(queue_for(user=customer, now=now)) == [ticket.number]


@pytest.mark.parametrize("walk", [True, False])
def test_a_search_page_is_in_queue_order_whichever_way_it_is_read(
    engineer, customer, license_a, now, monkeypatch, walk
):
    # Few matches are gathered and sorted, more than the count's cap walk the queue order:
    # both ways read the same page.
    monkeypatch.setattr(queue, "COUNT_UP_TO", 3 if walk else 1_000)
    made = [
        TicketFactory(customer=customer, license=license_a, subject=f"VPN drops {n}")
        for n in range(4)
    ]
    TicketFactory(customer=customer, license=license_a, subject="Printer jam", description="Paper.")
    for ticket, due in zip(made, [None, now + 2 * HOUR, now - HOUR, now + 2 * HOUR], strict=True):
        set_deadline(ticket, due)
    page = queue_page(queue_for(user=engineer, now=now, q="vpn"), number=1, per_page=3, q="vpn")
    assert numbers(page) == [made[2].number, made[1].number, made[3].number]
    assert page.paginator.count == 4
    assert page.has_next()
    matches_first = 'COALESCE("tickets_ticket"."queue_due"' in str(page.paginator.object_list.query)
    assert matches_first is not walk
    last = queue_page(queue_for(user=engineer, now=now, q="vpn"), number=2, per_page=3, q="vpn")
    assert numbers(last) == [made[0].number]


def test_a_page_out_of_range_is_the_last_page(engineer, customer, license_a, now):
    made = TicketFactory(customer=customer, license=license_a, subject="VPN drops")
    for number in ("9", "x", None):
        page = queue_page(
            queue_for(user=engineer, now=now, q="vpn"), number=number, per_page=25, q="vpn"
        )
        assert numbers(page) == [made.number]
