"""Auto-assignment at registration (issue 18): who gets a new ticket, and the event saying why."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from duty.models import DutyProfile
from tests import factories
from tickets import services
from tickets.history import describe
from tickets.models import Notification, State, TicketEvent
from tickets.services.assignment import pick_least_work


def at(hour: int) -> datetime.datetime:
    """Today at `hour`:00 UTC (the shift calendars of these tests are in UTC)."""
    return (
        timezone.now()
        .astimezone(datetime.UTC)
        .replace(hour=hour, minute=0, second=0, microsecond=0)
    )


DAY, NIGHT = 10, 22


@pytest.fixture
def day_shift(db):
    return factories.shift_calendar()


@pytest.fixture
def platinum(org_a):
    return factories.LicenseFactory(organization=org_a, tier_id="platinum", key="PLAT-0001")


def engineers(count, calendar, **profile):
    return [
        factories.DutyProfileFactory(
            engineer=factories.EngineerFactory(first_name=f"E{n}"), calendar=calendar, **profile
        ).engineer
        for n in range(count)
    ]


def register(customer, license_, *, hour=DAY, minute=0, priority="high", **kwargs):
    now = at(hour) + datetime.timedelta(minutes=minute)
    return factories.TicketFactory(
        customer=customer, license=license_, priority=priority, now=now, **kwargs
    )


def give_work(engineer, customer, license_, count):
    """`count` tickets in progress with `engineer`, registered while auto-assignment is off."""
    factories.auto_assignment(False)
    for _ in range(count):
        services.ticket_take(actor=engineer, ticket=register(customer, license_))
    factories.auto_assignment(True)


def auto_event(ticket):
    return ticket.events.get(kind=TicketEvent.Kind.AUTO_ASSIGN)


def test_it_gives_a_new_ticket_to_the_engineer_with_the_least_open_work(
    customer, license_a, day_shift
):
    factories.auto_assignment()
    busy, idle, half = engineers(3, day_shift)
    give_work(busy, customer, license_a, 2)
    give_work(half, customer, license_a, 1)
    ticket = register(customer, license_a)
    assert ticket.assignee == idle
    assert ticket.state == State.REGISTERED  # registered, not taken
    assert ticket.reacted_at is None
    event = auto_event(ticket)
    assert event.actor is None
    assert event.data == {
        "rule": "least_work",
        "to": idle.pk,
        "open": 0,
        "candidates": 3,
        "tier": "standard",
        "area": None,
        "priority": "high",
    }
    assert Notification.objects.filter(recipient=idle, ticket=ticket, kind="assigned").exists()


def test_it_counts_only_the_work_waiting_on_the_vendor(customer, license_a, day_shift):
    factories.auto_assignment()
    waiting, working = engineers(2, day_shift)
    give_work(waiting, customer, license_a, 2)
    for ticket in waiting.assigned_tickets.all():
        services.ticket_resolve(actor=waiting, ticket=ticket, result="Fixed.")
    give_work(working, customer, license_a, 1)
    assert register(customer, license_a).assignee == waiting


def test_it_takes_turns_among_engineers_with_equal_work(customer, license_a, day_shift):
    factories.auto_assignment()
    team = engineers(3, day_shift)
    chosen = []
    for minute in range(4):
        ticket = register(customer, license_a, minute=minute)
        chosen.append(ticket.assignee)
        # the work is done at once, so everyone has none again: only the turn decides
        services.ticket_take(actor=ticket.assignee, ticket=ticket)
        services.ticket_resolve(actor=ticket.assignee, ticket=ticket, result="Done.")
    assert set(chosen[:3]) == set(team)
    assert chosen[3] == chosen[0]


def test_it_takes_turns_by_the_oldest_last_automatic_assignment(customer, license_a, day_shift):
    factories.auto_assignment()
    recent, oldest, middle = engineers(3, day_shift)
    for engineer, hours_ago in ((recent, 1), (oldest, 5), (middle, 3)):
        DutyProfile.objects.filter(pk=engineer.pk).update(
            last_auto_assigned_at=at(DAY) - datetime.timedelta(hours=hours_ago)
        )
    ticket = register(customer, license_a)
    assert ticket.assignee == oldest
    assert DutyProfile.objects.get(pk=oldest.pk).last_auto_assigned_at == at(DAY)


def test_it_gives_tickets_only_to_engineers_handling_the_tier_and_area(
    customer, platinum, day_shift, vpn, licensing
):
    factories.auto_assignment()
    (standard_only,) = engineers(1, day_shift, tiers=["standard"])
    (vpn_person,) = engineers(1, day_shift, tiers=["platinum"], areas=[vpn])
    (licensing_person,) = engineers(1, day_shift, tiers=["platinum", "premium"], areas=[licensing])
    for _ in range(2):
        assert register(customer, platinum, product_area=vpn).assignee == vpn_person
        assert register(customer, platinum, product_area=licensing).assignee == licensing_person
    # no area: anyone who handles the tier, by their work
    assert register(customer, platinum).assignee in {vpn_person, licensing_person}
    assert standard_only.assigned_tickets.count() == 0


def test_it_gives_tickets_only_to_engineers_within_working_hours(customer, license_a, day_shift):
    factories.auto_assignment()
    (day_person,) = engineers(1, day_shift)
    evening = factories.shift_calendar("Evening shift", start="16:00", end="23:59")
    (evening_person,) = engineers(1, evening)
    give_work(evening_person, customer, license_a, 3)
    assert register(customer, license_a, hour=DAY).assignee == day_person
    assert register(customer, license_a, hour=NIGHT).assignee == evening_person


def test_it_gives_a_critical_platinum_ticket_at_night_to_the_on_duty_engineer_with_an_alert(
    customer, platinum, day_shift
):
    factories.auto_assignment()
    engineers(2, day_shift, tiers=["platinum"])
    (on_duty,) = engineers(1, day_shift, tiers=["platinum"], on_duty_24x7=True)
    ticket = register(customer, platinum, hour=NIGHT, priority="critical")
    assert ticket.assignee == on_duty
    assert auto_event(ticket).data["rule"] == "on_duty"
    alert = Notification.objects.get(ticket=ticket, kind="on_duty_alert")
    assert alert.recipient == on_duty
    assert alert.email == on_duty.email
    assert alert.email_status == Notification.EmailStatus.PENDING


def test_it_leaves_a_night_ticket_outside_the_shift_unassigned_and_says_why(
    customer, platinum, day_shift
):
    factories.auto_assignment()
    engineers(1, day_shift, tiers=["platinum"], on_duty_24x7=True)
    ticket = register(customer, platinum, hour=NIGHT, priority="high")
    assert ticket.assignee is None
    assert auto_event(ticket).data["reason"] == "nobody_at_work"


def test_it_says_when_no_on_duty_engineer_handles_the_tier(customer, platinum, day_shift):
    factories.auto_assignment()
    engineers(1, day_shift, tiers=["platinum"])
    engineers(1, day_shift, tiers=["standard"], on_duty_24x7=True)
    ticket = register(customer, platinum, hour=NIGHT, priority="critical")
    assert ticket.assignee is None
    assert auto_event(ticket).data["reason"] == "no_on_duty"


def test_it_says_when_nobody_handles_the_tier(customer, platinum, day_shift):
    factories.auto_assignment()
    engineers(2, day_shift, tiers=["standard"])
    ticket = register(customer, platinum)
    assert ticket.assignee is None
    assert auto_event(ticket).data["reason"] == "nobody_handles"


def test_it_assigns_nothing_and_records_nothing_when_switched_off(customer, license_a, day_shift):
    factories.auto_assignment(False)
    engineers(2, day_shift)
    ticket = register(customer, license_a)
    assert ticket.assignee is None
    assert not ticket.events.filter(kind=TicketEvent.Kind.AUTO_ASSIGN).exists()


def test_an_engineer_without_a_profile_handles_everything_on_the_default_calendar(
    customer, engineer, platinum
):
    factories.auto_assignment()
    # the default calendar: Moscow business hours on the production calendar
    from sla.selectors import customer_calendar

    now = customer_calendar().add_working_time(at(DAY), datetime.timedelta(minutes=30))
    ticket = factories.TicketFactory(customer=customer, license=platinum, now=now)
    assert ticket.assignee == engineer
    assert DutyProfile.objects.get(pk=engineer.pk).tiers.count() == 0  # made with the defaults


def test_it_explains_the_assignment_in_both_languages(customer, platinum, day_shift, vpn):
    factories.auto_assignment()
    (person,) = engineers(1, day_shift, tiers=["platinum"])
    ticket = register(customer, platinum, product_area=vpn)
    night = register(customer, platinum, hour=NIGHT)
    events = [auto_event(ticket), auto_event(night)]
    english = [entry.details for entry in describe(events)]
    assert english == [
        f"to {person}, the least open work: open tickets 0; engineers at work who handle "
        "Platinum / VPN: 1",
        "left unassigned: nobody who handles Platinum is within working hours now",
    ]
    with translation.override("ru"):
        russian = [entry.details for entry in describe(events)]
    assert "Платинум / VPN-туннели" in russian[0]
    assert "меньше всего" in russian[0]
    assert russian[1].startswith("оставлена без исполнителя")


def test_a_long_history_names_its_product_areas_without_a_query_each(
    customer, platinum, day_shift, vpn, django_assert_num_queries
):
    factories.auto_assignment()
    engineers(1, day_shift, tiers=["platinum"])
    events = [auto_event(register(customer, platinum, product_area=vpn)) for _ in range(3)]
    describe(events[:1])  # the kept reference data read once

    with django_assert_num_queries(0):
        details = [entry.details for entry in describe(events)]

    assert all("Platinum / VPN" in text for text in details)


def test_the_ticket_page_shows_why(client, customer, platinum, day_shift):
    factories.auto_assignment()
    (person,) = engineers(1, day_shift, tiers=["platinum"])
    ticket = register(customer, platinum)
    client.force_login(person)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    assert "Assigned automatically" in page
    assert "the least open work" in page


def test_registration_reads_as_many_queries_for_30_engineers_as_for_3(
    customer, license_a, day_shift
):
    factories.auto_assignment()
    engineers(3, day_shift)
    register(customer, license_a)  # warm the kept settings and calendars

    def queries():
        with CaptureQueriesContext(connection) as captured:
            register(customer, license_a)
        return len(captured)

    few = queries()
    engineers(27, day_shift, tiers=["standard"])
    register(customer, license_a)  # the new people made the kept settings be read again
    assert queries() == few
    assert few <= 30


@settings(deadline=None)
@given(
    work=st.lists(st.integers(0, 5), min_size=1, max_size=8),
    ages=st.lists(st.none() | st.integers(0, 10), min_size=8, max_size=8),
)
def test_the_choice_has_the_least_work_and_the_oldest_turn_among_equals(work, ages):
    ids = list(range(1, len(work) + 1))
    base = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    last = {
        pk: None if age is None else base + datetime.timedelta(hours=age)
        for pk, age in zip(ids, ages, strict=False)
    }
    chosen = pick_least_work(ids, work=dict(zip(ids, work, strict=True)), last=last)
    least = min(work)
    assert work[chosen - 1] == least
    tied = [pk for pk in ids if work[pk - 1] == least]
    never = [pk for pk in tied if last[pk] is None]
    if never:
        assert chosen == min(never)
    else:
        assert last[chosen] == min(last[pk] for pk in tied)
