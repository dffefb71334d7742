"""The hotline (docs/regulation.md): Premium's for Critical problems only, Platinum's for any
priority, and every call logged with its caller, organization, time, outcome and ticket."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CustomerFactory, LicenseFactory, TicketFactory
from tickets import services
from tickets.errors import ActionNotPermitted
from tickets.models import Channel, HotlineCall, Ticket, TicketEvent

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)  # Thursday, 12:00 in Moscow
CALLED = NOW - datetime.timedelta(minutes=10)
PREMIUM_ONLY_CRITICAL = (
    "Premium support's hotline is for Critical problems; "
    "the customer files other tickets on the portal."
)


def _license(organization, key, tier):
    return LicenseFactory(
        organization=organization,
        key=key,
        tier_id=tier,
        support_starts_on=datetime.date(2026, 1, 1),
        support_ends_on=datetime.date(2027, 12, 31),
    )


@pytest.fixture
def platinum(org_b):
    return _license(org_b, "BETA-PLAT", "platinum")


@pytest.fixture
def premium(org_b):
    return _license(org_b, "BETA-PREM", "premium")


@pytest.fixture
def standard(org_a):
    return _license(org_a, "ALPHA-STD", "standard")


def register_during_call(engineer, caller, license_, **overrides):
    fields = {
        "product_version": "7.2",
        "subject": "Cluster down",
        "description": "Both nodes stopped passing traffic.",
        "diagnostics": "Power-cycled node 2.",
        "priority": "critical",
        "called_at": CALLED,
        "caller_phone": "+7 495 000-00-01",
        "now": NOW,
    }
    fields.update(overrides)
    return services.hotline_call_register(actor=engineer, caller=caller, license=license_, **fields)


def log(engineer, **fields):
    fields.setdefault("now", NOW)
    fields.setdefault("called_at", CALLED)
    return services.hotline_call_log(actor=engineer, **fields)


# --- which priorities each tier's hotline takes -----------------------------------------------


@pytest.mark.parametrize("priority", ["high", "medium", "low"])
def test_it_refuses_a_premium_hotline_ticket_below_critical(engineer, outsider, premium, priority):
    with pytest.raises(ValidationError) as error:
        services.ticket_register(
            actor=engineer,
            customer=outsider,
            license_key=premium.key,
            product_version="7.2",
            subject="Slow GUI",
            description="The GUI is slow.",
            diagnostics="Cleared the cache.",
            priority=priority,
            now=NOW,
        )
    assert error.value.message_dict["priority"] == [PREMIUM_ONLY_CRITICAL]
    assert not Ticket.objects.exists()


def test_it_takes_a_critical_problem_on_the_premium_hotline(engineer, outsider, premium):
    call = register_during_call(engineer, outsider, premium, priority="critical")
    assert (call.ticket.tier_id, call.ticket.priority_id) == ("premium", "critical")


@pytest.mark.parametrize("priority", ["critical", "high", "medium", "low"])
def test_it_takes_any_priority_on_the_platinum_hotline(engineer, outsider, platinum, priority):
    call = register_during_call(engineer, outsider, platinum, priority=priority)
    assert call.ticket.priority_id == priority
    assert call.ticket.channel == Channel.HOTLINE


def test_it_still_lets_a_premium_customer_file_any_priority_on_the_portal(outsider, premium):
    ticket = TicketFactory(customer=outsider, license=premium, priority="low", now=NOW)
    assert ticket.channel == Channel.PORTAL


# --- registering a ticket during the call -------------------------------------------------------


def test_it_registers_the_ticket_and_logs_the_call_together(engineer, outsider, platinum, org_b):
    call = register_during_call(engineer, outsider, platinum, notes="Called from the NOC.")
    ticket = call.ticket
    assert (call.outcome, call.engineer, call.caller, call.organization, call.license) == (
        HotlineCall.Outcome.REGISTERED,
        engineer,
        outsider,
        org_b,
        platinum,
    )
    assert (call.called_at, call.caller_name, call.caller_phone) == (
        CALLED,
        str(outsider),
        "+7 495 000-00-01",
    )
    assert (ticket.customer, ticket.registered_by, ticket.registered_at) == (
        outsider,
        engineer,
        NOW,
    )
    assert list(ticket.events.values_list("kind", flat=True)) == ["registered", "hotline_call"]
    event = ticket.events.get(kind=TicketEvent.Kind.HOTLINE_CALL)
    assert (event.actor, event.created_at) == (engineer, NOW)
    assert event.data == {
        "call": call.pk,
        "outcome": "registered",
        "called_at": CALLED.isoformat(),
    }


def test_it_logs_nothing_when_the_registration_is_refused(engineer, outsider, premium):
    with pytest.raises(ValidationError) as error:
        register_during_call(engineer, outsider, premium, priority="low", subject="")
    assert set(error.value.message_dict) == {"priority", "subject"}
    assert not Ticket.objects.exists()
    assert not HotlineCall.objects.exists()


def test_it_registers_no_ticket_when_the_call_cannot_be_logged(engineer, outsider, platinum):
    with pytest.raises(ValidationError) as error:
        register_during_call(engineer, outsider, platinum, called_at=NOW + datetime.timedelta(1))
    assert "called_at" in error.value.message_dict
    assert not Ticket.objects.exists()
    assert not HotlineCall.objects.exists()


def test_it_asks_for_the_license_and_the_caller_by_their_fields(engineer, outsider, platinum):
    with pytest.raises(ValidationError) as error:
        register_during_call(engineer, outsider, None)
    assert error.value.message_dict["license"] == ["Choose the license the caller names."]
    with pytest.raises(ValidationError) as error:
        register_during_call(engineer, None, platinum)
    assert "caller" in error.value.message_dict
    assert not Ticket.objects.exists()


def test_it_refuses_a_hotline_ticket_on_standard_support_under_the_license_field(
    engineer, customer, standard
):
    with pytest.raises(ValidationError) as error:
        register_during_call(engineer, customer, standard)
    assert "which has no hotline" in error.value.message_dict["license"][0]


# --- logging a call without registering a ticket ------------------------------------------------


def test_it_logs_advice_to_a_known_caller_under_the_callers_organization(engineer, outsider, org_b):
    call = log(engineer, caller=outsider, outcome="advice", notes="Explained the HA setting.")
    assert (call.organization, call.caller_name, call.ticket, call.called_at) == (
        org_b,
        str(outsider),
        None,
        CALLED,
    )
    assert not TicketEvent.objects.filter(kind=TicketEvent.Kind.HOTLINE_CALL).exists()


def test_it_logs_a_call_about_an_existing_ticket_on_the_tickets_history(
    engineer, outsider, platinum
):
    ticket = TicketFactory(customer=outsider, license=platinum, now=NOW)
    call = log(engineer, caller=outsider, outcome="linked", ticket=ticket, license=platinum)
    assert call.ticket == ticket
    event = ticket.events.get(kind=TicketEvent.Kind.HOTLINE_CALL)
    assert (event.actor, event.data["call"], event.data["outcome"]) == (engineer, call.pk, "linked")


def test_it_takes_the_organization_from_the_ticket_when_the_caller_is_unknown(
    engineer, outsider, platinum, org_b
):
    ticket = TicketFactory(customer=outsider, license=platinum, now=NOW)
    call = log(engineer, caller_name="Night operator", outcome="linked", ticket=ticket)
    assert (call.caller, call.organization) == (None, org_b)


def test_it_logs_a_caller_without_a_portal_account_as_not_eligible(engineer):
    call = log(
        engineer, caller_name=" Unknown reseller ", caller_phone="+7 900", outcome="not_eligible"
    )
    assert (call.caller, call.caller_name, call.organization) == (None, "Unknown reseller", None)


def test_it_asks_who_called_when_the_caller_is_unknown(engineer):
    with pytest.raises(ValidationError) as error:
        log(engineer, outcome="advice")
    assert "caller_name" in error.value.message_dict


def test_it_asks_what_an_other_call_was_about(engineer, outsider):
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=outsider, outcome="other", notes="  ")
    assert "notes" in error.value.message_dict
    assert log(engineer, caller=outsider, outcome="other", notes="Asked for an invoice.").pk


def test_it_needs_a_ticket_for_a_call_about_one(engineer, outsider):
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=outsider, outcome="linked")
    assert "ticket" in error.value.message_dict


def test_it_links_a_ticket_only_with_the_outcome_that_says_so(engineer, outsider, platinum):
    ticket = TicketFactory(customer=outsider, license=platinum, now=NOW)
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=outsider, outcome="advice", ticket=ticket)
    assert "ticket" in error.value.message_dict
    assert not HotlineCall.objects.exists()


def test_it_refuses_the_registered_outcome_for_a_ticket_not_registered_in_the_call(
    engineer, outsider, platinum
):
    portal_ticket = TicketFactory(customer=outsider, license=platinum, now=NOW)
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=outsider, outcome="registered", ticket=portal_ticket)
    assert "ticket" in error.value.message_dict
    registered = register_during_call(engineer, outsider, platinum).ticket
    with pytest.raises(ValidationError):  # its call is logged already
        log(engineer, caller=outsider, outcome="registered", ticket=registered)
    assert HotlineCall.objects.count() == 1


def test_it_keeps_the_license_and_the_ticket_to_the_callers_organization(
    engineer, customer, outsider, platinum, standard, org_b
):
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=customer, outcome="advice", license=platinum)
    assert "license" in error.value.message_dict
    foreign = TicketFactory(customer=outsider, license=platinum, now=NOW)
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=customer, outcome="linked", ticket=foreign)
    assert "ticket" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=customer, organization=org_b, outcome="advice")
    assert "organization" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        log(engineer, caller_name="Someone", license=standard, outcome="linked", ticket=foreign)
    assert "ticket" in error.value.message_dict
    assert not HotlineCall.objects.exists()


def test_it_takes_only_active_customers_as_callers(engineer, engineer2, org_a):
    gone = CustomerFactory(organization=org_a, is_active=False)
    for caller in (engineer2, gone):
        with pytest.raises(ValidationError) as error:
            log(engineer, caller=caller, outcome="advice")
        assert "caller" in error.value.message_dict


def test_it_refuses_a_call_time_later_than_now(engineer, outsider):
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=outsider, outcome="advice", called_at=NOW + datetime.timedelta(0, 60))
    assert "called_at" in error.value.message_dict
    assert log(engineer, caller=outsider, outcome="advice", called_at=NOW).called_at == NOW


def test_it_refuses_an_unknown_outcome(engineer, outsider):
    with pytest.raises(ValidationError) as error:
        log(engineer, caller=outsider, outcome="lunch")
    assert "outcome" in error.value.message_dict


def test_it_lets_only_engineers_log_hotline_calls(customer, outsider, platinum):
    with pytest.raises(ActionNotPermitted):
        log(customer, caller=customer, outcome="advice")
    with pytest.raises(ActionNotPermitted):
        register_during_call(customer, outsider, platinum)
    assert not HotlineCall.objects.exists()
    assert not Ticket.objects.exists()


def test_it_rejects_a_naive_call_time(engineer, outsider):
    naive = datetime.datetime(2026, 12, 3, 8, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="aware"):
        log(engineer, caller=outsider, outcome="advice", called_at=naive)
