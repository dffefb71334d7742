"""The SLA report pages: who reads what (outsiders 404), the PDF and CSV, the monthly beat."""

import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from reports.build import sla_report_build
from reports.models import SlaReport
from reports.monthly import first_business_day, monthly_reports_run
from tests import factories
from tests.reports.conftest import BUILT, MSK, NOVEMBER, file_ticket
from tickets.mail import deliver_emails
from tickets.models import Notification

pytestmark = pytest.mark.django_db

DETAIL = "reports:detail"


@pytest.fixture(autouse=True)
def in_december():
    with time_machine.travel(BUILT, tick=False):
        yield


@pytest.fixture
def stored(november, org_a):
    return sla_report_build(organization=org_a, month=NOVEMBER, now=BUILT)


def url(name, org, month="2026-11"):
    return reverse(name, args=[org.pk, month])


def test_an_organization_admin_reads_their_report(client, org_admin, stored, org_a):
    client.force_login(org_admin)
    months = client.get(reverse("reports:months", args=[org_a.pk]))
    assert months.status_code == 200
    assert url(DETAIL, org_a) in months.content.decode()
    page = client.get(url(DETAIL, org_a)).content.decode()
    assert "Alpha Logistics" in page
    assert "66.7" in page
    assert "chart-flow" in page
    assert "chart-reaction" in page


@pytest.mark.parametrize("who", ["customer", "outsider"])
def test_others_get_404(client, request, who, stored, org_a):
    client.force_login(request.getfixturevalue(who))
    for name in (DETAIL, "reports:pdf", "reports:csv"):
        assert client.get(url(name, org_a)).status_code == 404
    assert client.get(reverse("reports:months", args=[org_a.pk])).status_code == 404
    assert client.get(reverse("reports:index")).status_code == 404


def test_an_admin_of_another_organization_gets_404(client, org_b, stored, org_a):
    client.force_login(factories.OrganizationAdminFactory(organization=org_b))
    assert client.get(url(DETAIL, org_a)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, stored, org_a):
    response = client.get(url(DETAIL, org_a))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_post_is_not_allowed(client, org_admin, stored, org_a):
    client.force_login(org_admin)
    assert client.post(url(DETAIL, org_a)).status_code == 405


def test_an_organization_admin_gets_404_for_a_month_without_report(client, org_admin, org_a):
    client.force_login(org_admin)
    assert client.get(url(DETAIL, org_a, "2026-10")).status_code == 404
    assert client.get(url(DETAIL, org_a, "2026-12")).status_code == 404  # not ended


def test_an_engineer_opens_any_month_built_on_demand(client, engineer, november, org_a):
    client.force_login(engineer)
    assert client.get(url(DETAIL, org_a)).status_code == 200
    assert SlaReport.objects.filter(organization=org_a, month=NOVEMBER).exists()
    search = client.get(reverse("reports:index"), {"q": "alpha"}).content.decode()
    assert reverse("reports:months", args=[org_a.pk]) in search
    picked = client.get(reverse("reports:months", args=[org_a.pk]), {"month": "2026-10"})
    assert picked["Location"] == url(DETAIL, org_a, "2026-10")
    bad = client.get(reverse("reports:months", args=[org_a.pk]), {"month": "2031-01"})
    assert bad.status_code == 400
    assert "Choose a month that has ended" in bad.content.decode()


def test_the_pdf_holds_the_figures(client, org_admin, stored, org_a, november):
    client.force_login(org_admin)
    response = client.get(url("reports:pdf", org_a))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Alpha Logistics" in text
    assert "66.7" in text  # High: reactions met
    assert november["never_taken"].number in text


def test_the_csv_holds_the_figures(client, org_admin, stored, org_a):
    client.force_login(org_admin)
    text = client.get(url("reports:csv", org_a)).content.decode("utf-8-sig")
    assert "Alpha Logistics" in text
    assert "High,2,1,0,66.7" in text


def test_the_report_page_reads_a_fixed_number_of_queries(client, org_admin, stored, org_a):
    client.force_login(org_admin)
    client.get(url(DETAIL, org_a))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(DETAIL, org_a)).status_code == 200
    assert len(queries) <= 6, [q["sql"] for q in queries]


def test_the_beat_builds_and_mails_last_months_reports_once_from_the_first_business_day(
    november, org_a, org_admin
):
    january = first_business_day(datetime.date(2027, 1, 1))
    assert january > datetime.date(2027, 1, 8)  # after the New Year holidays
    before = datetime.datetime(2027, 1, 8, 12, tzinfo=MSK)
    assert monthly_reports_run(now=before) == {"built": 0, "mailed": 0}
    day = datetime.datetime.combine(january, datetime.time(9, 30), tzinfo=MSK)
    first = monthly_reports_run(now=day)
    assert first["mailed"] == 1
    report = SlaReport.objects.get(organization=org_a)
    assert report.month == datetime.date(2026, 12, 1)
    assert monthly_reports_run(now=day) == {"built": 0, "mailed": 0}
    note = Notification.objects.get(kind=Notification.Kind.SLA_REPORT)
    assert note.recipient == org_admin
    assert note.ticket is None
    mail.outbox.clear()
    deliver_emails([note.pk], now=day)
    (message,) = mail.outbox
    assert f"/reports/{org_a.pk}/2026-12/" in message.body


def test_a_month_of_many_breaches_shows_the_first_and_the_csv_has_them_all(
    client, org_admin, november, org_a, customer, license_a
):
    for day in range(2, 26):  # 48 more breaches: 53 in all, 50 shown
        file_ticket(customer, license_a, day=day, priority="critical")
    report = sla_report_build(organization=org_a, month=NOVEMBER, now=BUILT)
    client.force_login(org_admin)
    page = client.get(url(DETAIL, org_a)).content.decode()
    assert "53 targets were missed in the month." in page
    assert "The 50 most overdue breaches are explained below." in page
    assert "3 more are in the CSV file" in page
    assert page.count('class="border-top py-2"') == 50
    text = client.get(url("reports:csv", org_a)).content.decode("utf-8-sig")
    numbers = [row["number"] for row in report.breaches]
    rows = [line for line in text.splitlines() if line.startswith(tuple(numbers))]
    assert len(rows) == 53
    assert rows[0].startswith(numbers[0])  # the most overdue first
