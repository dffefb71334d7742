"""Deadlines on real tickets, through the real services, on the real 2026 calendar."""

import datetime
import zoneinfo

import pytest

from sla.models import Calendar, CalendarException, Target
from tests.factories import TicketFactory
from tickets import services

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MSK)


@pytest.fixture
def register(customer, license_a):
    def register(priority: str, at: datetime.datetime, **license_fields):
        for name, value in license_fields.items():
            setattr(license_a, name, value)
        license_a.save()
        return TicketFactory(customer=customer, license=license_a, priority=priority, now=at)

    return register


def test_it_stores_both_deadlines_at_registration(register):
    # Friday 6 March 2026, 17:30; 7-8 March weekend, 9 March a transferred day off.
    ticket = register("high", msk(2026, 3, 6, 17, 30))
    assert ticket.reaction_due == msk(2026, 3, 10, 16, 30)  # 8 h: 30 min Fri + 7 h 30 Tue
    assert ticket.resolution_due == msk(2026, 3, 16, 18, 0)  # 5 bd: 10, 11, 12, 13, 16 March
    assert ticket.deadlines_provisional is False


def test_it_counts_every_minute_on_24x7_targets(register):
    ticket = register("critical", msk(2026, 3, 6, 17, 30), tier_id="platinum")
    assert ticket.reaction_due == msk(2026, 3, 6, 18, 0)
    assert ticket.resolution_due == msk(2026, 3, 7, 5, 30)


def test_it_pauses_resolution_while_waiting_on_the_customer(register, engineer, customer):
    ticket = register("high", msk(2026, 3, 2, 10, 0))
    assert ticket.resolution_due == msk(2026, 3, 10, 18, 0)
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 10, 30))
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Logs, please.", now=msk(2026, 3, 3, 12, 0)
    )
    assert ticket.resolution_paused_at == msk(2026, 3, 3, 12, 0)
    services.ticket_provide_info(
        actor=customer, ticket=ticket, body="Here.", now=msk(2026, 3, 4, 12, 0)
    )
    ticket.refresh_from_db()
    # Paused 9 working hours (Tue 12-18, Wed 9-12): the deadline moves by exactly that.
    assert ticket.resolution_due == msk(2026, 3, 11, 18, 0)
    assert ticket.resolution_paused_at is None


def test_it_resumes_a_disputed_resolution_with_the_time_that_was_left(register, engineer, customer):
    ticket = register("high", msk(2026, 3, 2, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 10, 30))
    services.ticket_resolve(
        actor=engineer, ticket=ticket, result="Done.", now=msk(2026, 3, 5, 17, 0)
    )
    ticket.refresh_from_db()
    assert ticket.resolution_met is True
    services.ticket_dispute(
        actor=customer, ticket=ticket, reason="Not done.", now=msk(2026, 3, 6, 10, 0)
    )
    ticket.refresh_from_db()
    # Thu 17:00 -> Fri 10:00 is 2 working hours of pause.
    assert ticket.resolution_due == msk(2026, 3, 11, 11, 0)
    assert ticket.resolution_met is None


def test_it_recomputes_from_registration_on_an_agreed_priority_keeping_pauses(
    register, engineer, customer
):
    ticket = register("high", msk(2026, 3, 2, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 10, 30))
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Logs.", now=msk(2026, 3, 3, 12, 0)
    )
    services.ticket_provide_info(
        actor=customer, ticket=ticket, body="Here.", now=msk(2026, 3, 4, 12, 0)
    )
    change = services.priority_change_propose(
        actor=customer,
        ticket=ticket,
        to_priority="critical",
        reason="Spread to HQ.",
        now=msk(2026, 3, 4, 13, 0),
    )
    services.priority_change_answer(
        actor=engineer, change=change, accept=True, now=msk(2026, 3, 4, 13, 30)
    )
    ticket.refresh_from_db()
    assert ticket.reaction_due == msk(2026, 3, 2, 14, 0)  # 4 h from registration
    assert ticket.reaction_met is True  # taken at 10:30
    # 3 bd from registration = Thu 5 March 18:00, plus the 9 h pause = Fri 6 March 18:00.
    assert ticket.resolution_due == msk(2026, 3, 6, 18, 0)


def test_it_keeps_a_running_pause_running_through_a_priority_change(register, engineer, customer):
    ticket = register("high", msk(2026, 3, 2, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 10, 30))
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Logs.", now=msk(2026, 3, 3, 12, 0)
    )
    change = services.priority_change_propose(
        actor=engineer,
        ticket=ticket,
        to_priority="critical",
        reason="HQ affected.",
        now=msk(2026, 3, 3, 13, 0),
    )
    services.priority_change_answer(
        actor=customer, change=change, accept=True, now=msk(2026, 3, 3, 14, 0)
    )
    services.ticket_provide_info(
        actor=customer, ticket=ticket, body="Here.", now=msk(2026, 3, 4, 12, 0)
    )
    ticket.refresh_from_db()
    assert ticket.resolution_due == msk(2026, 3, 6, 18, 0)


