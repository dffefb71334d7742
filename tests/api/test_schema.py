"""The API against its own OpenAPI schema, over HTTP on a live server (schemathesis): for every
operation, generated requests as an engineer with a read-and-write token never get a 5xx, and
every answer (status, content type, body) is what the schema declares.

Kept short for `make test`: a few examples per operation (MAX_EXAMPLES), on a database with a
ticket of each organization, so that paths naming them reach the views' real work too.
"""

import json

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

MAX_EXAMPLES = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def served_schema() -> dict:
    """What /api/v1/schema/ serves (test_the_served_schema_is_the_one_tested checks it): built
    at collection, so that each operation is a test of its own."""
    generator = SchemaGenerator(patterns=None)
    return json.loads(json.dumps(generator.get_schema(request=None, public=True), default=str))


@pytest.fixture
def engineer_token(engineer, customer, outsider, license_a, license_b):
    factories.TicketFactory(customer=customer, license=license_a)
    factories.TicketFactory(customer=outsider, license=license_b)
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**original, "token": "100000/min"}
    yield api_token_create(actor=engineer, name="schemathesis", scope="read_write", lifetime_days=1)
    SimpleRateThrottle.THROTTLE_RATES = original


schema = schemathesis.openapi.from_dict(served_schema())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_api_keeps_its_schema(case, live_server, engineer_token):
    case.call_and_validate(
        base_url=live_server.url,
        headers={"Authorization": f"Bearer {engineer_token.raw}"},
        checks=CHECKS,
    )


def test_the_served_schema_is_the_one_tested(client):
    served = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT="application/json")
    assert served.status_code == 200
    assert json.loads(served.content) == served_schema()
