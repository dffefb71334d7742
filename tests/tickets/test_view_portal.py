"""The customer's pages, driven through HTTP: what a person sees, and what bad input gets."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sla.models import Calendar
from tests.factories import LicenseFactory, TicketFactory, ticket_in_state
from tickets import services
from tickets.errors import TicketActionError
from tickets.models import Notification, State, Ticket

FILING = {
    "license_key": "ALPHA-0001",
    "product_version": "7.2.1",
    "priority": "high",
    "subject": "VPN drops",
    "description": "The tunnel drops every hour.",
    "diagnostics": "Rebooted; checked logs.",
    "contact_email": "carol@alpha.example",  # the colleague's
}


@pytest.fixture
def signed_in(client, customer, colleague):
    client.force_login(customer)
    return client


def post_ticket(client, **changes):
    data = {**FILING, **changes}
    return client.post(reverse("tickets:new"), {k: v for k, v in data.items() if v is not None})


# --- filing -----------------------------------------------------------------------------------


def test_it_files_a_ticket_and_shows_the_number_big_with_the_reaction_deadline(
    signed_in, license_a
):
    response = post_ticket(signed_in)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:registered", args=[ticket.number])
    page = signed_in.get(response["Location"]).content.decode()
    assert f'<p class="big-number" id="ticket-number">{ticket.number}</p>' in page
    assert "An engineer takes the ticket into work" in page
    assert ticket.contact_email == "carol@alpha.example"


def test_it_offers_the_organizations_active_licenses_and_the_priority_criteria(
    signed_in, license_a, org_a, license_b
):
    LicenseFactory(
        organization=org_a,
        key="OLD-9",
        support_ends_on=datetime.date(2020, 1, 1),
        support_starts_on=datetime.date(2019, 1, 1),
    )
    page = signed_in.get(reverse("tickets:new")).content.decode()
    assert '<option value="ALPHA-0001">' in page
    assert "OLD-9" not in page
    assert license_b.key not in page
    assert "One ticket is one problem" in page
    assert "no workaround" in page  # the criteria of Critical, beside the choice
    assert "Up to 10 files" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"license_key": "BETA-0001"}, "license_key", "has no license with the key BETA-0001"),
        ({"license_key": "NOPE"}, "license_key", "has no license with the key NOPE"),
        ({"description": ""}, "description", "Describe the fault."),
        ({"diagnostics": " "}, "diagnostics", "primary diagnostics"),
        ({"priority": None}, "priority", "Choose a priority."),
        ({"contact_email": "nobody"}, "contact_email", "Choose the contact among"),
        ({"contact_email": "victim@external.example"}, "contact_email", "Choose the contact among"),
    ],
)
def test_it_says_what_is_wrong_and_keeps_what_was_typed(
    signed_in, license_a, license_b, changes, field, message
):
    response = post_ticket(signed_in, **changes)
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert "The tunnel drops every hour." in page or field == "description"
    assert 'value="7.2.1"' in page
    assert not Ticket.objects.exists()


def test_it_refuses_an_expired_license_on_the_form(signed_in, org_a):
    LicenseFactory(
        organization=org_a,
        key="OLD-1",
        support_starts_on=datetime.date(2023, 1, 1),
        support_ends_on=datetime.date(2024, 1, 31),
    )
    response = post_ticket(signed_in, license_key="OLD-1")
    assert "ended on 2024-01-31" in " ".join(response.context["form"].errors["license_key"])
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([SimpleUploadedFile("empty.log", b"")], "is empty"),
        ([SimpleUploadedFile("huge.pcap", b"x" * 2048)], "the limit is 1.0"),
        ([SimpleUploadedFile(f"f{i}.log", b"x") for i in range(3)], "at most 2 files"),
    ],
)
def test_it_refuses_bad_uploads_and_saves_nothing(signed_in, license_a, settings, files, message):
    settings.ATTACHMENT_MAX_BYTES = 1024
    settings.ATTACHMENT_MAX_COUNT = 2
    response = signed_in.post(reverse("tickets:new"), {**FILING, "files": files})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["files"])
    assert not Ticket.objects.exists()


def test_it_stores_the_files_filed_with_the_ticket(signed_in, license_a):
    response = signed_in.post(
        reverse("tickets:new"),
        {
            **FILING,
            "files": [SimpleUploadedFile("a.log", b"one"), SimpleUploadedFile("b.conf", b"two")],
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert sorted(ticket.attachments.values_list("name", flat=True)) == ["a.log", "b.conf"]


def test_it_shows_a_script_in_a_description_as_text(signed_in, license_a):
    post_ticket(signed_in, description="<script>alert('x')</script> and <b>bold</b>")
    ticket = Ticket.objects.get()
    page = signed_in.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "<script>alert" not in page
    # Markdown (issue 17) shows raw HTML as text, sanitized by nh3.
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page


# --- the list ---------------------------------------------------------------------------------


def test_it_filters_by_state_and_searches_by_number_or_text(
    signed_in, customer, engineer, license_a
):
    waiting = ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )
    other = TicketFactory(customer=customer, license=license_a, subject="Certificate expired")
    page = signed_in.get(reverse("tickets:list"), {"state": "awaiting_customer"}).content.decode()
    assert waiting.number in page
    assert other.number not in page
    page = signed_in.get(reverse("tickets:list"), {"q": "certificate"}).content.decode()
    assert other.number in page
    assert waiting.number not in page
    page = signed_in.get(reverse("tickets:list"), {"q": waiting.number}).content.decode()
    assert waiting.number in page
    assert other.number not in page


def test_it_lists_with_a_constant_number_of_queries(
    signed_in, customer, license_a, django_assert_max_num_queries
):
    for _ in range(3):
        TicketFactory(customer=customer, license=license_a)
    with django_assert_max_num_queries(12) as few:
        signed_in.get(reverse("tickets:list"))
    for n in range(20):  # every priority: their labels are kept data, never read per row
        TicketFactory(
            customer=customer,
            license=license_a,
            priority=["low", "medium", "high", "critical"][n % 4],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = signed_in.get(reverse("tickets:list"))
    assert len(response.context["page"]) == 23
    assert response.content.decode().count(">Critical</span>") == 2 * 5  # row and card


def test_it_shows_the_hotline_to_extended_tiers_only(
    client, outsider, license_b, customer, license_a
):
    license_b.hotline_phone = "+7 495 111-22-33"
    license_b.save()
    client.force_login(outsider)
    assert "+7 495 111-22-33" in client.get(reverse("tickets:list")).content.decode()
    client.force_login(customer)
    assert "Hotline" not in client.get(reverse("tickets:list")).content.decode()


# --- the ticket page and its actions ------------------------------------------------------------


ACTIONS = ["reply", "confirm", "dispute", "withdraw", "priority_propose"]


@pytest.mark.parametrize("name", ACTIONS)
def test_it_accepts_actions_only_as_post(signed_in, ticket, name):
    assert signed_in.get(reverse(f"tickets:{name}", args=[ticket.number])).status_code == 405


@pytest.mark.parametrize("name", ACTIONS)
def test_it_answers_404_to_an_outsiders_action(client, outsider, ticket, name):
    client.force_login(outsider)
    response = client.post(
        reverse(f"tickets:{name}", args=[ticket.number]), {"dispute-reason": "x", "reply-body": "x"}
    )
    assert response.status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).state == ticket.state


@pytest.mark.parametrize("name", ACTIONS)
def test_it_sends_an_anonymous_action_to_log_in(client, ticket, name):
    response = client.post(reverse(f"tickets:{name}", args=[ticket.number]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_answers_an_info_request_with_a_file(signed_in, customer, engineer, license_a):
    ticket = ticket_in_state(
        "awaiting_customer", customer=customer, engineer=engineer, license=license_a
    )
    page = signed_in.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert 'id="info-request"' in page
    assert "Send the logs." in page
    response = signed_in.post(
        reverse("tickets:reply", args=[ticket.number]),
        {"reply-body": "Logs attached.", "reply-files": [SimpleUploadedFile("c.log", b"log")]},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == State.IN_PROGRESS
    assert ticket.messages.last().attachments.get().name == "c.log"


def test_it_refuses_a_dispute_without_a_reason_and_keeps_the_ticket_resolved(
    signed_in, customer, engineer, license_a
):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    response = signed_in.post(
        reverse("tickets:dispute", args=[ticket.number]), {"dispute-reason": "  "}
    )
    assert response.status_code == 400
    assert "Say why the resolution does not solve the problem." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).state == State.RESOLVED


def test_it_disputes_then_confirms_a_later_resolution(signed_in, customer, engineer, license_a):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    signed_in.post(
        reverse("tickets:dispute", args=[ticket.number]),
        {"dispute-reason": "Still broken after the change."},
    )
    ticket.refresh_from_db()
    assert ticket.state == State.DISPUTED
    services.ticket_take(actor=engineer, ticket=ticket)
    services.ticket_resolve(actor=engineer, ticket=ticket, result="Replaced the module.")
    response = signed_in.post(reverse("tickets:confirm", args=[ticket.number]))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.state, ticket.close_reason) == (State.CLOSED, "confirmed")


def test_it_explains_a_refusal_that_came_too_late_and_keeps_the_text(
    signed_in, customer, engineer, license_a
):
    ticket = ticket_in_state("resolved", customer=customer, engineer=engineer, license=license_a)
    services.ticket_withdraw(actor=customer, ticket=ticket)  # e.g. from another tab
    response = signed_in.post(
        reverse("tickets:dispute", args=[ticket.number]),
        {"dispute-reason": "My long careful explanation."},
    )
    assert response.status_code == 302
    page = signed_in.get(response["Location"]).content.decode()
    assert "the ticket is “Closed” now" in page
    assert "My long careful explanation." in page


def test_it_accepts_a_priority_proposal_on_the_page(signed_in, ticket, engineer):
    change = services.priority_change_propose(
        actor=engineer, ticket=ticket, to_priority="low", reason="Only one admin affected."
    )
    page = signed_in.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Only one admin affected." in page
    signed_in.post(
        reverse("tickets:priority_answer", args=[ticket.number, change.pk]), {"decision": "accept"}
    )
    assert Ticket.objects.get(pk=ticket.pk).priority_id == "low"


def test_it_withdraws_a_ticket(signed_in, ticket):
    response = signed_in.post(
        reverse("tickets:withdraw", args=[ticket.number]),
        {"withdraw-reason": "Solved it ourselves."},
    )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).close_reason == "withdrawn"


def test_it_shows_the_deadlines_and_how_they_were_counted(signed_in, ticket):
    page = signed_in.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "How the deadlines were counted" in page
    assert "of working time" in page


def test_the_kept_explanation_follows_the_language_and_a_pause(signed_in, ticket, customer):
    """The explanation's HTML is kept per explanation, language and pause
    (ticket_page.deadline_explanation): each of those gives its own."""
    for calendar in Calendar.objects.all():  # named alike in both languages, so that the
        calendar.name_ru = ""  # explanation itself is the same value in both
        calendar.save()
    url = reverse("tickets:detail", args=[ticket.number])
    page = signed_in.get(url).content.decode()
    assert "How the deadlines were counted" in page
    assert "the clock was paused" not in page
    customer.language = "ru"
    customer.save()
    page = signed_in.get(url).content.decode()
    assert "Как рассчитаны сроки" in page
    assert "приостанавливался" not in page
    later = ticket.resolution_due + datetime.timedelta(hours=3)
    Ticket.objects.filter(pk=ticket.pk).update(resolution_due=later)  # as a pause moves it
    page = signed_in.get(url).content.decode()
    assert "Как рассчитаны сроки" in page
    assert "отсчет приостанавливался" in page


def test_it_renders_a_long_conversation_with_a_constant_number_of_queries(
    signed_in, ticket, engineer, django_assert_max_num_queries
):
    def add_messages(count: int) -> None:
        for i in range(count):
            services.message_post(
                actor=engineer,
                ticket=ticket,
                body=f"Step {i}",
                files=[SimpleUploadedFile(f"s{i}.txt", b"x")],
            )

    add_messages(2)
    url = reverse("tickets:detail", args=[ticket.number])
    with django_assert_max_num_queries(40) as few:
        signed_in.get(url)
    add_messages(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(url)


# --- notifications and preferences --------------------------------------------------------------


def test_it_counts_unread_notifications_and_reads_them_when_the_ticket_is_opened(
    signed_in, customer, ticket, engineer
):
    services.message_post(actor=engineer, ticket=ticket, body="We are on it.")
    unread = Notification.objects.filter(recipient=customer, read_at__isnull=True).count()
    assert unread == 2  # registration and the reply
    page = signed_in.get(reverse("tickets:list")).content.decode()
    assert f'data-unread="{unread}"' in page
    signed_in.get(reverse("tickets:detail", args=[ticket.number]))
    assert not Notification.objects.filter(recipient=customer, read_at__isnull=True).exists()


def test_it_lists_only_a_persons_own_notifications(client, customer, outsider, ticket, license_b):
    other = TicketFactory(customer=outsider, license=license_b)
    client.force_login(customer)
    page = client.get(reverse("tickets:notifications")).content.decode()
    assert ticket.number in page
    assert other.number not in page
    assert client.get(reverse("tickets:notifications_read")).status_code == 405


def test_it_keeps_the_language_a_person_switches_to(signed_in, customer):
    response = signed_in.post(reverse("set_language"), {"language": "ru", "next": "/tickets/"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.language == "ru"
    assert "Заявки" in signed_in.get(reverse("tickets:list")).content.decode()


def test_it_shows_times_in_the_persons_zone_with_the_zone_named(signed_in, customer, ticket):
    customer.time_zone = "Asia/Yekaterinburg"
    customer.save()
    page = signed_in.get(reverse("tickets:list")).content.decode()
    assert "+05" in page or "YEKT" in page


def test_it_counts_down_to_each_running_deadline_beside_its_time(signed_in, ticket):
    now = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(
        reaction_due=now + datetime.timedelta(hours=16, minutes=5, seconds=30),
        resolution_due=now - datetime.timedelta(hours=2, minutes=1),
    )
    page = signed_in.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    reaction = page[page.index('id="reaction-countdown">') :]
    resolution = page[page.index('id="resolution-countdown">') :]
    assert reaction.startswith('id="reaction-countdown">16 h 5 min left</span>')
    assert resolution.startswith('id="resolution-countdown">overdue by 2 h 1 min</span>')


# --- the contact, and who may still write -------------------------------------------------


def test_it_offers_the_organizations_active_people_as_the_contact_the_filer_first_chosen(
    signed_in, customer, colleague, outsider, org_a, license_a
):
    from tests.factories import CustomerFactory

    CustomerFactory(email="gone@alpha.example", organization=org_a, is_active=False)
    form = signed_in.get(reverse("tickets:new")).context["form"]
    choices = dict(form.fields["contact_email"].choices)
    assert set(choices) == {"alice@alpha.example", "carol@alpha.example"}
    assert choices["carol@alpha.example"] == "Carol <carol@alpha.example>"
    assert form["contact_email"].value() == "alice@alpha.example"
    page = signed_in.get(reverse("tickets:new")).content.decode()
    assert '<select name="contact_email"' in page
    assert 'value="alice@alpha.example" selected' in page


def test_it_mails_nobody_outside_the_organization_even_for_an_old_ticket(
    customer, license_a, engineer, django_capture_on_commit_callbacks
):
    from django.core import mail

    # A ticket filed before the contact was limited to members names a stranger.
    old = TicketFactory(customer=customer, license=license_a)
    Ticket.objects.filter(pk=old.pk).update(contact_email="victim@ext.example")
    old.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_take(actor=engineer, ticket=old)
    assert [message.to for message in mail.outbox] == [["alice@alpha.example"]]


def test_a_deactivated_organizations_customer_is_signed_out_before_writing(
    signed_in, org_a, ticket, license_a
):
    # The sign-in rule (accounts.backends) ends the session at the next request, so neither a
    # reply nor a new ticket reaches the services, which refuse them too (the tests below).
    org_a.is_active = False
    org_a.save(update_fields=["is_active"])
    reply = signed_in.post(
        reverse("tickets:reply", args=[ticket.number]), {"reply-body": "Still broken."}
    )
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("login"))
    filing = post_ticket(signed_in)
    assert filing.status_code == 302
    assert filing["Location"].startswith(reverse("login"))
    assert not ticket.messages.exists()
    assert Ticket.objects.count() == 1


def test_the_services_refuse_a_reply_from_a_deactivated_organization(customer, org_a, ticket):
    org_a.is_active = False
    org_a.save(update_fields=["is_active"])
    with pytest.raises(TicketActionError, match="Alpha Logistics is deactivated on the portal"):
        services.message_post(actor=customer, ticket=ticket, body="Still broken.")
    assert not ticket.messages.exists()
