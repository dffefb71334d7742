"""The license import engine (licensing.importer): created, updated, unchanged, refused."""

import datetime

import pytest

from accounts.models import License, Organization
from licensing.importer import Status, import_licenses
from licensing.models import TierChange
from tests import factories
from tests.licensing.conftest import HEADERS, row, table


def statuses(report):
    return [r.status for r in report.rows]


def messages(report):
    return [message for r in report.rows for _column, message in r.errors]


@pytest.mark.django_db
def test_it_creates_organizations_and_licenses_with_normalized_keys():
    report = import_licenses(
        table(row(key=" gam 0001 "), row(key="gam-0002", tier="Premium")), dry_run=False
    )
    assert statuses(report) == [Status.CREATED, Status.CREATED]
    org = Organization.objects.get(name="Gamma Systems")
    assert sorted(org.licenses.values_list("key", "tier_id")) == [
        ("GAM-0002", "premium"),
        ("GAM0001", "standard"),
    ]
    assert report.organizations_created == 1


@pytest.mark.django_db
def test_it_is_idempotent_by_normalized_key():
    data = table(row(key="gam-0001"), row(key="gam-0002"))
    import_licenses(data, dry_run=False)
    again = import_licenses(table(row(key="GAM-0001 "), row(key="gam-0002")), dry_run=False)
    assert statuses(again) == [Status.UNCHANGED, Status.UNCHANGED]
    assert License.objects.count() == 2
    assert Organization.objects.filter(name="Gamma Systems").count() == 1


@pytest.mark.django_db
def test_it_updates_a_known_key_and_records_the_tier_change():
    import_licenses(table(row(key="gam-0001")), dry_run=False)
    report = import_licenses(
        table(row(key="gam-0001", tier="platinum", end="2028-01-01")), dry_run=False
    )
    (outcome,) = report.rows
    assert outcome.status == Status.UPDATED
    assert outcome.changes == {
        "tier": ("standard", "platinum"),
        "support_ends_on": (datetime.date(2027, 1, 1), datetime.date(2028, 1, 1)),
    }
    license = License.objects.get(key="GAM-0001")
    assert (license.tier_id, license.support_ends_on) == ("platinum", datetime.date(2028, 1, 1))
    change = TierChange.objects.get()
    assert (change.from_tier_id, change.to_tier_id, change.source) == (
        "standard",
        "platinum",
        "import",
    )


@pytest.mark.django_db
def test_a_dry_run_reports_and_writes_nothing():
    report = import_licenses(table(row()), dry_run=True)
    assert statuses(report) == [Status.CREATED]
    assert not License.objects.exists()
    assert not Organization.objects.filter(name="Gamma Systems").exists()


@pytest.mark.django_db
def test_it_refuses_a_file_with_missing_columns_as_a_whole():
    report = import_licenses(
        table(("Gamma", "K1", "NGFW"), headers=["organization", "key", "product"]), dry_run=False
    )
    assert report.rows == []
    (message,) = report.file_errors
    assert "tier, support_starts_on, support_ends_on" in message
    assert not License.objects.exists()


@pytest.mark.django_db
def test_it_refuses_every_row_of_a_key_that_appears_twice():
    report = import_licenses(
        table(row(key="gam-1"), row(key="gam-2"), row(key=" GAM -1")), dry_run=False
    )
    assert statuses(report) == [Status.REFUSED, Status.CREATED, Status.REFUSED]
    assert "GAM-1 appears more than once in the file (rows 2, 4)" in messages(report)[0]
    assert list(License.objects.values_list("key", flat=True)) == ["GAM-2"]


@pytest.mark.django_db
def test_it_refuses_an_unknown_tier_naming_the_known_ones():
    report = import_licenses(table(row(tier="gold")), dry_run=False)
    assert statuses(report) == [Status.REFUSED]
    assert report.rows[0].errors == [
        ("tier", "Unknown support tier “gold”: use one of platinum, premium, standard.")
    ]
    assert not Organization.objects.filter(name="Gamma Systems").exists()


@pytest.mark.django_db
def test_it_refuses_a_key_of_another_organization_and_keeps_it_there(license_a):
    report = import_licenses(table(row(org="Gamma Systems", key="alpha-0001")), dry_run=False)
    assert statuses(report) == [Status.REFUSED]
    assert messages(report) == [
        "The key ALPHA-0001 belongs to another organization (Alpha Logistics); a license is "
        "not moved by an import."
    ]
    license_a.refresh_from_db()
    assert license_a.organization.name == "Alpha Logistics"
    # Nothing half-imported: the refused row's new organization was not created either.
    assert not Organization.objects.filter(name="Gamma Systems").exists()


@pytest.mark.django_db
def test_it_refuses_support_ending_before_it_starts():
    report = import_licenses(table(row(start="2026-05-01", end="30.04.2026")), dry_run=False)
    assert report.rows[0].errors == [
        ("support_ends_on", "Support cannot end (2026-04-30) before it starts (2026-05-01).")
    ]
    assert not License.objects.exists()


@pytest.mark.django_db
def test_it_refuses_empty_cells_bad_dates_and_a_hotline_without_extended_support():
    headers = [*HEADERS, "hotline_phone"]
    report = import_licenses(
        table(
            ("", "K-1", "NGFW", "standard", "2026-01-01", "2027-01-01", ""),
            ("Gamma", "K-2", "NGFW", "standard", "next year", "2027-01-01", ""),
            ("Gamma", "K-3", "NGFW", "standard", "2026-01-01", "2027-01-01", "+7 800"),
            ("Gamma", "K-4", "NGFW", "premium", "2026-01-01", "2027-01-01", "+7 800"),
            headers=headers,
        ),
        dry_run=False,
    )
    assert statuses(report) == [Status.REFUSED, Status.REFUSED, Status.REFUSED, Status.CREATED]
    assert report.rows[0].errors == [("organization", "This cell is empty; it is required.")]
    assert report.rows[1].errors == [
        (
            "support_starts_on",
            "“next year” is not a date: write it as 2026-12-31 or 31.12.2026.",
        )
    ]
    assert report.rows[2].errors == [
        ("hotline_phone", "A hotline number is given with Extended support only.")
    ]
    assert License.objects.get().hotline_phone == "+7 800"


@pytest.mark.django_db
def test_it_matches_an_organization_by_name_whatever_the_case():
    org = factories.OrganizationFactory(name="Gamma Systems")
    import_licenses(table(row(org="GAMMA systems")), dry_run=False)
    assert License.objects.get().organization == org
