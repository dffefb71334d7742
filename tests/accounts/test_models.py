import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import License, User, normalize_license_key
from tests.factories import EngineerFactory, LicenseFactory, OrganizationAdminFactory


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("abc-123", "ABC-123"), ("  ABC 123\t", "ABC123"), ("abc\u00a0def", "ABCDEF")],
)
def test_it_normalizes_license_keys(typed, stored):
    assert normalize_license_key(typed) == stored


def test_it_stores_keys_normalized_and_unique(org_a):
    LicenseFactory(organization=org_a, key=" key-1 ")
    assert License.objects.filter(key="KEY-1").exists()
    with pytest.raises(IntegrityError):
        LicenseFactory(organization=org_a, key="Key-1")


def test_it_allows_a_hotline_only_with_extended_support(org_a):
    license_ = LicenseFactory.build(organization=org_a, tier_id="standard", hotline_phone="+7 1")
    with pytest.raises(ValidationError) as error:
        license_.full_clean()
    assert "hotline_phone" in error.value.message_dict
    license_.tier_id = "premium"
    license_.full_clean()


def test_it_knows_on_which_days_support_is_active(org_a):
    license_ = LicenseFactory(
        organization=org_a,
        support_starts_on=datetime.date(2026, 1, 1),
        support_ends_on=datetime.date(2026, 12, 31),
    )
    assert license_.is_active_on(datetime.date(2026, 12, 31))
    assert not license_.is_active_on(datetime.date(2027, 1, 1))
    assert list(License.objects.active_on(datetime.date(2025, 12, 31))) == []


def test_it_requires_customers_to_belong_to_an_organization(db):
    with pytest.raises(IntegrityError):
        User.objects.create_user("lost@example.com", "pw", role=User.Role.CUSTOMER)


def test_it_logs_in_by_email_whatever_the_case(client, customer):
    assert client.login(username="ALICE@Alpha.example", password="correct-horse-battery")


def test_it_treats_emails_case_insensitively_as_unique(customer):
    with pytest.raises(IntegrityError):
        User.objects.create(email="Alice@ALPHA.example", organization=customer.organization)


def test_only_a_customer_can_be_an_organization_admin(db):
    admin = OrganizationAdminFactory()
    assert admin.is_organization_admin
    assert admin.is_customer
    with pytest.raises(ValidationError) as error:
        EngineerFactory.build(is_organization_admin=True).full_clean()
    assert "Only a customer can be an organization admin." in str(error.value)
    with pytest.raises(IntegrityError):
        EngineerFactory(is_organization_admin=True, second_factor=False)
