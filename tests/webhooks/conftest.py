"""The API test helpers serve these tests too."""

from tests.api.conftest import api_as  # noqa: F401  (a fixture)
