import pytest

from tests import factories


@pytest.fixture
def org_admin(org_a):
    return factories.OrganizationAdminFactory(
        email="olga@alpha.example", first_name="Olga", last_name="Admin", organization=org_a
    )


@pytest.fixture
def client():
    """A browser that asks for English (a stranger on the invitation link gets the browser's
    language; Russian when it asks for none)."""
    from django.test import Client

    return Client(headers={"Accept-Language": "en"})
