"""The periodic jobs with an explicit `now`: each does its work once, and only when due."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EngineerFactory, TicketFactory
from tickets import jobs, services
from tickets.models import CloseReason, Notification, State, Ticket

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MSK)


@pytest.fixture
def waiting(customer, engineer, license_a):
    """Info requested on Tue 28 April 2026; silent from then on."""
    ticket = TicketFactory(customer=customer, license=license_a, now=msk(2026, 4, 27, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 4, 27, 11, 0))
    services.ticket_request_info(
        actor=engineer, ticket=ticket, body="Logs, please.", now=msk(2026, 4, 28, 12, 0)
    )
    ticket.refresh_from_db()
    assert ticket.auto_close_at == msk(2026, 5, 15, 0, 0)
    return ticket


def test_it_closes_a_silent_ticket_only_after_more_than_ten_business_days(waiting):
    assert jobs.auto_close(now=msk(2026, 5, 14, 23, 59)) == 0
    assert jobs.auto_close(now=msk(2026, 5, 15, 0, 0)) == 1
    waiting.refresh_from_db()
    assert waiting.state == State.CLOSED
    assert waiting.close_reason == CloseReason.NO_CUSTOMER_RESPONSE
    assert waiting.closed_at == msk(2026, 5, 15, 0, 0)
    assert waiting.events.filter(kind="auto_close", actor=None).count() == 1
    notification = Notification.objects.get(ticket=waiting, kind="auto_closed")
    assert notification.recipient == waiting.customer
    assert notification.email == waiting.contact_email


def test_it_does_nothing_more_on_a_second_run(waiting):
    later = msk(2026, 6, 1, 12, 0)
    assert jobs.sweep(now=later)["auto_closed"] == 1
    assert jobs.sweep(now=later)["auto_closed"] == 0
    assert waiting.events.filter(kind="auto_close").count() == 1
    assert Notification.objects.filter(ticket=waiting, kind="auto_closed").count() == 1


def test_it_catches_up_after_downtime_closing_at_the_time_it_runs(waiting):
    months_later = msk(2026, 9, 1, 9, 0)
    jobs.auto_close(now=months_later)
    waiting.refresh_from_db()
    assert waiting.closed_at == months_later


def test_it_restarts_the_silence_when_the_customer_acts(waiting, customer):
    services.message_post(
        actor=customer, ticket=waiting, body="Collecting the logs.", now=msk(2026, 5, 12, 9, 0)
    )
    # The reply answered the info request: the ticket is back in work, not silent any more.
    waiting.refresh_from_db()
    assert waiting.state == State.IN_PROGRESS
    assert waiting.auto_close_at is None
    assert jobs.auto_close(now=msk(2026, 6, 1, 0, 0)) == 0


def test_it_never_closes_a_ticket_the_vendor_is_working_on(ticket, engineer):
    services.ticket_take(actor=engineer, ticket=ticket)
    assert jobs.auto_close(now=msk(2030, 1, 1, 0, 0)) == 0


@pytest.fixture
def resolved(customer, engineer, license_a):
    ticket = TicketFactory(customer=customer, license=license_a, now=msk(2026, 3, 2, 10, 0))
    services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 3, 2, 11, 0))
    services.ticket_resolve(
        actor=engineer, ticket=ticket, result="Fixed.", now=msk(2026, 3, 6, 15, 0)
    )
    ticket.refresh_from_db()
    assert ticket.confirmation_due == msk(2026, 3, 11, 0, 0)
    return ticket


def test_it_flags_an_unconfirmed_resolution_once_and_reminds_the_customer(resolved):
    assert jobs.flag_unconfirmed(now=msk(2026, 3, 10, 23, 59)) == 0
    assert jobs.flag_unconfirmed(now=msk(2026, 3, 11, 0, 0)) == 1
    assert jobs.flag_unconfirmed(now=msk(2026, 3, 12, 0, 0)) == 0
    resolved.refresh_from_db()
    assert resolved.unconfirmed_flagged_at == msk(2026, 3, 11, 0, 0)
    assert resolved.events.filter(kind="unconfirmed").count() == 1
    reminder = Notification.objects.get(ticket=resolved, kind="confirmation_reminder")
    assert reminder.recipient == resolved.customer


def test_it_does_not_flag_a_resolution_confirmed_in_time(resolved, customer):
    services.ticket_confirm(actor=customer, ticket=resolved, now=msk(2026, 3, 10, 20, 0))
    assert jobs.flag_unconfirmed(now=msk(2026, 3, 20, 0, 0)) == 0


@pytest.fixture
def fresh(customer, license_a):
    """High priority, Standard: 8 working hours to react, from Mon 2 March 2026 09:00."""
    ticket = TicketFactory(customer=customer, license=license_a, now=msk(2026, 3, 2, 9, 0))
    assert ticket.reaction_due == msk(2026, 3, 2, 17, 0)
    assert ticket.reaction_warn_at == msk(2026, 3, 2, 15, 24)  # 80 % of 8 h = 6 h 24 min
    return ticket


def test_it_warns_the_whole_team_when_nobody_has_the_ticket(fresh, engineer, engineer2):
    report = jobs.watch_sla(now=msk(2026, 3, 2, 15, 23))
    assert report["reaction_warnings"] == 0
    report = jobs.watch_sla(now=msk(2026, 3, 2, 15, 24))
    assert report["reaction_warnings"] == 1
    warned = Notification.objects.filter(ticket=fresh, kind="sla_warning")
    assert set(warned.values_list("recipient__email", flat=True)) == {
        engineer.email,
        engineer2.email,
    }
    assert jobs.watch_sla(now=msk(2026, 3, 2, 16, 0))["reaction_warnings"] == 0


def test_it_marks_a_breach_once_per_ticket_and_deadline(fresh, engineer):
    report = jobs.watch_sla(now=msk(2026, 3, 2, 17, 0))
    # First seen at its deadline: breached, not "approaching".
    assert (report["reaction_warnings"], report["reaction_breaches"]) == (0, 1)
    fresh.refresh_from_db()
    assert fresh.reaction_breached_at == msk(2026, 3, 2, 17, 0)
    assert jobs.watch_sla(now=msk(2026, 3, 3, 9, 0))["reaction_breaches"] == 0
    assert fresh.events.filter(kind="sla_breach").count() == 1


def test_it_warns_only_the_assignee_about_resolution(fresh, engineer, engineer2):
    services.ticket_take(actor=engineer, ticket=fresh, now=msk(2026, 3, 2, 10, 0))
    fresh.refresh_from_db()
    report = jobs.watch_sla(now=fresh.resolution_warn_at)
    assert report["resolution_warnings"] == 1
    warned = Notification.objects.filter(ticket=fresh, kind="sla_warning")
    assert list(warned.values_list("recipient", flat=True)) == [engineer.pk]


def test_it_never_breaches_a_paused_resolution_clock(fresh, engineer):
    services.ticket_take(actor=engineer, ticket=fresh, now=msk(2026, 3, 2, 10, 0))
    services.ticket_request_info(
        actor=engineer, ticket=fresh, body="Logs.", now=msk(2026, 3, 2, 11, 0)
    )
    report = jobs.watch_sla(now=msk(2026, 4, 30, 0, 0))
    assert report["resolution_breaches"] == 0


def test_it_retries_pending_mail_the_task_did_not_send(ticket, settings):
    pending = Notification.objects.get(ticket=ticket)
    assert pending.email_status == Notification.EmailStatus.PENDING  # on-commit never ran
    too_soon = pending.created_at + datetime.timedelta(seconds=30)
    assert jobs.retry_email(now=too_soon)["emails_sent"] == 0
    later = pending.created_at + datetime.timedelta(seconds=settings.EMAIL_RETRY_GRACE_SECONDS)
    assert jobs.retry_email(now=later)["emails_sent"] == 1
    assert jobs.retry_email(now=later)["emails_sent"] == 0


def test_it_issues_the_same_queries_whatever_the_number_of_tickets(
    customer, license_a, django_capture_on_commit_callbacks
):
    def idle_sweep_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            report = jobs.sweep(now=msk(2026, 3, 2, 9, 30))
        assert not any(report.values()), report
        return len(queries)

    def register(count: int) -> None:
        with django_capture_on_commit_callbacks(execute=True):  # their mail goes out at once
            for _ in range(count):
                TicketFactory(customer=customer, license=license_a, now=msk(2026, 3, 2, 9, 0))

    register(1)
    few = idle_sweep_queries()
    register(20)
    assert idle_sweep_queries() == few


def test_closing_many_silent_tickets_takes_the_queries_of_closing_one(
    customer, engineer, license_a
):
    def silent(count: int) -> None:
        for _ in range(count):
            ticket = TicketFactory(customer=customer, license=license_a, now=msk(2026, 4, 27, 10))
            services.ticket_take(actor=engineer, ticket=ticket, now=msk(2026, 4, 27, 11, 0))
            services.ticket_request_info(
                actor=engineer, ticket=ticket, body="Logs?", now=msk(2026, 4, 28, 12, 0)
            )

    def closing_queries(expected: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert jobs.auto_close(now=msk(2026, 6, 1, 9, 0)) == expected
        return len(queries)

    silent(1)
    one = closing_queries(1)
    silent(5)
    # Each ticket's row as read, never again field by field (the search document is deferred).
    assert closing_queries(5) == one


def test_it_reports_what_a_sweep_did_from_the_command(waiting):
    out = io.StringIO()
    call_command("sla_sweep", "--now", "2026-05-20T12:00:00+03:00", stdout=out)
    assert "auto closed" in out.getvalue()
    assert Ticket.objects.get(pk=waiting.pk).state == State.CLOSED


def test_it_warns_engineers_who_join_the_team_later(fresh):
    newcomer = EngineerFactory()
    jobs.watch_sla(now=msk(2026, 3, 2, 15, 30))
    assert Notification.objects.filter(recipient=newcomer, kind="sla_warning").exists()
