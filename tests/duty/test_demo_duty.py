"""The demo (`make run`) shows auto-assignment: a Critical Platinum ticket filed at night goes
to engineer@example.com, the 24×7 on-duty engineer, with an alert."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from tickets import services
from tickets.models import Notification


def test_the_demo_assigns_a_critical_platinum_ticket_at_night_to_the_on_duty_engineer(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    bob = User.objects.get(email="bob@beta.example")
    night = timezone.now().astimezone(datetime.UTC).replace(hour=20, minute=0)  # 23:00 MSK
    ticket = services.ticket_register(
        actor=bob,
        license_key="BETA-PLT-0001-2026",
        product_version="7.2",
        subject="Everything is down",
        description="No traffic passes.",
        diagnostics="Rebooted the cluster.",
        priority="critical",
        now=night,
    )
    assert ticket.assignee.email == "engineer@example.com"
    assert Notification.objects.filter(
        ticket=ticket, recipient=ticket.assignee, kind="on_duty_alert"
    ).exists()
