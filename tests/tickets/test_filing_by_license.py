"""Who files for which licenses, the requester column, "filed by me", and the contacts'
phones (issue 15, part 1)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories
from tickets import services
from tickets.models import Channel, Ticket


@pytest.fixture
def restricted(colleague, org_a, license_a):
    """Carol may file for ALPHA-0002 only."""
    second = factories.LicenseFactory(organization=org_a, key="ALPHA-0002")
    colleague.license_restricted = True
    colleague.save()
    colleague.filing_licenses.set([second])
    return second


def register(actor, key, **extra):
    return services.ticket_register(
        actor=actor,
        license_key=key,
        product_version="7.2",
        subject="Down",
        description="It is down",
        diagnostics="Rebooted",
        priority="low",
        **extra,
    )


def test_a_restricted_person_files_for_their_licenses_only(colleague, license_a, restricted):
    with pytest.raises(ValidationError) as refused:
        register(colleague, "alpha-0001")
    assert "You may not file tickets for the license ALPHA-0001" in str(
        refused.value.message_dict["license_key"]
    )
    assert not Ticket.objects.exists()
    assert register(colleague, "ALPHA-0002").license == restricted


def test_an_engineer_filing_after_a_hotline_call_meets_the_same_rule(
    engineer, colleague, license_a, restricted
):
    with pytest.raises(ValidationError, match="Carol may not file tickets for the license"):
        services.hotline_call_register(
            actor=engineer,
            caller=colleague,
            license=license_a,
            product_version="7.2",
            subject="Down",
            description="It is down",
            diagnostics="Rebooted",
            priority="critical",
        )
    assert not Ticket.objects.filter(channel=Channel.HOTLINE).exists()


def test_the_form_lists_the_allowed_licenses_and_says_what_is_wrong(
    client, colleague, license_a, restricted
):
    client.force_login(colleague)
    page = client.get(reverse("tickets:new")).content.decode()
    assert "ALPHA-0002" in page
    assert "ALPHA-0001" not in page
    response = client.post(
        reverse("tickets:new"),
        {
            "license_key": "ALPHA-0001",
            "product_version": "7.2",
            "subject": "Down",
            "description": "It is down",
            "diagnostics": "Rebooted",
            "priority": "low",
            "contact_email": colleague.email,
        },
    )
    assert response.status_code == 400
    assert "your organization admin chose which licenses you file for" in (
        response.content.decode()
    )


def test_the_list_names_the_requester_and_filters_to_mine(
    client, customer, colleague, license_a, django_assert_max_num_queries
):
    mine = factories.TicketFactory(customer=customer, license=license_a, subject="Mine")
    factories.TicketFactory(customer=colleague, license=license_a, subject="Carol's")
    client.force_login(customer)
    with django_assert_max_num_queries(12) as few:
        page = client.get(reverse("tickets:list")).content.decode()
    assert "Carol" in page
    assert "Alice" in page
    for _ in range(10):
        factories.TicketFactory(customer=colleague, license=license_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("tickets:list"))
    response = client.get(reverse("tickets:list"), {"mine": "1"})
    assert [t.pk for t in response.context["page"]] == [mine.pk]


def test_engineers_see_the_contacts_phones_customers_do_not(
    client, customer, colleague, engineer, license_a
):
    customer.phone = "+7 495 100-00-01"
    customer.save()
    colleague.phone = "+7 495 100-00-02"
    colleague.save()
    ticket = factories.TicketFactory(
        customer=customer, license=license_a, contact_email=colleague.email
    )
    url = reverse("tickets:detail", args=[ticket.number])
    client.force_login(engineer)
    page = client.get(url).content.decode()
    assert "+7 495 100-00-01" in page
    assert "+7 495 100-00-02" in page
    client.force_login(customer)
    assert "+7 495 100-00-02" not in client.get(url).content.decode()


def test_the_profile_saves_a_phone_and_refuses_letters(client, customer):
    client.force_login(customer)
    data = {"first_name": "Alice", "last_name": "", "language": "en", "time_zone": "Asia/Omsk"}
    client.post(reverse("accounts:profile"), {**data, "phone": "+7 (495) 123-45-67"})
    customer.refresh_from_db()
    assert customer.phone == "+7 (495) 123-45-67"
    response = client.post(reverse("accounts:profile"), {**data, "phone": "call me"})
    assert response.status_code == 400
    assert "Enter a phone number" in response.content.decode()
    customer.refresh_from_db()
    assert customer.phone == "+7 (495) 123-45-67"
