"""The demo's "Sent mail" page: mails written to var/mail/, decoded, for staff who may read them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import EngineerFactory, TicketFactory
from tickets.mail import deliver_emails
from tickets.models import Notification

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


@pytest.fixture
def outbox(settings, tmp_path):
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = tmp_path
    return tmp_path


@pytest.fixture
def sent(outbox, customer, license_a):
    """A Russian customer's ticket, registered and its mails sent through the real delivery."""
    customer.language = "ru"
    customer.save(update_fields=["language"])
    ticket = TicketFactory(customer=customer, license=license_a, subject="Туннель VPN падает")
    ids = list(Notification.objects.filter(ticket=ticket).values_list("pk", flat=True))
    assert deliver_emails(ids) == {"sent": len(ids)}
    return ticket


def test_it_lists_each_sent_mail_with_its_subject_decoded(client, admin_user, sent, customer):
    client.force_login(admin_user)
    page = client.get(reverse("sent_mail")).content.decode()
    assert f"[{sent.number}]" in page
    assert "Туннель VPN падает" in page  # not "=?utf-8?b?…"
    assert "=?utf-8?" not in page
    assert customer.email in page


def test_it_shows_a_mails_text_and_html_decoded(client, admin_user, sent, customer):
    client.force_login(admin_user)
    listing = client.get(reverse("sent_mail")).context["page"].object_list
    mail = next(m for m in listing if customer.email in m.recipients)
    page = client.get(reverse("sent_mail_detail", args=[mail.key])).content.decode()
    assert "Туннель VPN падает" in mail.text
    assert sent.number in mail.html
    assert "Текстовая версия" in page or "Text version" in page
    # The mail's HTML is shown in a sandboxed frame from its own address: it never runs here.
    html_url = reverse("sent_mail_html", args=[mail.key])
    assert f'<iframe sandbox src="{html_url}"' in page
    assert "style=" not in page  # the page itself has no inline style (CSP)
    framed = client.get(html_url)
    assert framed.content.decode() == mail.html
    assert framed["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "frame-ancestors 'self'; sandbox"
    )
    assert framed["X-Frame-Options"] == "SAMEORIGIN"


def test_it_shows_a_mails_html_only_to_staff_who_may_read_mail(client, admin_user, sent, customer):
    client.force_login(admin_user)
    key = client.get(reverse("sent_mail")).context["page"].object_list[0].key
    url = reverse("sent_mail_html", args=[key])
    reader = EngineerFactory(is_staff=True)
    client.force_login(reader)
    assert client.get(url).status_code == 403
    reader.user_permissions.add(Permission.objects.get(codename="view_notification"))
    assert client.get(url).status_code == 200
    client.force_login(customer)
    assert client.get(url).status_code == 302  # to the admin's sign-in


def test_it_says_so_when_no_mail_was_sent(client, admin_user, outbox):
    client.force_login(admin_user)
    response = client.get(reverse("sent_mail"))
    assert response.status_code == 200
    assert "No mail has been sent yet." in response.content.decode()


def test_it_explains_that_smtp_mail_is_not_kept(client, admin_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    client.force_login(admin_user)
    page = client.get(reverse("sent_mail")).content.decode()
    assert "sent mails are not kept here" in page


def test_it_answers_an_unknown_mail_with_404(client, admin_user, sent):
    client.force_login(admin_user)
    response = client.get(reverse("sent_mail") + "..%2F..%2Fsettings.py/")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["customer", "engineer"])
def test_it_sends_people_who_are_not_staff_to_the_admin_login(client, sent, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("sent_mail"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_it_refuses_staff_who_may_not_read_notifications(client, sent):
    staff = EngineerFactory(email="clerk@vendor.example", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("sent_mail")).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_notification"))
    assert client.get(reverse("sent_mail")).status_code == 200


def test_it_links_the_sent_mail_from_the_admin_index(client, admin_user):
    client.force_login(admin_user)
    assert reverse("sent_mail") in client.get(reverse("admin:index")).content.decode()


def test_it_refuses_a_post(client, admin_user, outbox):
    client.force_login(admin_user)
    assert client.post(reverse("sent_mail")).status_code == 405


def test_the_demo_keeps_its_mail_in_var_mail_and_production_uses_email_url():
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.EMAIL_BACKEND, getattr(settings, 'EMAIL_FILE_PATH', None))"
    )
    root = Path(__file__).resolve().parents[2]

    def probe(**env: str) -> str:
        clean = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
        clean.update(DJANGO_SETTINGS_MODULE="helpdesk.settings", SECRET_KEY="probe", **env)
        run = subprocess.run(  # noqa: S603 - fixed interpreter and code
            [sys.executable, "-c", code], cwd=root, env=clean, capture_output=True, text=True
        )
        return run.stdout.strip().splitlines()[-1]

    assert probe() == f"{FILE_BACKEND} {root / 'var' / 'mail'}"
    assert probe(EMAIL_URL="smtp://mail.example:25").startswith(
        "django.core.mail.backends.smtp.EmailBackend"
    )
