"""Remote sessions and phone consultations agreed with the customer (regulation 2.3)."""

import datetime
import email
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from tests import factories
from tests.factories import TicketFactory, ticket_in_state
from tickets import services
from tickets.errors import ActionNotAllowedNow, ActionNotPermitted
from tickets.mail import render_email
from tickets.models import Notification, SessionProposal, Ticket, TicketEvent

Status = SessionProposal.Status
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def premium_ticket(customer, org_a):
    license_ = factories.LicenseFactory(organization=org_a, key="ALPHA-PREM", tier_id="premium")
    return TicketFactory(customer=customer, license=license_)


def propose(actor, ticket, now, *, method="remote", start=DAY, length=HOUR, **kwargs):
    return services.session_propose(
        actor=actor,
        ticket=ticket,
        method=method,
        starts_at=now + start,
        ends_at=now + start + length,
        now=now,
        **kwargs,
    )


def kinds(ticket):
    return list(ticket.events.order_by("id").values_list("kind", flat=True))


def test_it_proposes_a_remote_session_and_tells_the_customer(ticket, engineer, customer, now):
    proposal = propose(engineer, ticket, now, note="TeamViewer, please.")
    assert (proposal.status, proposal.side, proposal.proposed_by) == (
        Status.PENDING,
        "vendor",
        engineer,
    )
    event = ticket.events.get(kind=TicketEvent.Kind.SESSION_PROPOSED)
    assert event.actor == engineer
    assert event.data["proposal"] == proposal.pk
    assert event.data["starts_at"] == (now + DAY).isoformat()
    notification = customer.notifications.get(kind=Notification.Kind.SESSION_PROPOSED)
    assert notification.email == ticket.contact_email
    assert not engineer.notifications.exists()


def test_it_agrees_the_session_and_records_the_handling_method_when_the_customer_accepts(
    ticket, engineer, customer, now
):
    services.ticket_take(actor=engineer, ticket=ticket, now=now)
    proposal = propose(engineer, ticket, now)
    services.session_answer(actor=customer, proposal=proposal, accept=True, now=now + HOUR)

    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_by) == (Status.ACCEPTED, customer)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.handling_method == "remote"
    assert ticket.last_customer_activity_at == now + HOUR
    assert kinds(ticket)[-3:] == ["session_proposed", "session_accepted", "handling_method"]
    method_event = ticket.events.get(kind=TicketEvent.Kind.HANDLING_METHOD)
    assert (method_event.actor, method_event.data) == (customer, {"from": "", "to": "remote"})
    answered = Notification.objects.filter(kind=Notification.Kind.SESSION_ANSWERED)
    assert {n.recipient for n in answered} == {engineer, customer}
    assert all(n.data["accepted"] is True for n in answered)


def test_it_keeps_the_method_and_requires_a_reason_when_the_customer_declines(
    ticket, engineer, customer, now
):
    proposal = propose(engineer, ticket, now)
    with pytest.raises(ValidationError) as error:
        services.session_answer(actor=customer, proposal=proposal, accept=False, note="  ")
    assert "note" in error.value.message_dict
    assert SessionProposal.objects.get(pk=proposal.pk).status == Status.PENDING

    services.session_answer(
        actor=customer, proposal=proposal, accept=False, note="We are closed then.", now=now
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer_note) == (Status.DECLINED, "We are closed then.")
    assert Ticket.objects.get(pk=ticket.pk).handling_method == ""
    assert ticket.events.get(kind="session_declined").data["note"] == "We are closed then."
    # Nobody has taken the ticket: the engineer who proposed is told.
    told = Notification.objects.get(kind=Notification.Kind.SESSION_ANSWERED)
    assert (told.recipient, told.data["accepted"]) == (engineer, False)


