"""The hotline page (engineers only), through HTTP: find the caller, register a ticket or log
the call only, read the log; and what customers are told about their hotline."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory, EngineerFactory, LicenseFactory, TicketFactory
from tickets import services
from tickets.models import Channel, HotlineCall, Ticket, TicketEvent
from tickets.templatetags.portal import when

PAGES = ["hotline", "hotline_new", "hotline_callers"]
POSTS = ["hotline_new", "hotline_log"]


@pytest.fixture
def as_engineer(client, engineer):
    client.force_login(engineer)
    return client


@pytest.fixture
def premium(org_b):
    return LicenseFactory(organization=org_b, key="BETA-PREM", tier_id="premium")


def ticket_data(caller, license_, **changes):
    data = {
        "caller": caller.pk,
        "license": license_.pk,
        "product_version": "7.2",
        "priority": "critical",
        "subject": "Cluster down",
        "description": "Both nodes stopped passing traffic.",
        "diagnostics": "Power-cycled node 2.",
        "contact_email": "",
        "caller_phone": "+7 495 000-00-01",
        "called_at": "",
        "notes": "",
    }
    data.update(changes)
    return data


def log_data(**fields):
    return {f"log-{name}": value for name, value in fields.items()}


# --- who may open the page ----------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_it_sends_an_anonymous_visitor_of_the_hotline_to_log_in(client, name):
    response = client.get(reverse(f"tickets:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", POSTS)
def test_it_sends_an_anonymous_hotline_post_to_log_in(client, name):
    response = client.post(reverse(f"tickets:{name}"), {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_the_hotline_to_customers(client, outsider, license_b):
    client.force_login(outsider)
    for name in PAGES:
        assert client.get(reverse(f"tickets:{name}"), {"q": "Bob"}).status_code == 403, name
    assert (
        client.post(reverse("tickets:hotline_new"), ticket_data(outsider, license_b)).status_code
        == 403
    )
    data = log_data(caller=outsider.pk, outcome="advice")
    assert client.post(reverse("tickets:hotline_log"), data).status_code == 403
    assert not Ticket.objects.exists()
    assert not HotlineCall.objects.exists()


def test_it_takes_hotline_writes_as_post_only(as_engineer):
    assert as_engineer.get(reverse("tickets:hotline_log")).status_code == 405
    assert as_engineer.post(reverse("tickets:hotline_callers"), {"q": "x"}).status_code == 405
    assert as_engineer.post(reverse("tickets:hotline"), {}).status_code == 405


def test_it_refuses_hotline_posts_without_the_csrf_token(engineer, outsider, license_b):
    client = Client(enforce_csrf_checks=True)
    client.force_login(engineer)
    response = client.post(reverse("tickets:hotline_new"), ticket_data(outsider, license_b))
    assert response.status_code == 403
    response = client.post(
        reverse("tickets:hotline_log"), log_data(caller=outsider.pk, outcome="advice")
    )
    assert response.status_code == 403
    assert not Ticket.objects.exists()
    assert not HotlineCall.objects.exists()


# --- finding the caller -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["bob", "BOB@beta", "beta bank", "beta-0001", "beta 0001", "Bob Beta"]
)
def test_it_finds_the_caller_by_name_email_organization_or_license_key(
    as_engineer, outsider, customer, license_b, query
):
    if query == "beta 0001":  # a key read out over the phone, with a space
        query = "BETA- 0001"
    response = as_engineer.get(reverse("tickets:hotline_callers"), {"q": query})
    assert response.status_code == 200
    assert list(response.context["callers"]) == [outsider]
    assert f"?caller={outsider.pk}" in response.content.decode()


def test_it_never_offers_engineers_or_deactivated_people_as_callers(as_engineer, org_b, outsider):
    EngineerFactory(email="bobby@vendor.example", first_name="Bobby")
    CustomerFactory(
        email="bob.old@beta.example", first_name="Bob", organization=org_b, is_active=False
    )
    response = as_engineer.get(reverse("tickets:hotline_callers"), {"q": "bob"})
    assert list(response.context["callers"]) == [outsider]
    page = response.content.decode()
    assert "bobby@vendor.example" not in page
    assert "bob.old@beta.example" not in page


def test_it_shows_at_most_twenty_callers(as_engineer, org_b):
    for n in range(25):
        CustomerFactory(email=f"ops{n}@beta.example", organization=org_b)
    response = as_engineer.get(reverse("tickets:hotline_callers"), {"q": "ops"})
    assert len(response.context["callers"]) == 20
    assert "type more to narrow the search" in response.content.decode()


def test_it_answers_an_empty_search_with_nothing(as_engineer, outsider):
    response = as_engineer.get(reverse("tickets:hotline_callers"), {"q": "  "})
    assert list(response.context["callers"]) == []


def test_it_searches_without_javascript_on_the_page_itself(as_engineer, outsider):
    response = as_engineer.get(reverse("tickets:hotline"), {"q": "beta bank"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="{reverse("tickets:hotline")}?caller={outsider.pk}"' in page
    assert 'src="/static/js/hotline.js"' in page
    assert "<script>" not in page  # no inline script: the search works through a file


def test_it_offers_the_chosen_callers_active_extended_licenses_only(as_engineer, outsider, org_b):
    platinum = LicenseFactory(organization=org_b, key="BETA-PLAT", tier_id="platinum")
    LicenseFactory(organization=org_b, key="BETA-STD", tier_id="standard")
    LicenseFactory(
        organization=org_b,
        key="BETA-OLD",
        tier_id="premium",
        support_ends_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    response = as_engineer.get(reverse("tickets:hotline"), {"caller": outsider.pk})
    form = response.context["register_form"]
    assert list(form.fields["license"].queryset) == [platinum]
    page = response.content.decode()
    assert "Beta Bank" in page
    assert f'name="license" value="{platinum.pk}"' in page
    assert 'name="license_key"' not in page  # chosen, never typed


def test_it_says_when_the_callers_organization_has_no_hotline(as_engineer, customer, license_a):
    response = as_engineer.get(reverse("tickets:hotline"), {"caller": customer.pk})
    page = response.content.decode()
    assert 'id="no-hotline"' in page
    assert 'id="hotline-form"' not in page
    assert 'id="hotline-log-form"' in page


def test_it_ignores_a_chosen_caller_who_is_an_engineer(as_engineer, engineer2):
    response = as_engineer.get(reverse("tickets:hotline"), {"caller": engineer2.pk})
    assert response.context["caller"] is None


# --- registering a ticket during the call ------------------------------------------------------


def test_it_registers_the_callers_ticket_and_logs_the_call(
    as_engineer, engineer, outsider, license_b, org_b
):
    response = as_engineer.post(reverse("tickets:hotline_new"), ticket_data(outsider, license_b))
    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("tickets:detail", args=[ticket.number])
    assert (ticket.channel, ticket.customer, ticket.registered_by, ticket.license) == (
        Channel.HOTLINE,
        outsider,
        engineer,
        license_b,
    )
    assert ticket.contact_email == outsider.email  # the caller's, as none was typed
    call = HotlineCall.objects.get()
    assert (call.outcome, call.ticket, call.caller, call.organization, call.engineer) == (
        "registered",
        ticket,
        outsider,
        org_b,
        engineer,
    )
    assert ticket.events.filter(kind=TicketEvent.Kind.HOTLINE_CALL, data__call=call.pk).exists()


def test_it_offers_the_callers_colleagues_as_the_contact_and_no_one_else(
    as_engineer, outsider, customer, org_b, license_b
):
    colleague = CustomerFactory(email="dan@beta.example", first_name="Dan", organization=org_b)
    page = as_engineer.get(reverse("tickets:hotline"), {"caller": outsider.pk})
    form = page.context["register_form"]
    assert set(dict(form.fields["contact_email"].choices)) == {outsider.email, colleague.email}
    assert form["contact_email"].value() == outsider.email
    refused = as_engineer.post(
        reverse("tickets:hotline_new"),
        ticket_data(outsider, license_b, contact_email=customer.email),  # another organization
    )
    assert refused.status_code == 400
    assert "contact_email" in refused.context["register_form"].errors
    assert "Both nodes stopped passing traffic." in refused.content.decode()
    as_engineer.post(
        reverse("tickets:hotline_new"),
        ticket_data(outsider, license_b, contact_email=colleague.email),
    )
    assert Ticket.objects.get().contact_email == colleague.email


def test_it_refuses_a_premium_hotline_ticket_below_critical_and_keeps_the_text(
    as_engineer, outsider, premium
):
    data = ticket_data(outsider, premium, priority="high")
    response = as_engineer.post(reverse("tickets:hotline_new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Premium support&#x27;s hotline is for Critical problems" in page
    assert "Both nodes stopped passing traffic." in page
    assert 'id="priority-high" checked' in page
    assert not Ticket.objects.exists()
    assert not HotlineCall.objects.exists()


def test_it_refuses_a_license_of_another_organization(as_engineer, outsider, license_a):
    response = as_engineer.post(reverse("tickets:hotline_new"), ticket_data(outsider, license_a))
    assert response.status_code == 400
    assert response.context["register_form"].errors["license"]
    assert not Ticket.objects.exists()


def test_it_asks_for_the_caller_again_when_the_account_is_gone(as_engineer, outsider, license_b):
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    response = as_engineer.post(reverse("tickets:hotline_new"), ticket_data(outsider, license_b))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose the customer who called." in page
    assert "Both nodes stopped passing traffic." in page
    assert not Ticket.objects.exists()


# --- logging the call only ---------------------------------------------------------------------


def test_it_logs_a_call_about_an_existing_ticket_by_its_number(
    as_engineer, engineer, outsider, license_b
):
    ticket = TicketFactory(customer=outsider, license=license_b)
    data = log_data(
        caller=outsider.pk,
        outcome="linked",
        ticket=ticket.number.lower(),
        license=license_b.pk,
        notes="Asked when the fix comes.",
    )
    response = as_engineer.post(reverse("tickets:hotline_log"), data)
    assert response["Location"] == reverse("tickets:hotline")
    call = HotlineCall.objects.get()
    assert (call.outcome, call.ticket, call.license, call.engineer) == (
        "linked",
        ticket,
        license_b,
        engineer,
    )
    assert ticket.events.filter(kind=TicketEvent.Kind.HOTLINE_CALL).exists()


@pytest.mark.parametrize("outcome", ["advice", "not_eligible", "other"])
def test_it_logs_a_call_from_an_unknown_caller(as_engineer, engineer, outcome):
    engineer.time_zone = "Asia/Vladivostok"
    engineer.save(update_fields=["time_zone"])
    data = log_data(
        caller_name="Reseller's engineer",
        caller_phone="+7 900 000-00-00",
        outcome=outcome,
        notes="Wanted a trial key.",
        called_at="2026-03-02T10:00",
    )
    response = as_engineer.post(reverse("tickets:hotline_log"), data)
    assert response.status_code == 302
    call = HotlineCall.objects.get()
    assert (call.outcome, call.caller, call.caller_name, call.organization) == (
        outcome,
        None,
        "Reseller's engineer",
        None,
    )
    assert call.called_at == datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)


def test_it_explains_an_unknown_ticket_number_and_keeps_the_text(as_engineer, outsider):
    data = log_data(caller=outsider.pk, outcome="linked", ticket="SUP-1999-000001", notes="Urgent!")
    response = as_engineer.post(reverse("tickets:hotline_log"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "No ticket has the number SUP-1999-000001." in page
    assert "Urgent!" in page
    assert response.context["caller"] == outsider
    assert not HotlineCall.objects.exists()


def test_it_puts_the_services_refusal_next_to_the_field(as_engineer, outsider):
    response = as_engineer.post(
        reverse("tickets:hotline_log"), log_data(caller=outsider.pk, outcome="other")
    )
    assert response.status_code == 400
    assert response.context["log_form"].errors["notes"] == [
        "Say in the notes what the call was about."
    ]


# --- the log of recent calls -------------------------------------------------------------------


def _calls(count, *, engineer, caller, license_):
    for n in range(count):
        ticket = TicketFactory(customer=caller, license=license_)
        services.hotline_call_log(
            actor=engineer, caller=caller, outcome="linked", ticket=ticket, notes=f"Call {n}"
        )


def test_it_lists_recent_calls_with_a_constant_number_of_queries(
    as_engineer, engineer, engineer2, outsider, license_b, django_assert_num_queries
):
    _calls(2, engineer=engineer, caller=outsider, license_=license_b)
    url = reverse("tickets:hotline")
    with CaptureQueriesContext(connection) as few:
        as_engineer.get(url)
    _calls(8, engineer=engineer2, caller=outsider, license_=license_b)
    services.hotline_call_log(actor=engineer, caller_name="Nobody", outcome="not_eligible")
    with django_assert_num_queries(len(few.captured_queries)):
        response = as_engineer.get(url)
    assert len(response.context["calls"]) == 11


def test_it_shows_the_last_fifty_calls_in_the_viewers_zone(as_engineer, engineer, outsider):
    engineer.time_zone = "Asia/Vladivostok"
    engineer.save(update_fields=["time_zone"])
    start = datetime.datetime(2026, 3, 2, 0, 0, tzinfo=datetime.UTC)
    for n in range(52):
        services.hotline_call_log(
            actor=engineer,
            caller=outsider,
            outcome="advice",
            called_at=start + datetime.timedelta(minutes=n),
            now=start + datetime.timedelta(hours=2),
        )
    response = as_engineer.get(reverse("tickets:hotline"))
    calls = list(response.context["calls"])
    assert len(calls) == 50
    assert calls[0].called_at == start + datetime.timedelta(minutes=51)
    with timezone.override("Asia/Vladivostok"):
        shown = when(calls[0].called_at)
    assert "+10" in shown
    assert shown in response.content.decode()


# --- what customers are told about their hotline ----------------------------------------------


def test_it_tells_premium_customers_their_hotline_is_for_critical_problems(
    client, outsider, premium
):
    premium.hotline_phone = "+7 495 111-22-33"
    premium.save()
    client.force_login(outsider)
    page = client.get(reverse("tickets:list")).content.decode()
    assert "+7 495 111-22-33" in page
    assert "For Critical problems only (emergencies)" in page
    assert "For any priority, 24/7." not in page


def test_it_tells_platinum_customers_their_hotline_takes_any_priority(client, outsider, license_b):
    license_b.hotline_phone = "+7 495 444-55-66"
    license_b.save()
    client.force_login(outsider)
    page = client.get(reverse("tickets:new")).content.decode()
    assert "+7 495 444-55-66" in page
    assert "For any priority, 24/7." in page
    assert "Critical problems only" not in page


def test_it_lets_admins_search_and_read_the_hotline_log(client, admin_user, engineer, outsider):
    call = services.hotline_call_log(actor=engineer, caller=outsider, outcome="advice")
    client.force_login(admin_user)
    changelist = reverse("admin:tickets_hotlinecall_changelist")
    response = client.get(changelist, {"q": "beta bank", "outcome__exact": "advice"})
    assert list(response.context["cl"].result_list) == [call]
    change = client.get(reverse("admin:tickets_hotlinecall_change", args=[call.pk]))
    assert change.status_code == 200
    assert 'name="outcome"' not in change.content.decode()
    assert client.get(reverse("admin:tickets_hotlinecall_add")).status_code == 403
