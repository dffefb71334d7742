"""Organizations, licenses, notifications and the SLA calculator through the API."""

import datetime
import json

import pytest
from django.core.management import call_command

from tests.api.conftest import problem


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("customer", {"Alpha Logistics"}),
        ("colleague", {"Alpha Logistics"}),
        ("outsider", {"Beta Bank"}),
        ("engineer", {"Alpha Logistics", "Beta Bank"}),
        ("admin_user", {"Alpha Logistics", "Beta Bank"}),
    ],
)
def test_organizations_and_licenses_are_the_callers_own_or_all_for_engineers(
    request, api_as, license_a, license_b, persona, sees
):
    api = api_as(request.getfixturevalue(persona))
    names = {o["name"] for o in api.get("/api/v1/organizations/").json()}
    assert names == sees
    keys = {lic["key"] for lic in api.get("/api/v1/licenses/").json()["results"]}
    assert keys == {lic.key for lic in (license_a, license_b) if lic.organization.name in sees}


def test_another_organization_is_404_to_a_customer(api_as, customer, org_b):
    response = api_as(customer).get(f"/api/v1/organizations/{org_b.pk}/")
    assert response.status_code == 404
    problem(response)


def test_notifications_are_listed_and_marked_read(api_as, customer, engineer, ticket):
    from tickets import services

    services.ticket_take(actor=engineer, ticket=ticket)
    api = api_as(customer)
    kinds = [n["kind"] for n in api.get("/api/v1/notifications/").json()["results"]]
    assert kinds == ["taken", "registered"]
    assert api.post("/api/v1/notifications/read/").status_code == 204
    rows = api.get("/api/v1/notifications/").json()["results"]
    assert all(row["read_at"] for row in rows)
    engineers = api_as(engineer).get("/api/v1/notifications/").json()["results"]
    assert [n["kind"] for n in engineers] == ["urgent_registered"]  # their own only


TIMELINE = [
    {"event": "registered", "at": "2026-03-06T17:30:00+03:00"},
    {"event": "take", "at": "2026-03-10T10:00:00+03:00"},
    {"event": "request_info", "at": "2026-03-10T12:00:00+03:00"},
    {"event": "provide_info", "at": "2026-03-12T09:00:00+03:00"},
    {"event": "resolve", "at": "2026-03-13T16:00:00+03:00"},
]


def test_the_sla_calculator_gives_what_sla_explain_timeline_gives(
    api_as, engineer, tmp_path, capsys
):
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps(TIMELINE))
    call_command("sla_explain", tier="standard", priority="high", timeline=str(path), json=True)
    expected = json.loads(capsys.readouterr().out)
    response = api_as(engineer).post(
        "/api/v1/sla/timeline/", {"tier": "standard", "priority": "high", "events": TIMELINE}
    )
    assert response.status_code == 200, response.content
    body = response.json()

    def instant(value):
        return datetime.datetime.fromisoformat(value) if value else None

    for key in ("reaction_due", "resolution_due", "confirmation_due", "auto_close_at"):
        assert instant(body[key]) == instant(expected[key]), key
    assert body["state"] == expected["state"]
    assert len(body["pauses"]) == len(expected["pauses"])
    assert body["explanation"]["resolution"]["text"]


def test_the_sla_calculator_names_the_event_it_cannot_apply(api_as, engineer):
    events = [TIMELINE[0], {"event": "resolve", "at": "2026-03-05T10:00:00+03:00"}]
    response = api_as(engineer).post(
        "/api/v1/sla/timeline/", {"tier": "standard", "priority": "high", "events": events}
    )
    assert response.status_code == 400
    assert problem(response)["errors"]["events"][0].startswith("Event 2 (resolve)")


def test_the_sla_calculator_is_for_engineers_and_admins(api_as, customer, admin_user):
    data = {"tier": "standard", "priority": "high", "events": TIMELINE}
    assert api_as(customer).post("/api/v1/sla/timeline/", data).status_code == 403
    assert api_as(admin_user).post("/api/v1/sla/timeline/", data).status_code == 200