def test_it_moves_the_session_when_the_customer_proposes_another_time(
    ticket, engineer, engineer2, customer, now
):
    services.ticket_take(actor=engineer2, ticket=ticket, now=now)
    first = propose(engineer, ticket, now)
    counter = services.session_counter(
        actor=customer,
        proposal=first,
        starts_at=now + 2 * DAY,
        ends_at=now + 2 * DAY + 2 * HOUR,
        note="Thursday suits better.",
        now=now + HOUR,
    )
    first.refresh_from_db()
    assert first.status == Status.COUNTERED
    assert (counter.status, counter.side, counter.replaces) == (Status.PENDING, "customer", first)
    assert (counter.method, counter.starts_at) == ("remote", now + 2 * DAY)
    assert counter.ticket.events.filter(kind="session_proposed").last().data["replaces"] == (
        first.pk
    )
    # The assignee is told of the new time, and the customer cannot accept their own.
    assert engineer2.notifications.filter(kind=Notification.Kind.SESSION_PROPOSED).exists()
    with pytest.raises(ActionNotPermitted):
        services.session_answer(actor=customer, proposal=counter, accept=True)
    services.session_answer(actor=engineer, proposal=counter, accept=True, now=now + 2 * HOUR)
    assert SessionProposal.objects.get(pk=counter.pk).status == Status.ACCEPTED
    assert Ticket.objects.get(pk=ticket.pk).handling_method == "remote"


def test_it_answers_only_from_the_other_side_even_after_the_proposers_role_changes(
    ticket, engineer, engineer2, customer, org_b, now
):
    proposal = propose(engineer, ticket, now)
    with pytest.raises(ActionNotPermitted):
        services.session_answer(actor=engineer2, proposal=proposal, accept=True, now=now)
    engineer.role = User.Role.CUSTOMER
    engineer.organization = org_b
    engineer.save()
    # The proposal stays the vendor's: an engineer still may not accept it, the customer may.
    with pytest.raises(ActionNotPermitted):
        services.session_answer(actor=engineer2, proposal=proposal, accept=True, now=now)
    services.session_answer(actor=customer, proposal=proposal, accept=True, now=now)
    assert SessionProposal.objects.get(pk=proposal.pk).status == Status.ACCEPTED


def test_it_offers_phone_consultations_on_extended_tiers_only(
    ticket, premium_ticket, engineer, now
):
    with pytest.raises(ValidationError) as error:
        propose(engineer, ticket, now, method="phone", phone="+7 495 000-00-00")
    assert error.value.message_dict["method"] == [
        "Phone consultations are part of Extended support (Premium, Platinum) only."
    ]
    with pytest.raises(ValidationError) as error:
        propose(engineer, premium_ticket, now, method="phone")
    assert "phone" in error.value.message_dict
    proposal = propose(engineer, premium_ticket, now, method="phone", phone=" +7 495  000-00-00 ")
    assert (proposal.method, proposal.phone) == ("phone", "+7 495 000-00-00")
    assert not ticket.sessions.exists()


@pytest.mark.parametrize(
    ("start", "length", "field"),
    [
        (-HOUR, HOUR, "starts_at"),  # already begun
        (datetime.timedelta(0), HOUR, "starts_at"),  # begins this very moment
        (DAY, datetime.timedelta(0), "ends_at"),  # ends when it starts
        (DAY, -HOUR, "ends_at"),
        (DAY, 8 * HOUR + datetime.timedelta(minutes=1), "ends_at"),  # too long
    ],
)
def test_it_refuses_a_window_that_is_past_empty_or_too_long(
    ticket, engineer, now, start, length, field
):
    with pytest.raises(ValidationError) as error:
        propose(engineer, ticket, now, start=start, length=length)
    assert field in error.value.message_dict
    assert not ticket.sessions.exists()
    assert not ticket.events.filter(kind="session_proposed").exists()


def test_it_accepts_a_window_of_exactly_eight_hours(ticket, engineer, now):
    assert propose(engineer, ticket, now, length=8 * HOUR).status == Status.PENDING


