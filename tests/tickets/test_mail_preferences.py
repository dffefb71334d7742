"""Notification preferences (issue 15, part 3): which kinds come by mail; the bell has all."""

import pytest
from django.core import mail
from django.urls import reverse

from tickets import services
from tickets.models import Notification

NKind = Notification.Kind


def test_a_muted_kind_reaches_the_bell_but_not_the_mailbox(
    client, ticket, customer, engineer, django_capture_on_commit_callbacks
):
    client.force_login(customer)
    kinds = [k for k, _ in Notification.Kind.choices if k not in {"reply", "registered"}]
    client.post(reverse("tickets:mail_preferences"), {"mailed": ["taken"]})
    customer.refresh_from_db()
    assert "reply" in customer.mail_muted_kinds
    assert "taken" not in customer.mail_muted_kinds
    assert "sla_warning" not in customer.mail_muted_kinds  # not a customer's kind
    assert kinds  # the form offers the rest
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_take(actor=engineer, ticket=ticket)
        ticket.refresh_from_db()
        services.message_post(actor=engineer, ticket=ticket, body="Try 7.2.2")
    reply = Notification.objects.get(recipient=customer, kind=NKind.REPLY)
    assert reply.email_status == Notification.EmailStatus.NONE
    assert reply.read_at is None  # on the bell
    assert [m.subject.split("] ")[1].split(":")[0] for m in mail.outbox] == [
        "Ticket taken into work"
    ]


def test_the_registration_number_is_mailed_whatever_the_choice(
    customer, license_a, django_capture_on_commit_callbacks
):
    customer.mail_muted_kinds = [k for k, _ in Notification.Kind.choices]
    customer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_register(
            actor=customer,
            license_key=license_a.key,
            product_version="7.2",
            subject="Down",
            description="It is down",
            diagnostics="Rebooted",
            priority="low",
            contact_email=customer.email,
        )
    assert len(mail.outbox) == 1


def test_the_profile_shows_the_choices_in_russian(client, customer):
    customer.language = "ru"
    customer.save()
    client.force_login(customer)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Уведомления по почте" in page
    assert "Новый ответ" in page
    assert "Срок SLA" not in page  # engineers' kinds are not offered to customers


def test_an_unknown_kind_is_refused_and_nothing_changes(client, customer):
    client.force_login(customer)
    response = client.post(reverse("tickets:mail_preferences"), {"mailed": ["sla_warning"]})
    customer.refresh_from_db()
    assert customer.mail_muted_kinds == []
    assert "Choose among the kinds" in client.get(response.url).content.decode()


def test_the_preferences_form_is_a_post(client, customer):
    client.force_login(customer)
    assert client.get(reverse("tickets:mail_preferences")).status_code == 405


@pytest.mark.parametrize("persona", ["engineer"])
def test_engineers_may_mute_sla_alerts(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "SLA deadline approaching" in page
