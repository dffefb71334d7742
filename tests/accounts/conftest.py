import pytest
from django.test import Client

from tests.accounts.support import USER_AGENT


@pytest.fixture
def client():
    """A browser that asks for English (signed-out pages follow the browser's language)."""
    return Client(headers={"accept-language": "en", "user-agent": USER_AGENT})
