"""Django admin: every model's list, search and change page works; the state is read-only."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tickets import services
from tickets.models import Ticket


@pytest.fixture
def busy_ticket(ticket, engineer, customer):
    services.ticket_take(actor=engineer, ticket=ticket)
    services.message_post(actor=engineer, ticket=ticket, body="Looking.")
    services.priority_change_propose(
        actor=customer, ticket=ticket, to_priority="critical", reason="Everything is down."
    )
    return ticket


def test_it_lists_searches_and_opens_every_registered_model(client, admin_user, busy_ticket):
    client.force_login(admin_user)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        if model_admin.search_fields:
            assert client.get(changelist, {"q": "SUP"}).status_code == 200, changelist
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def test_it_never_lets_an_admin_edit_the_state_or_the_priority(client, admin_user, busy_ticket):
    client.force_login(admin_user)
    url = reverse("admin:tickets_ticket_change", args=[busy_ticket.pk])
    page = client.get(url).content.decode()
    assert 'name="state"' not in page
    assert 'name="priority"' not in page
    client.post(url, {"state": "closed", "priority": "low", "handling_method": "remote"})
    fresh = Ticket.objects.get(pk=busy_ticket.pk)
    assert (fresh.state, fresh.priority_id) == ("in_progress", "high")


def test_it_keeps_the_audit_log_read_only(client, admin_user, busy_ticket):
    client.force_login(admin_user)
    event = busy_ticket.events.first()
    assert client.get(reverse("admin:tickets_ticketevent_add")).status_code == 403
    delete = reverse("admin:tickets_ticketevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert busy_ticket.events.filter(pk=event.pk).exists()


def test_it_names_audit_rows_and_targets_in_the_admins_language(client, admin_user, busy_ticket):
    event = busy_ticket.events.get(kind="registered")
    assert str(event) == f"{busy_ticket.number}: Registered"
    admin_user.language = "ru"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    ticket_page = client.get(
        reverse("admin:tickets_ticket_change", args=[busy_ticket.pk])
    ).content.decode()
    targets = client.get(reverse("admin:sla_target_changelist")).content.decode()
    assert "статус до" in ticket_page.lower()
    assert "было" not in ticket_page.lower()
    assert "4 ч" in targets  # Standard Critical reaction
    assert "4 h" not in targets
