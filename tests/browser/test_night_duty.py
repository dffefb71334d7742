"""The engineer's night (issue 18), end to end in a real Chromium: a customer files a Platinum
Critical ticket while it is night for the day shift; the portal gives it at once to the 24×7
on-duty engineer with an urgent alert; that engineer opens it and answers with a canned reply,
filled in the customer's language, using only the keyboard."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from replies import services as replies_services
from tests import factories
from tests.browser.conftest import arrive, login, tab_to
from tickets.models import Message, Notification, State, Ticket, TicketEvent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]

NIGHT_HOUR = 3


def zone_where_it_is_night() -> str:
    """A fixed-offset zone whose local time is about 03:00 now: the day shift's calendar is
    put there, so that the ticket really arrives at night for it, whenever the test runs."""
    offset = (NIGHT_HOUR - timezone.now().astimezone(datetime.UTC).hour) % 24
    if offset > 14:  # Etc/GMT zones span UTC-12 to UTC+14
        offset -= 24
    # POSIX signs: Etc/GMT-3 is three hours ahead of UTC.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


@pytest.fixture
def night_shift_setup(org_a, engineer, admin_user):
    """Two day-shift engineers and one on 24×7 duty, all handling Platinum; auto-assignment on.
    The admin (who writes the team's canned replies) is on the day shift too: without a duty
    profile she would work Moscow's business hours, and take the ticket whenever the test ran
    during them."""
    factories.auto_assignment()
    day_shift = factories.shift_calendar("Day shift", tz=zone_where_it_is_night())
    for person in (
        factories.EngineerFactory(first_name="Dan"),
        factories.EngineerFactory(first_name="Dora"),
        admin_user,
    ):
        factories.DutyProfileFactory(engineer=person, calendar=day_shift, tiers=["platinum"])
    factories.DutyProfileFactory(
        engineer=engineer, calendar=day_shift, tiers=["platinum"], on_duty_24x7=True
    )
    return factories.LicenseFactory(organization=org_a, tier_id="platinum", key="PLAT-0001")


def file_a_critical_ticket(page: Page, live_server, customer) -> Ticket:
    login(page, live_server, customer)
    page.goto(f"{live_server.url}/tickets/new/")
    page.locator("#id_license_key").fill("PLAT-0001")
    page.locator("#id_product_version").fill("7.2.1")
    page.locator("#priority-critical").check()
    page.locator("#id_subject").fill("Все туннели VPN упали")
    page.locator("#id_description").fill("После обновления ни один туннель не поднимается.")
    page.locator("#id_diagnostics").fill("Перезагрузили узел, откатили конфигурацию.")
    page.locator("#ticket-form button[type=submit]").click()
    expect(page.locator("#ticket-number")).to_be_visible()
    return Ticket.objects.get()


def test_a_critical_platinum_ticket_at_night_goes_to_the_on_duty_engineer_who_answers_by_keyboard(
    page, live_server, customer, engineer, admin_user, night_shift_setup
):
    customer.language = "ru"
    customer.save(update_fields=["language"])
    replies_services.canned_reply_save(
        actor=admin_user,
        title="Taken at night",
        text_ru="Здравствуйте, {{имя_клиента}}! Заявка {{номер_заявки}} у дежурного инженера.",
        text_en="Hello {{customer_name}}, ticket {{ticket_number}} is with the on-duty engineer.",
        team=True,
    )

    ticket = file_a_critical_ticket(page, live_server, customer)
    assert (ticket.license.tier_id, ticket.priority_id) == ("platinum", "critical")
    assert ticket.assignee == engineer  # the day shift is asleep: the 24×7 engineer, at once
    why = ticket.events.get(kind=TicketEvent.Kind.AUTO_ASSIGN)
    assert why.data["rule"] == "on_duty"
    alert = Notification.objects.get(ticket=ticket, kind=Notification.Kind.ON_DUTY_ALERT)
    assert alert.recipient == engineer

    page.context.clear_cookies()
    login(page, live_server, engineer)
    page.goto(f"{live_server.url}/tickets/notifications/")
    urgent = page.locator(".notifications li.unread", has_text="assigned to you as the 24×7")
    expect(urgent).to_contain_text(
        "URGENT: assigned to you as the 24×7 on-duty engineer: Все туннели VPN упали"
    )

    # From here on, the keyboard only.
    tab_to(page, urgent.get_by_role("link", name=ticket.number))
    page.keyboard.press("Enter")
    arrive(page, f"{live_server.url}/tickets/{ticket.number}/")
    expect(page.locator("ol.history")).to_contain_text("the 24×7 on-duty engineer")
    page.keyboard.press("t")  # take it into work
    expect(page.locator("#ticket-state")).to_have_text("In progress")
    page.wait_for_load_state("load")  # the page after the take, its shortcuts bound
    # The picker appears once its list has loaded (a request of its own), as a person sees it.
    expect(page.locator("#id_reply-body-canned")).to_be_visible()
    page.keyboard.press("r")  # to the reply
    body = page.locator(".reply-form textarea")
    expect(body).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # the canned replies just above the text
    expect(page.locator("#id_reply-body-canned")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # inserted, in the customer's language
    text = f"Здравствуйте, Alice! Заявка {ticket.number} у дежурного инженера."
    expect(body).to_have_value(text)
    expect(body).to_be_focused()
    page.keyboard.press("Control+Enter")

    expect(page.locator(".alert-success")).to_contain_text("Your message was sent.")
    sent = Message.objects.get(ticket=ticket, kind=Message.Kind.REPLY)
    assert (sent.author, sent.body) == (engineer, text)
    ticket.refresh_from_db()
    assert ticket.state == State.IN_PROGRESS
    assert ticket.reacted_at is not None
