"""The API's test helpers: a token for a persona, and a client that sends it."""

import pytest
from django.test import Client

from api.services import api_token_create


class ApiClient:
    """django.test.Client with `Authorization: Bearer <token>` on every request."""

    def __init__(self, raw: str) -> None:
        # Errors before the person is known (a bad token) follow the request's language.
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
        self.raw = raw

    def get(self, path: str, params: dict | None = None, **extra):
        return self.client.get(path, params or {}, **extra)

    def post(self, path: str, data: dict | None = None, *, multipart: bool = False, **extra):
        if multipart:
            return self.client.post(path, data or {}, **extra)
        return self.client.post(path, data or {}, content_type="application/json", **extra)

    def delete(self, path: str, **extra):
        return self.client.delete(path, **extra)


@pytest.fixture
def api_as():
    """api_as(person, scope="read_write") -> an ApiClient with a fresh token of theirs."""

    def make(person, scope: str = "read_write") -> ApiClient:
        made = api_token_create(actor=person, name="tests", scope=scope, lifetime_days=30)
        return ApiClient(made.raw)

    return make


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response.content[:300]
    return response.json()
