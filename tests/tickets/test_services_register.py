"""Filing a ticket (regulation 2.2–2.3): what is required, what is refused, what is sent."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duty.models import AssignmentSettings
from tests.factories import LicenseFactory
from tickets import services
from tickets.errors import ActionNotPermitted
from tickets.models import Channel, Notification, State, Ticket

MOSCOW_NOON = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def register(actor, **overrides):
    fields = {
        "license_key": "ALPHA-0001",
        "product_version": "7.2.1",
        "subject": "VPN drops",
        "description": "The tunnel drops every hour.",
        "diagnostics": "Rebooted; checked logs.",
        "priority": "high",
    }
    fields.update(overrides)
    return services.ticket_register(actor=actor, **fields)


def test_it_registers_a_ticket_with_a_number_and_the_tier_of_the_license(customer, license_a):
    ticket = register(customer, now=MOSCOW_NOON)
    assert re.fullmatch(r"SUP-2026-\d{6}", ticket.number)
    assert ticket.state == State.REGISTERED
    assert ticket.tier_id == license_a.tier_id
    assert ticket.organization_id == customer.organization_id
    assert ticket.contact_email == customer.email
    assert ticket.channel == Channel.PORTAL
    assert ticket.registered_at == MOSCOW_NOON
    assert ticket.events.get().kind == "registered"


def test_it_keeps_the_tier_a_ticket_was_filed_under_when_the_contract_changes(customer, license_a):
    ticket = register(customer)
    license_a.tier_id = "platinum"
    license_a.save()
    ticket.refresh_from_db()
    assert ticket.tier_id == "standard"


def test_it_accepts_the_key_typed_with_spaces_and_in_lower_case(customer, license_a):
    ticket = register(customer, license_key="  alpha-0001 ")
    assert ticket.license == license_a


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("license_key", "Enter the license key."),
        ("product_version", "Enter the product version."),
        ("subject", "Enter a subject."),
        ("description", "Describe the fault."),
        ("diagnostics", "Describe the primary diagnostics"),
    ],
)
def test_it_names_each_missing_required_field(customer, license_a, field, message):
    with pytest.raises(ValidationError) as error:
        register(customer, **{field: "  "})
    assert message in " ".join(error.value.message_dict[field])
    assert not Ticket.objects.exists()


def test_it_reports_all_problems_at_once(customer, license_a):
    with pytest.raises(ValidationError) as error:
        register(customer, subject="", description="", license_key="NOPE")
    assert set(error.value.message_dict) == {"subject", "description", "license_key"}


def refusal(actor, **overrides):
    with pytest.raises(ValidationError) as error:
        register(actor, **overrides)
    return error.value.message_dict


def test_it_answers_an_unknown_key_and_another_organizations_key_alike(customer, license_b):
    # The same words for both: the form must not tell a stranger which keys exist.
    unknown = refusal(customer, license_key="nope-1")["license_key"]
    foreign = refusal(customer, license_key=license_b.key)["license_key"]
    assert unknown == ["Your organization has no license with the key NOPE-1. Check the key."]
    assert foreign == [
        f"Your organization has no license with the key {license_b.key}. Check the key."
    ]
    assert not Ticket.objects.exists()
    assert not Notification.objects.exists()


def test_it_refuses_a_license_whose_support_has_ended(customer, org_a):
    LicenseFactory(
        organization=org_a,
        key="OLD-1",
        support_starts_on=datetime.date(2024, 1, 1),
        support_ends_on=datetime.date(2026, 3, 1),
    )
    with pytest.raises(ValidationError, match="ended on 2026-03-01"):
        register(customer, license_key="OLD-1", now=MOSCOW_NOON)


def test_it_takes_the_filing_day_in_the_business_zone(customer, org_a):
    # 23:30 UTC on 1 March is already 2 March in Moscow: support that ended on 1 March is over.
    LicenseFactory(
        organization=org_a,
        key="OLD-2",
        support_starts_on=datetime.date(2024, 1, 1),
        support_ends_on=datetime.date(2026, 3, 1),
    )
    late = datetime.datetime(2026, 3, 1, 21, 30, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError, match="ended on 2026-03-01"):
        register(customer, license_key="OLD-2", now=late)
    earlier = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)
    assert register(customer, license_key="OLD-2", now=earlier).number


@pytest.mark.parametrize(
    "address", ["not-an-address", "victim@external.example", "bob@beta.example"]
)
def test_it_takes_no_contact_outside_the_organization(customer, license_a, outsider, address):
    errors = refusal(customer, contact_email=address)
    assert errors["contact_email"] == [
        "Choose the contact among the active people of Alpha Logistics."
    ]
    assert not Ticket.objects.exists()
    assert not Notification.objects.exists()


def test_it_takes_no_deactivated_colleague_as_the_contact(customer, colleague, license_a):
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    assert "contact_email" in refusal(customer, contact_email=colleague.email)


def test_it_takes_an_active_colleague_as_the_contact_in_any_letter_case(
    customer, colleague, license_a
):
    ticket = register(customer, contact_email="Carol@Alpha.Example")
    assert ticket.contact_email == "carol@alpha.example"


def test_the_customers_own_address_is_taken_without_looking_for_it(customer, license_a):
    with CaptureQueriesContext(connection) as captured:
        ticket = register(customer, contact_email=f" {customer.email.upper()} ")
    assert ticket.contact_email == customer.email
    assert not [q for q in captured if 'LOWER("accounts_user"."email")' in q["sql"]]


def test_it_refuses_filing_for_a_deactivated_organization(customer, org_a, license_a):
    org_a.is_active = False
    org_a.save(update_fields=["is_active"])
    with pytest.raises(ActionNotPermitted, match="Alpha Logistics is deactivated"):
        register(customer)
    assert not Ticket.objects.exists()


def test_it_refuses_a_hotline_ticket_for_a_deactivated_organizations_caller(
    engineer, outsider, org_b, license_b
):
    org_b.is_active = False
    org_b.save(update_fields=["is_active"])
    with pytest.raises(ActionNotPermitted, match="Beta Bank is deactivated"):
        register(engineer, customer=outsider, license_key="BETA-0001")
    assert not Ticket.objects.exists()


def test_it_lets_an_engineer_register_a_hotline_call_for_a_customer(engineer, outsider, license_b):
    ticket = register(engineer, customer=outsider, license_key="BETA-0001")
    assert ticket.channel == Channel.HOTLINE
    assert ticket.customer == outsider
    assert ticket.registered_by == engineer
    assert ticket.last_customer_activity_at is None  # the engineer acted, not the customer


def test_it_refuses_a_hotline_ticket_on_a_license_without_extended_support(
    engineer, customer, license_a
):
    with pytest.raises(ValidationError) as error:
        register(engineer, customer=customer)
    assert "no hotline" in error.value.message_dict["license_key"][0]
    assert not Ticket.objects.exists()


def test_it_refuses_a_hotline_ticket_without_the_customer(engineer, license_a):
    with pytest.raises(ValidationError) as error:
        register(engineer)
    assert "customer" in error.value.message_dict


def test_it_refuses_a_hotline_ticket_for_a_deactivated_customer(engineer, outsider, license_b):
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as error:
        register(engineer, customer=outsider, license_key="BETA-0001")
    assert "customer" in error.value.message_dict
    assert not Ticket.objects.exists()


def test_it_refuses_a_customer_filing_for_somebody_else(customer, colleague, license_a):
    with pytest.raises(ActionNotPermitted):
        register(customer, customer=colleague)


def test_it_mails_the_number_to_the_contact_address_after_commit(
    customer, colleague, license_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = register(customer, contact_email=colleague.email)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["carol@alpha.example"]
    assert ticket.number in sent.subject
    assert ticket.number in sent.body
    assert f"/tickets/{ticket.number}/" in sent.body
    notification = Notification.objects.get(ticket=ticket)
    assert notification.recipient == customer
    assert notification.email_status == Notification.EmailStatus.SENT


def test_it_stores_the_notification_in_the_registering_transaction(customer, license_a):
    # Without running on-commit callbacks nothing is sent, yet the row is already there.
    ticket = register(customer)
    notification = Notification.objects.get(ticket=ticket)
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert mail.outbox == []


def test_it_numbers_tickets_uniquely_and_in_order(customer, license_a):
    numbers = [register(customer, subject=f"Problem {i}").number for i in range(5)]
    assert len(set(numbers)) == 5
    assert numbers == sorted(numbers)


def test_it_never_reuses_a_number_after_a_failed_registration(customer, license_a, license_b):
    first = register(customer).number
    with pytest.raises(ValidationError):
        register(customer, license_key=license_b.key)
    second = register(customer).number
    assert second > first


def test_it_uses_the_prefix_and_format_from_settings(customer, license_a, settings):
    settings.TICKET_NUMBER_PREFIX = "HELP"
    settings.TICKET_NUMBER_FORMAT = "{prefix}{seq:04d}/{year}"
    ticket = register(customer, now=MOSCOW_NOON)
    assert re.fullmatch(r"HELP\d{4}/2026", ticket.number)


def test_a_filing_reads_only_its_licence_and_writes_the_ticket_its_event_and_notice(
    customer, license_a
):
    """The SLA target is kept reference data (sla.selectors.target_for) and a deflection is
    derived when counted (workspace.feedback): neither costs the filing a statement."""
    AssignmentSettings.load()  # made on first use: a change of the kept reference data
    register(customer, priority="medium")  # the kept data read, as by any earlier request
    with CaptureQueriesContext(connection) as captured:
        register(customer, priority="medium", subject="Second problem")
    statements = [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]
    assert [sql.split('"')[1] if '"' in sql else sql for sql in statements] == [
        "accounts_license",
        "SELECT nextval('tickets_ticket_number_seq')",
        "tickets_ticket",
        "tickets_ticketevent",
        "tickets_notification",
    ]
