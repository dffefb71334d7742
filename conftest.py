"""Fixed personas that prove who may see and do what (docs/regulation.md, visibility).

customer and colleague belong to organization A, outsider to organization B; engineer works the
queue; admin is staff. Tests run on PostgreSQL (see Makefile: make test).
"""

import os

import pytest
import redis
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from knowledge.models import ChecklistItem, ProductArea
from sla import defaults
from sla.models import Calendar, Priority, Target, Tier, WorkingHours
from tests import factories

# Property tests: the full run in CI and `make test`; a quick one while working
# (HYPOTHESIS_PROFILE=dev make test), which cuts the calendar properties from ~26 s to a few.
hypothesis_settings.register_profile("ci", max_examples=120)
hypothesis_settings.register_profile("dev", max_examples=10)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the tables, data migrations included: put the defaults back."""
    defaults.install(Tier, Priority)
    defaults.install_sla(Calendar, WorkingHours, Target)


@pytest.fixture
def org_a(db):
    return factories.OrganizationFactory(name="Alpha Logistics")


@pytest.fixture
def org_b(db):
    return factories.OrganizationFactory(name="Beta Bank")


@pytest.fixture
def customer(org_a):
    return factories.CustomerFactory(
        email="alice@alpha.example", first_name="Alice", organization=org_a
    )


@pytest.fixture
def colleague(org_a):
    return factories.CustomerFactory(
        email="carol@alpha.example", first_name="Carol", organization=org_a
    )


@pytest.fixture
def outsider(org_b):
    return factories.CustomerFactory(email="bob@beta.example", first_name="Bob", organization=org_b)


@pytest.fixture
def engineer(db):
    return factories.EngineerFactory(email="eve@vendor.example", first_name="Eve")


@pytest.fixture
def engineer2(db):
    return factories.EngineerFactory(email="frank@vendor.example", first_name="Frank")


@pytest.fixture
def admin_user(db):
    return factories.EngineerFactory(
        email="ada@vendor.example", first_name="Ada", is_staff=True, is_superuser=True
    )


@pytest.fixture
def license_a(org_a):
    return factories.LicenseFactory(organization=org_a, key="ALPHA-0001")


@pytest.fixture
def license_b(org_b):
    return factories.LicenseFactory(organization=org_b, key="BETA-0001", tier_id="platinum")


@pytest.fixture
def ticket(customer, license_a):
    """A ticket of organization A, freshly registered by `customer`."""
    return factories.TicketFactory(customer=customer, license=license_a)


@pytest.fixture(autouse=True)
def _english():
    """Tests read messages in English; the ones about Russian switch explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Sign-in rate limits and used one-time codes live in the cache (Redis): every test starts
    with none. Only the portal's own keys go; the Celery broker may share the database."""
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    keys = list(client.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)
    client.close()


# Product areas with their diagnostics checklists (issue 17).
@pytest.fixture
def vpn(db):
    area = ProductArea.objects.create(code="vpn", name="VPN", name_ru="VPN-туннели", rank=1)
    ChecklistItem.objects.create(
        area=area, text="Collected the diagnostic bundle", text_ru="Собран диагностический пакет"
    )
    ChecklistItem.objects.create(
        area=area, text="Restarted the service", text_ru="Служба перезапущена", rank=1
    )
    return area


@pytest.fixture
def licensing(db):
    area = ProductArea.objects.create(code="lic", name="Licensing", name_ru="Лицензирование")
    ChecklistItem.objects.create(
        area=area, text="Checked the license status", text_ru="Проверен статус лицензии"
    )
    return area
