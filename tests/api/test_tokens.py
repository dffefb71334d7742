"""Personal API tokens: made and revoked on the profile page, shown once, stored hashed,
refused once expired or revoked or when their person may not sign in, rate-limited per token."""

import datetime
import hashlib
import re

import pytest
from django.utils import timezone

from api.models import ApiToken
from tests.api.conftest import ApiClient, problem


def make_on_profile(client, **fields):
    data = {"token-name": "CRM", "token-scope": "read", "token-lifetime_days": "30", **fields}
    return client.post("/api/tokens/", data)


def test_a_token_is_made_on_the_profile_shown_once_and_stored_hashed(client, customer, ticket):
    client.force_login(customer)
    page = make_on_profile(client).content.decode()
    raw = re.search(r'id="new-token-value">(hd_[\w-]+)<', page).group(1)
    token = ApiToken.objects.get(user=customer)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(list(ApiToken.objects.values()))
    assert token.scope == "read"
    assert token.expires_at - timezone.now() > datetime.timedelta(days=29)
    profile = client.get("/accounts/profile/").content.decode()
    assert "CRM" in profile
    assert raw not in profile
    response = ApiClient(raw).get("/api/v1/tickets/")
    assert response.json()["results"][0]["number"] == ticket.number


def test_a_token_needs_a_name(client, customer):
    client.force_login(customer)
    response = make_on_profile(client, **{"token-name": " "})
    assert response.status_code == 400
    assert "Name the token after what will use it." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_revoked_token_stops_working(client, api_as, customer):
    api = api_as(customer)
    token = ApiToken.objects.get(user=customer)
    client.force_login(customer)
    assert client.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    response = api.get("/api/v1/tickets/")
    assert response.status_code == 401
    assert problem(response)["detail"] == "This API token is not valid."


def test_nobody_revokes_anothers_token(client, api_as, customer, colleague):
    api = api_as(customer)
    client.force_login(colleague)
    client.post(f"/api/tokens/{ApiToken.objects.get().pk}/revoke/")
    assert api.get("/api/v1/tickets/").status_code == 200


def test_an_expired_token_is_refused_with_what_to_do(api_as, customer):
    api = api_as(customer)
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "expired" in problem(api.get("/api/v1/tickets/"))["detail"]


def test_a_token_of_a_deactivated_organization_is_refused(api_as, customer, org_a):
    api = api_as(customer)
    org_a.is_active = False
    org_a.save()
    assert api.get("/api/v1/tickets/").status_code == 401


def test_a_made_up_token_is_refused(ticket):
    response = ApiClient("hd_made-up").get("/api/v1/tickets/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("persona", ["customer", "engineer"])
def test_calls_are_limited_per_token(request, settings, api_as, persona):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    person = request.getfixturevalue(persona)
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/min"}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = rates
    try:
        first, second = api_as(person), api_as(person)
        codes = [first.get("/api/v1/organizations/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert second.get("/api/v1/organizations/").status_code == 200  # its own count
        refused = first.get("/api/v1/organizations/")
        assert int(refused["Retry-After"]) > 0
        assert problem(refused)["status"] == 429
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original


def test_answers_to_a_token_are_never_cached(api_as, customer, ticket):
    response = api_as(customer).get(f"/api/v1/tickets/{ticket.number}/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
