"""The dashboard's customer feedback (issue 17): CSAT per tier, priority, engineer and week,
with the comments, and the deflections of the new-ticket form's suggestions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from knowledge import services as knowledge_services
from knowledge.models import FILING_WINDOW
from tests.factories import LicenseFactory, TicketFactory, ticket_in_state
from tickets import services
from workspace.feedback import deflections_between


@pytest.fixture
def rated(customer, outsider, engineer, engineer2, license_a, license_b):
    for who, license, by, score, comment in [
        (customer, license_a, engineer, 5, "Quick and clear"),
        (customer, license_a, engineer, 3, ""),
        (outsider, license_b, engineer2, 2, "Too slow"),
    ]:
        ticket = ticket_in_state("resolved", customer=who, engineer=by, license=license)
        services.ticket_confirm(actor=who, ticket=ticket)
        ticket.refresh_from_db()
        services.ticket_rate(actor=who, ticket=ticket, score=score, comment=comment)


def test_it_shows_csat_per_tier_priority_engineer_and_week_with_comments(client, engineer, rated):
    client.force_login(engineer)
    page = client.get(reverse("workspace:dashboard")).content.decode()
    csat = page.split('id="csat"')[1].split("</section>")[0]
    assert "Average 3.33 of 5 from 3 ratings" in csat
    assert '<th scope="row">Standard</th><td class="num">2</td><td class="num">4.00</td>' in csat
    assert '<th scope="row">Platinum</th><td class="num">1</td><td class="num">2.00</td>' in csat
    assert '<th scope="row">eve@vendor.example</th><td class="num">2</td>' in csat
    assert '<th scope="row">frank@vendor.example</th><td class="num">1</td>' in csat
    assert '<th scope="row">High</th><td class="num">3</td><td class="num">3.33</td>' in csat
    assert "By week" in csat
    assert "<q>Quick and clear</q>" in csat
    assert "<q>Too slow</q>" in csat


def test_it_counts_deflections_in_the_period(client, customer, colleague, engineer, vpn, license_a):
    article = knowledge_services.article_save(
        actor=engineer, title="VPN", body="x", area=vpn, language="en"
    )
    now = timezone.now()
    knowledge_services.suggestion_opened(actor=customer, article=article, now=now)
    knowledge_services.suggestion_opened(actor=colleague, article=article, now=now)
    TicketFactory(customer=colleague, license=license_a, now=now)
    client.force_login(engineer)
    page = client.get(reverse("workspace:dashboard")).content.decode()
    assert '<dd class="col-sm-6" id="suggestions-opened">2</dd>' in page
    assert '<dd class="col-sm-6" id="deflection-count">1</dd>' in page


@pytest.fixture
def opened(customer, engineer, vpn):
    """An article suggested to the customer and opened by them an hour ago."""
    article = knowledge_services.article_save(
        actor=engineer, title="VPN", body="x", area=vpn, language="en"
    )
    at = timezone.now() - datetime.timedelta(hours=1)
    knowledge_services.suggestion_opened(actor=customer, article=article, now=at)
    return at


def _today(at):
    return at - datetime.timedelta(hours=1), at + datetime.timedelta(hours=1)


def test_an_opened_suggestion_is_a_deflection_until_its_customer_files(opened, customer, license_a):
    assert deflections_between(*_today(opened)) == {"opened": 1, "deflected": 1}
    TicketFactory(customer=customer, license=license_a, now=opened + FILING_WINDOW / 2)
    assert deflections_between(*_today(opened)) == {"opened": 1, "deflected": 0}


@pytest.mark.parametrize(
    "after",
    [-datetime.timedelta(minutes=1), FILING_WINDOW],
    ids=["filed before opening", "filed a day later"],
)
def test_a_filing_outside_the_day_after_opening_leaves_a_deflection(
    opened, customer, license_a, after
):
    TicketFactory(customer=customer, license=license_a, now=opened + after)
    assert deflections_between(*_today(opened)) == {"opened": 1, "deflected": 1}


def test_a_colleagues_filing_or_a_hotline_registration_leaves_a_deflection(
    opened, customer, colleague, engineer, license_a
):
    TicketFactory(customer=colleague, license=license_a, now=opened)
    platinum = LicenseFactory(organization=customer.organization, tier_id="platinum")
    services.ticket_register(  # an engineer registers the customer's call (channel: hotline)
        actor=engineer,
        customer=customer,
        license_key=platinum.key,
        product_version="7.2.1",
        subject="Called the hotline",
        description="The tunnel drops.",
        diagnostics="Rebooted.",
        priority="critical",
        now=opened,
    )
    assert deflections_between(*_today(opened)) == {"opened": 1, "deflected": 1}
