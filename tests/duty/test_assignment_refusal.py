"""Assigning by hand to an engineer who does not handle the ticket's tier or area is refused
with the reason, on the page's service, the queue's bulk assignment and the API (issue 18)."""

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from tickets import services


@pytest.fixture
def standard_only(db):
    return factories.DutyProfileFactory(
        engineer=factories.EngineerFactory(first_name="Stan", last_name="Dard"),
        tiers=["standard"],
    ).engineer


@pytest.fixture
def platinum_ticket(customer, org_a):
    license_ = factories.LicenseFactory(organization=org_a, tier_id="platinum", key="PLAT-0002")
    return factories.TicketFactory(customer=customer, license=license_)


WHY = "Stan Dard does not handle Platinum support: their duty profile lists other tiers."


def test_it_refuses_a_manual_assignment_outside_the_engineers_tiers(
    engineer, platinum_ticket, standard_only
):
    with pytest.raises(ValidationError) as refused:
        services.ticket_assign(actor=engineer, ticket=platinum_ticket, engineer=standard_only)
    assert WHY in refused.value.message_dict["engineer"][0]
    platinum_ticket.refresh_from_db()
    assert platinum_ticket.assignee is None


def test_it_refuses_an_engineer_outside_the_tickets_product_area(
    engineer, customer, license_a, vpn, licensing
):
    lic_person = factories.DutyProfileFactory(
        engineer=factories.EngineerFactory(first_name="Lisa", last_name="Cense"), areas=[licensing]
    ).engineer
    ticket = factories.TicketFactory(customer=customer, license=license_a, product_area=vpn)
    with pytest.raises(ValidationError) as refused:
        services.ticket_assign(actor=engineer, ticket=ticket, engineer=lic_person)
    assert "Lisa Cense does not handle the product area VPN" in str(refused.value)


def test_it_still_assigns_to_an_engineer_who_handles_the_tier_or_has_no_profile(
    engineer, engineer2, platinum_ticket
):
    factories.DutyProfileFactory(engineer=engineer2, tiers=["platinum", "premium"])
    services.ticket_assign(actor=engineer, ticket=platinum_ticket, engineer=engineer2)
    services.ticket_assign(actor=engineer2, ticket=platinum_ticket, engineer=engineer)
    platinum_ticket.refresh_from_db()
    assert platinum_ticket.assignee == engineer


def test_the_bulk_assignment_says_why_per_ticket(
    engineer, customer, license_a, platinum_ticket, standard_only
):
    standard = factories.TicketFactory(customer=customer, license=license_a)
    outcomes = services.tickets_bulk_assign(
        actor=engineer, numbers=[platinum_ticket.number, standard.number], engineer=standard_only
    )
    assert [o.done for o in outcomes] == [False, True]
    assert WHY in outcomes[0].reasons[0]


def test_the_api_refuses_with_the_reason(client, engineer, platinum_ticket, standard_only):
    client.force_login(engineer)
    response = client.post(
        f"/api/v1/tickets/{platinum_ticket.number}/assign/",
        {"engineer": standard_only.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert WHY in response.content.decode()