def test_it_lets_engineers_propose_and_nobody_else(ticket, customer, outsider, now):
    for person in (customer, outsider):
        with pytest.raises(ActionNotPermitted):
            propose(person, ticket, now)
    assert not ticket.sessions.exists()


def test_it_refuses_an_outsiders_answer_and_counter(ticket, engineer, outsider, now):
    proposal = propose(engineer, ticket, now)
    with pytest.raises(ActionNotPermitted):
        services.session_answer(actor=outsider, proposal=proposal, accept=True, now=now)
    with pytest.raises(ActionNotPermitted):
        services.session_counter(
            actor=outsider, proposal=proposal, starts_at=now + DAY, ends_at=now + DAY + HOUR
        )
    assert SessionProposal.objects.get(pk=proposal.pk).status == Status.PENDING


def test_it_refuses_sessions_on_closed_tickets(ticket, customer, engineer, license_a, now):
    closed = ticket_in_state("closed", customer=customer, engineer=engineer, license=license_a)
    with pytest.raises(ActionNotAllowedNow):
        propose(engineer, closed, now)
    proposal = propose(engineer, ticket, now)
    services.ticket_withdraw(actor=customer, ticket=ticket, now=now + HOUR)
    assert SessionProposal.objects.get(pk=proposal.pk).status == Status.WITHDRAWN
    with pytest.raises(ActionNotAllowedNow):
        services.session_answer(actor=customer, proposal=proposal, accept=True, now=now + HOUR)


def test_it_withdraws_the_engineers_pending_proposal_when_they_propose_again(ticket, engineer, now):
    first = propose(engineer, ticket, now)
    second = propose(engineer, ticket, now + HOUR, start=2 * DAY)
    first.refresh_from_db()
    assert (first.status, first.answered_at) == (Status.WITHDRAWN, now + HOUR)
    assert second.status == Status.PENDING
    withdrawn = ticket.events.get(kind="session_withdrawn")
    assert withdrawn.data == {"proposal": first.pk, "reason": "replaced"}


def test_it_asks_the_engineer_to_answer_the_customers_time_before_proposing_anew(
    ticket, engineer, customer, now
):
    first = propose(engineer, ticket, now)
    counter = services.session_counter(
        actor=customer, proposal=first, starts_at=now + 2 * DAY, ends_at=now + 2 * DAY + HOUR
    )
    with pytest.raises(ActionNotAllowedNow):
        propose(engineer, ticket, now, start=3 * DAY)
    assert SessionProposal.objects.get(pk=counter.pk).status == Status.PENDING


def test_it_answers_a_proposal_once(ticket, engineer, customer, colleague, now):
    proposal = propose(engineer, ticket, now)
    services.session_answer(actor=customer, proposal=proposal, accept=True, now=now)
    with pytest.raises(ActionNotAllowedNow):
        services.session_answer(actor=colleague, proposal=proposal, accept=False, note="No.")


def test_it_refuses_to_accept_a_time_that_has_come(ticket, engineer, customer, now):
    proposal = propose(engineer, ticket, now)
    with pytest.raises(ActionNotAllowedNow):
        services.session_answer(actor=customer, proposal=proposal, accept=True, now=now + 2 * DAY)
    counter = services.session_counter(
        actor=customer,
        proposal=proposal,
        starts_at=now + 3 * DAY,
        ends_at=now + 3 * DAY + HOUR,
        now=now + 2 * DAY,
    )
    assert counter.status == Status.PENDING


