"""Who is told when: the reaction, new urgent tickets, approaching and passed deadlines."""

import datetime
import zoneinfo

import pytest

from tests.factories import TicketFactory
from tickets import jobs, services
from tickets.mail import render_email
from tickets.models import Notification

MSK = zoneinfo.ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=MSK)


def told(ticket, kind):
    rows = Notification.objects.filter(ticket=ticket, kind=kind)
    return sorted(rows.values_list("recipient__email", flat=True))


@pytest.fixture
def fresh(customer, license_a):
    """Standard High from Mon 2 March 2026 09:00: reaction due 17:00, warned at 15:24."""
    return TicketFactory(customer=customer, license=license_a, now=msk(2026, 3, 2, 9, 0))


def test_it_tells_the_customer_who_took_the_ticket_and_by_when_it_is_resolved(
    fresh, customer, engineer
):
    services.ticket_take(actor=engineer, ticket=fresh, now=msk(2026, 3, 2, 10, 0))
    taken = Notification.objects.get(ticket=fresh, kind=Notification.Kind.TAKEN)
    assert taken.recipient == customer
    assert taken.email == fresh.contact_email
    assert taken.data == {"engineer": "Eve"}
    mail = render_email(taken)
    assert "Eve took your ticket into work" in mail.body
    assert "The resolution is due by 03/10/2026 6 p.m. MSK" in mail.body


def test_it_tells_the_reaction_only_once(fresh, customer, engineer, engineer2):
    services.ticket_take(actor=engineer, ticket=fresh, now=msk(2026, 3, 2, 10, 0))
    services.ticket_resolve(actor=engineer, ticket=fresh, result="Done.", now=msk(2026, 3, 2, 11))
    services.ticket_dispute(actor=customer, ticket=fresh, reason="No.", now=msk(2026, 3, 2, 12))
    services.ticket_take(actor=engineer2, ticket=fresh, now=msk(2026, 3, 2, 13, 0))
    assert told(fresh, Notification.Kind.TAKEN) == [customer.email]


def test_it_tells_the_customer_of_the_reaction_to_a_hotline_ticket(
    customer, engineer, engineer2, license_a
):
    license_a.tier_id = "platinum"
    license_a.save()
    ticket = services.ticket_register(
        actor=engineer,
        customer=customer,
        license_key=license_a.key,
        product_version="7.1",
        subject="Down",
        description="Cluster down.",
        diagnostics="Rebooted.",
        priority="critical",
        now=msk(2026, 3, 2, 3, 0),
    )
    services.ticket_take(actor=engineer2, ticket=ticket, now=msk(2026, 3, 2, 3, 5))
    assert told(ticket, Notification.Kind.TAKEN) == [customer.email]


@pytest.mark.parametrize(
    ("priority", "alerted"), [("critical", True), ("high", True), ("medium", False), ("low", False)]
)
def test_it_alerts_every_engineer_at_once_of_a_new_critical_or_high_ticket(
    priority, alerted, customer, license_a, engineer, engineer2
):
    ticket = TicketFactory(customer=customer, license=license_a, priority=priority)
    expected = sorted([engineer.email, engineer2.email]) if alerted else []
    assert told(ticket, Notification.Kind.URGENT_REGISTERED) == expected


def test_it_tells_every_engineer_when_an_unassigned_ticket_breaches(fresh, engineer, engineer2):
    jobs.watch_sla(now=msk(2026, 3, 2, 17, 0))
    assert told(fresh, Notification.Kind.SLA_BREACHED) == sorted([engineer.email, engineer2.email])
    breach = Notification.objects.filter(ticket=fresh, kind="sla_breached").first()
    assert breach.email_status == Notification.EmailStatus.PENDING  # mailed, not only marked
    assert "The reaction deadline passed at 03/02/2026 5 p.m. MSK" in render_email(breach).body


def test_it_tells_the_assignee_alone_when_a_resolution_deadline_passes(fresh, engineer, engineer2):
    services.ticket_take(actor=engineer, ticket=fresh, now=msk(2026, 3, 2, 10, 0))
    fresh.refresh_from_db()
    jobs.watch_sla(now=fresh.resolution_due)
    jobs.watch_sla(now=fresh.resolution_due + datetime.timedelta(days=3))
    assert told(fresh, Notification.Kind.SLA_BREACHED) == [engineer.email]


def test_it_never_warns_of_a_deadline_that_has_already_passed(fresh, engineer):
    # The sweep was down from before the warning until after the deadline.
    report = jobs.watch_sla(now=msk(2026, 3, 4, 12, 0))
    assert report["reaction_warnings"] == 0
    assert report["reaction_breaches"] == 1
    assert told(fresh, Notification.Kind.SLA_WARNING) == []


def test_it_warns_of_a_resolution_deadline_once_across_a_dispute(fresh, customer, engineer):
    services.ticket_take(actor=engineer, ticket=fresh, now=msk(2026, 3, 2, 10, 0))
    fresh.refresh_from_db()
    jobs.watch_sla(now=fresh.resolution_warn_at)
    services.ticket_resolve(actor=engineer, ticket=fresh, result="Done.", now=msk(2026, 3, 6, 17))
    services.ticket_dispute(actor=customer, ticket=fresh, reason="No.", now=msk(2026, 3, 10, 10))
    fresh.refresh_from_db()
    jobs.watch_sla(now=fresh.resolution_warn_at)
    jobs.watch_sla(now=fresh.resolution_due - datetime.timedelta(minutes=1))
    assert told(fresh, Notification.Kind.SLA_WARNING) == [engineer.email]


def test_it_keeps_the_warning_mark_when_an_agreed_priority_keeps_the_deadline(
    fresh, customer, engineer
):
    jobs.watch_sla(now=msk(2026, 3, 2, 15, 30))
    change = services.priority_change_propose(
        actor=customer,
        ticket=fresh,
        to_priority="critical",
        reason="Worse.",
        now=msk(2026, 3, 2, 15, 31),
    )
    services.priority_change_answer(
        actor=engineer, change=change, accept=False, now=msk(2026, 3, 2, 15, 32)
    )
    jobs.watch_sla(now=msk(2026, 3, 2, 16, 0))
    assert told(fresh, Notification.Kind.SLA_WARNING) == sorted([engineer.email])
