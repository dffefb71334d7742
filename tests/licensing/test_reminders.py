"""Support periods ending soon: organization admins and the account manager are told 30 and 7
days before, each reminder once (licensing.reminders)."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from licensing.models import SupportReminder
from licensing.reminders import support_reminders_send
from tests import factories
from tickets.mail import deliver_emails
from tickets.models import Notification

MSK = datetime.timezone(datetime.timedelta(hours=3))
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=MSK)
TODAY = NOW.date()


@pytest.fixture
def people(org_a, engineer):
    org_a.account_manager = engineer
    org_a.save(update_fields=["account_manager"])
    admin = factories.OrganizationAdminFactory(
        email="olga@alpha.example", organization=org_a, language="ru"
    )
    factories.CustomerFactory(email="plain@alpha.example", organization=org_a)
    return admin, engineer


def ending_in(days, org, key):
    return factories.LicenseFactory(
        organization=org, key=key, support_ends_on=TODAY + datetime.timedelta(days=days)
    )


@pytest.mark.django_db
def test_it_reminds_30_and_7_days_before_and_only_once(people, org_a):
    admin, manager = people
    ending_in(30, org_a, "L-30")
    ending_in(7, org_a, "L-7")
    ending_in(31, org_a, "L-31")
    assert support_reminders_send(now=NOW) == {"support_ending_30": 1, "support_ending_7": 1}
    sent = Notification.objects.filter(kind=Notification.Kind.SUPPORT_ENDING)
    assert sorted(n.recipient.email for n in sent) == sorted(
        [admin.email, admin.email, manager.email, manager.email]
    )
    # A second run, the same day or the next, sends nothing more.
    assert support_reminders_send(now=NOW) == {"support_ending_30": 0, "support_ending_7": 0}
    assert sent.count() == 4
    # The next day L-31 is 30 days from its end: its turn, and only its.
    later = NOW + datetime.timedelta(days=1)
    assert support_reminders_send(now=later) == {"support_ending_30": 1, "support_ending_7": 0}
    assert support_reminders_send(now=later) == {"support_ending_30": 0, "support_ending_7": 0}
    # 23 days later the 30-day one is due at 7 days.
    assert support_reminders_send(now=NOW + datetime.timedelta(days=23))["support_ending_7"] == 1
    assert SupportReminder.objects.filter(license__key="L-30").count() == 2


@pytest.mark.django_db
def test_a_late_run_catches_up_but_never_sends_both_stages_at_once(people, org_a):
    ending_in(5, org_a, "L-5")
    assert support_reminders_send(now=NOW) == {"support_ending_30": 0, "support_ending_7": 1}


@pytest.mark.django_db
def test_the_mail_names_the_licenses_in_the_recipients_language(people, org_a):
    admin, _manager = people
    ending_in(7, org_a, "L-7")
    support_reminders_send(now=NOW)
    note = Notification.objects.get(recipient=admin)
    mail.outbox.clear()
    deliver_emails([note.pk], now=NOW)
    (message,) = mail.outbox
    assert message.to == [admin.email]
    assert "Alpha Logistics" in message.subject
    assert "L-7" in message.body
    assert "7 дней" in message.body  # Olga reads Russian
    assert settings.SITE_URL in message.body


@pytest.mark.django_db
def test_inactive_organizations_are_not_reminded(people, org_a):
    ending_in(7, org_a, "L-7")
    org_a.is_active = False
    org_a.save(update_fields=["is_active"])
    assert support_reminders_send(now=NOW)["support_ending_7"] == 0


def test_the_beat_schedule_runs_the_reminders_and_the_monthly_reports():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"licensing.beat.support_reminders", "reports.beat.monthly_reports"} <= tasks
    assert {"licensing.beat", "reports.beat"} <= set(settings.CELERY_IMPORTS)
