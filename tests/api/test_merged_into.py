"""The API names the ticket a duplicate was merged into (issue 18), read-only."""

from tests import factories
from tickets import services


def test_the_api_names_the_ticket_a_duplicate_was_merged_into(
    api_as, customer, colleague, engineer, license_a
):
    target = factories.TicketFactory(customer=customer, license=license_a)
    duplicate = factories.TicketFactory(customer=colleague, license=license_a)
    services.ticket_merge(actor=engineer, ticket=duplicate, into=target)
    api = api_as(colleague)
    merged = api.get(f"/api/v1/tickets/{duplicate.number}/").json()
    assert (merged["merged_into"], merged["close_reason"]) == (target.number, "duplicate")
    assert api.get(f"/api/v1/tickets/{target.number}/").json()["merged_into"] is None
