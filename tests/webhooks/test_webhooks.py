"""Webhooks: who registers endpoints, what is sent (signed), retries with backoff after a
failure, each event id accepted once per endpoint, and a failing endpoint disabled with its
owner told. A real receiver (tests/webhooks/receiver.py); tasks run in this process here, and
with a real Celery worker in tests/integration/test_webhooks_worker.py."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.api.conftest import problem
from tests.webhooks.receiver import Receiver
from tickets import services
from tickets.models import Notification
from webhooks import delivery
from webhooks.models import WebhookDelivery, WebhookEndpoint

HOOKS = "/api/v1/webhooks/"
ALL = ["ticket.registered", "ticket.state_changed", "message.posted"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("customer", 403), ("outsider", 403), ("engineer", 201), ("admin_user", 201)],
)
def test_engineers_and_admins_register_endpoints(request, api_as, persona, status):
    api = api_as(request.getfixturevalue(persona))
    response = api.post(HOOKS, {"url": "https://crm.example/hook", "kinds": ALL})
    assert response.status_code == status, response.content
    if status == 201:
        assert len(response.json()["secret"]) >= 16
        assert "secret" not in api.get(HOOKS).json()[0]


def test_an_engineer_sees_their_own_endpoints_an_admin_all(api_as, engineer, engineer2, admin_user):
    mine = api_as(engineer).post(HOOKS, {"url": "https://a.example/h", "kinds": ALL}).json()
    api_as(engineer2).post(HOOKS, {"url": "https://b.example/h", "kinds": ALL})
    assert api_as(engineer2).get(f"{HOOKS}{mine['id']}/").status_code == 404
    assert len(api_as(admin_user).get(HOOKS).json()) == 2
    assert api_as(engineer2).delete(f"{HOOKS}{mine['id']}/").status_code == 404
    assert api_as(engineer).delete(f"{HOOKS}{mine['id']}/").status_code == 204


def test_a_bad_endpoint_is_refused_by_field(api_as, engineer):
    response = api_as(engineer).post(HOOKS, {"url": "https://x.example", "kinds": ["nonsense"]})
    assert set(problem(response)["errors"]) == {"kinds.0"}
    response = api_as(engineer).post(HOOKS, {"url": "ftp://x.example/", "kinds": ALL})
    assert problem(response)["errors"] == {
        "url": ["Enter the receiver's http:// or https:// address."]
    }


def register(api, url: str, kinds=ALL) -> dict:
    response = api.post(HOOKS, {"url": url, "kinds": kinds, "secret": "s" * 32})
    assert response.status_code == 201, response.content
    return response.json()


def test_events_are_signed_and_each_id_accepted_once(
    api_as, engineer, customer, license_a, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        register(api_as(engineer), receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            ticket = factories.TicketFactory(customer=customer, license=license_a)
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_take(actor=engineer, ticket=ticket)
        with django_capture_on_commit_callbacks(execute=True):
            services.message_post(actor=customer, ticket=ticket, body="Thanks")
        got = receiver.snapshot()
        assert [r.kind for r in got] == ALL, receiver.describe()
        assert all(r.signed_with("s" * 32) for r in got)
        assert not any(r.signed_with("t" * 32) for r in got)
        assert got[0].payload["data"]["ticket"]["number"] == ticket.number
        assert got[1].payload["data"]["to_state"] == "in_progress"
        assert got[2].payload["data"]["message"]["body"] == "Thanks"
        for received in got:
            assert received.payload["id"] == received.event_id
            delivery.deliver(WebhookDelivery.objects.get(event_id=received.event_id).pk)
        assert set(receiver.accepted().values()) == {1}
        assert WebhookDelivery.objects.filter(status="delivered", attempts=1).count() == 3


def test_only_the_kinds_chosen_are_sent(
    api_as, engineer, customer, license_a, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        register(api_as(engineer), receiver.url, kinds=["ticket.state_changed"])
        with django_capture_on_commit_callbacks(execute=True):
            ticket = factories.TicketFactory(customer=customer, license=license_a)
            services.ticket_take(actor=engineer, ticket=ticket)
        assert [r.kind for r in receiver.snapshot()] == ["ticket.state_changed"]


def test_a_failed_delivery_is_retried_after_its_backoff(
    settings, api_as, engineer, customer, license_a, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    with Receiver(answers=(500, 200)) as receiver:
        register(api_as(engineer), receiver.url, kinds=["ticket.registered"])
        with django_capture_on_commit_callbacks(execute=True):
            factories.TicketFactory(customer=customer, license=license_a)
        row = WebhookDelivery.objects.get()
        assert (row.status, row.attempts, row.response_code) == ("pending", 1, 500)
        assert row.next_attempt_at - row.created_at >= datetime.timedelta(seconds=29)
        assert delivery.deliver(row.pk) is None  # not due yet: nothing sent
        assert len(receiver.snapshot()) == 1
        later = timezone.now() + datetime.timedelta(seconds=31)
        assert delivery.due_deliveries(later) == [row.pk]
        delivery.deliver(row.pk, now=later)
        row.refresh_from_db()
        assert (row.status, row.attempts, row.response_code) == ("delivered", 2, 200)
        assert [r.answered for r in receiver.snapshot()] == [500, 200]
        assert receiver.accepted()[str(row.event_id)] == 1
        assert WebhookEndpoint.objects.get().consecutive_failures == 0


def test_a_failing_endpoint_is_disabled_and_its_owner_told(
    settings, api_as, engineer, customer, license_a, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER = 2
    with Receiver(answers=(503,)) as receiver:
        hook = register(api_as(engineer), receiver.url, kinds=["ticket.registered"])
        with django_capture_on_commit_callbacks(execute=True):
            factories.TicketFactory(customer=customer, license=license_a)
            factories.TicketFactory(customer=customer, license=license_a)
        endpoint = WebhookEndpoint.objects.get()
        assert not endpoint.is_active
        told = Notification.objects.get(recipient=engineer, kind="webhook_disabled")
        assert told.data == {"url": receiver.url, "failures": 2}
        with django_capture_on_commit_callbacks(execute=True):
            factories.TicketFactory(customer=customer, license=license_a)
        assert len(receiver.snapshot()) == 2  # nothing more is sent to it
        enabled = api_as(engineer).post(f"{HOOKS}{hook['id']}/enable/")
        assert enabled.json()["is_active"] is True
        log = api_as(engineer).get(f"{HOOKS}{hook['id']}/deliveries/").json()["results"]
        assert {row["response_code"] for row in log} == {503}


def test_the_owners_mail_about_a_disabled_endpoint_is_in_their_language(
    settings, engineer, customer, license_a, django_capture_on_commit_callbacks
):
    from tests.i18n.test_no_english_on_russian_pages import english_words
    from tickets.mail import render_email
    from webhooks.services import endpoint_register

    engineer.language = "ru"
    engineer.save(update_fields=["language"])
    settings.WEBHOOK_DISABLE_AFTER = 1
    with Receiver(answers=(500,)) as receiver:
        endpoint_register(actor=engineer, url=receiver.url, kinds=["ticket.registered"])
        with django_capture_on_commit_callbacks(execute=True):
            factories.TicketFactory(customer=customer, license=license_a, subject="Обрыв туннеля")
    told = Notification.objects.get(recipient=engineer, kind="webhook_disabled")
    email = render_email(told)
    assert "отключён" in email.body
    assert receiver.url in email.body
    assert english_words(email.body.replace(receiver.url, "")) == set()


def test_deadline_warnings_and_breaches_are_sent_by_the_sweep(
    api_as, engineer, customer, license_a, django_capture_on_commit_callbacks
):
    from tickets import jobs

    with Receiver() as receiver:
        register(api_as(engineer), receiver.url, kinds=["deadline.warning", "deadline.breached"])
        with django_capture_on_commit_callbacks(execute=True):
            ticket = factories.TicketFactory(customer=customer, license=license_a)
        ticket.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            jobs.watch_sla(now=ticket.reaction_warn_at)
        with django_capture_on_commit_callbacks(execute=True):
            jobs.watch_sla(now=ticket.reaction_due + datetime.timedelta(minutes=1))
        got = receiver.snapshot()
        assert [r.kind for r in got] == ["deadline.warning", "deadline.breached"]
        assert {r.payload["data"]["details"]["deadline"] for r in got} == {"reaction"}


def test_the_kept_subscriptions_follow_endpoints_and_their_owners_at_once(
    api_as, engineer, admin_user, customer, license_a
):
    def deliveries_of_a_new_ticket() -> set[int]:
        ticket = factories.TicketFactory(customer=customer, license=license_a)
        services.ticket_take(actor=engineer, ticket=ticket)
        return set(
            WebhookDelivery.objects.filter(event__ticket=ticket).values_list("endpoint", flat=True)
        )

    assert deliveries_of_a_new_ticket() == set()  # kept: no endpoint yet
    hook = register(api_as(admin_user), "https://hooks.example/admin", kinds=ALL)["id"]
    assert deliveries_of_a_new_ticket() == {hook}  # a new endpoint is seen at once

    admin_user.is_active = False  # the endpoint's owner leaves
    admin_user.save()
    assert deliveries_of_a_new_ticket() == set()

    admin_user.is_active = True
    admin_user.save()
    WebhookEndpoint.objects.get(pk=hook).delete()
    assert deliveries_of_a_new_ticket() == set()