def test_it_links_the_record_of_the_contact_to_the_agreed_session(
    premium_ticket, engineer, customer, now
):
    remote = propose(engineer, premium_ticket, now)
    services.session_answer(actor=customer, proposal=remote, accept=True, now=now)
    phone = propose(engineer, premium_ticket, now, method="phone", phone="+7 1", start=2 * DAY)
    services.session_answer(actor=customer, proposal=phone, accept=True, now=now)

    message = services.ticket_record_contact(
        actor=engineer,
        ticket=premium_ticket,
        method="remote",
        summary="Rebuilt the tunnel together.",
        now=now + DAY + HOUR,
    )
    remote.refresh_from_db()
    phone.refresh_from_db()
    assert (remote.status, remote.record) == (Status.DONE, message)
    assert (phone.status, phone.record) == (Status.ACCEPTED, None)


def test_it_mails_an_agreed_session_as_a_calendar_invitation(ticket, engineer, customer, now):
    proposal = propose(engineer, ticket, now, phone="+7 495 111-22-33", start=DAY, length=2 * HOUR)
    proposed_mail = render_email(customer.notifications.get(kind="session_proposed"))
    assert not proposed_mail.attachments
    assert "Proposed: Remote session, from " in proposed_mail.body
    services.session_answer(actor=customer, proposal=proposal, accept=True, now=now)

    notification = customer.notifications.get(kind="session_answered")
    assert "Agreed: Remote session, from " in render_email(notification).body
    raw = render_email(notification).message().as_bytes()
    parts = [
        part
        for part in email.message_from_bytes(raw).walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert len(parts) == 1
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_filename() == "invite.ics"
    calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == now + DAY
    assert event.decoded("DTEND") == now + DAY + 2 * HOUR
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert str(event["UID"]) == f"session-{proposal.pk}@{urlsplit(settings.SITE_URL).hostname}"
    assert ticket.number in str(event["SUMMARY"])
    assert "+7 495 111-22-33" in str(event["DESCRIPTION"])
    assert f"/tickets/{ticket.number}/" in str(event["DESCRIPTION"])
    assert str(event["ATTENDEE"]) == f"mailto:{ticket.contact_email}"


def test_it_sends_no_invitation_for_a_declined_session(ticket, engineer, customer, now):
    proposal = propose(engineer, ticket, now)
    services.session_answer(actor=customer, proposal=proposal, accept=False, note="No.", now=now)
    notification = engineer.notifications.get(kind="session_answered")
    assert not render_email(notification).attachments


def test_it_keeps_the_deadlines_equal_whatever_method_is_agreed(customer, engineer, org_a, now):
    license_ = factories.LicenseFactory(organization=org_a, key="ALPHA-PLAT", tier_id="platinum")
    tickets = [TicketFactory(customer=customer, license=license_, now=now) for _ in range(3)]
    remote, phone, portal = tickets
    for ticket in tickets:
        services.ticket_take(actor=engineer, ticket=ticket, now=now + HOUR)
    for ticket, method in ((remote, "remote"), (phone, "phone")):
        proposal = propose(engineer, ticket, now + 2 * HOUR, method=method, phone="+7 2")
        services.session_answer(actor=customer, proposal=proposal, accept=True, now=now + 3 * HOUR)
    services.ticket_set_handling_method(
        actor=engineer, ticket=portal, method="portal", now=now + 2 * HOUR
    )
    for ticket in tickets:
        ticket = Ticket.objects.get(pk=ticket.pk)
        services.ticket_request_info(actor=engineer, ticket=ticket, body="Logs?", now=now + DAY)
        services.ticket_provide_info(
            actor=customer, ticket=ticket, body="Here.", now=now + DAY + 5 * HOUR
        )
        ticket = Ticket.objects.get(pk=ticket.pk)
        services.ticket_resolve(actor=engineer, ticket=ticket, result="Done.", now=now + 2 * DAY)

    rows = Ticket.objects.filter(pk__in=[t.pk for t in tickets]).order_by("pk")
    methods = [row.handling_method for row in rows]
    assert methods == ["remote", "phone", "portal"]
    deadlines = {(row.reaction_due, row.resolution_due, row.resolution_met) for row in rows}
    assert len(deadlines) == 1