def test_it_records_a_late_reaction_as_missed(register, engineer):
    ticket = register("high", msk(2026, 3, 6, 17, 30))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 10, 16, 31))
    ticket.refresh_from_db()
    assert ticket.reaction_met is False


def test_it_opens_a_one_business_day_confirmation_window_ending_at_midnight(register, engineer):
    ticket = register("high", msk(2026, 3, 2, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 6, 14, 0))
    services.ticket_resolve(
        actor=engineer, ticket=ticket, result="Fixed.", now=msk(2026, 3, 6, 15, 0)
    )
    ticket.refresh_from_db()
    # Friday's notice: the 1st business day after is Tuesday 10 March, to 24:00.
    assert ticket.confirmation_due == msk(2026, 3, 11, 0, 0)


def test_it_counts_silence_from_the_later_of_waiting_and_last_activity(
    register, engineer, customer
):
    ticket = register("high", msk(2026, 4, 27, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 4, 27, 11, 0))
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Logs.", now=msk(2026, 4, 28, 12, 0)
    )
    ticket.refresh_from_db()
    # 10 business days after 28 April (May holidays skipped) end at 24:00 on 14 May.
    assert ticket.auto_close_at == msk(2026, 5, 15, 0, 0)

    change = services.priority_change_propose(
        actor=engineer,
        ticket=ticket,
        to_priority="medium",
        reason="Workaround found.",
        now=msk(2026, 5, 4, 9, 0),
    )
    services.priority_change_answer(
        actor=customer, change=change, accept=True, now=msk(2026, 5, 5, 9, 0)
    )
    ticket.refresh_from_db()
    assert ticket.auto_close_at == msk(2026, 5, 21, 0, 0)  # the answer is activity


def test_it_lets_an_admin_exception_win_over_the_production_calendar(register):
    business = Calendar.objects.get(is_default=True)
    CalendarException.objects.create(
        calendar=business, date=datetime.date(2026, 3, 10), kind="day_off", note="Office move"
    )
    ticket = register("high", msk(2026, 3, 6, 17, 30))
    assert ticket.reaction_due == msk(2026, 3, 11, 16, 30)


def test_it_sees_a_changed_calendar_at_once(register):
    register("high", msk(2026, 3, 6, 17, 30))  # warms the per-process calendar cache
    business = Calendar.objects.get(is_default=True)
    business.hours.filter(weekday=1).update(start=datetime.time(10), end=datetime.time(18))
    business.touch()
    ticket = register("high", msk(2026, 3, 6, 17, 30))
    assert ticket.reaction_due == msk(2026, 3, 10, 17, 30)


def test_it_marks_deadlines_provisional_in_a_year_without_official_data(register):
    ticket = register(
        "low",
        msk(2099, 12, 20, 10, 0),
        support_starts_on=datetime.date(2099, 1, 1),
        support_ends_on=datetime.date(2100, 12, 31),
    )
    assert ticket.deadlines_provisional is True
    assert ticket.resolution_due is not None


def test_it_sets_no_deadline_rather_than_a_guess_without_a_target(register):
    Target.objects.filter(tier_id="standard", priority_id="high").delete()
    ticket = register("high", msk(2026, 3, 6, 17, 30))
    assert (ticket.reaction_due, ticket.resolution_due) == (None, None)


def test_it_closes_a_ticket_silent_since_a_sunday_at_the_start_of_the_11th_business_day(
    register, engineer
):
    # Silent since Sun 29.11.2026: 10 business days are 30.11-11.12; the 11th is Mon 14.12.
    ticket = register("medium", msk(2026, 11, 27, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 11, 27, 11, 0))
    services.ticket_resolve(
        actor=engineer, ticket=ticket, result="Fixed.", now=msk(2026, 11, 29, 12, 0)
    )
    ticket.refresh_from_db()
    assert ticket.auto_close_at == msk(2026, 12, 14, 0, 0)


def test_it_closes_an_info_request_of_16_december_after_the_new_year_holidays(register, engineer):
    ticket = register("medium", msk(2026, 12, 15, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 12, 15, 11, 0))
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Logs.", now=msk(2026, 12, 16, 10, 0)
    )
    ticket.refresh_from_db()
    # 17.12-30.12 are the ten business days; 31.12-10.01 are days off; the 11th is Mon 11.01.
    assert ticket.auto_close_at == msk(2027, 1, 11, 0, 0)
