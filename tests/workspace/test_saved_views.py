"""Saved personal queue views (issue 18): save, rename, delete, who may, what is refused, and
that the queue shows them as tabs without reading more than before."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.urls import reverse

from accounts.models import Organization
from tests.factories import OrganizationFactory, TicketFactory
from workspace import saved_views
from workspace.models import SavedQueueView

QUEUE = "workspace:queue"


@pytest.fixture
def signed_in(client, engineer):
    client.force_login(engineer)
    return client


def save(client, name, query="view=mine&priority=critical"):
    return client.post(reverse("workspace:saved_view_create"), {"name": name, "query": query})


# --- the query kept -----------------------------------------------------------------------


def test_it_keeps_the_filters_in_a_fixed_order_without_the_page_or_defaults(db):
    query = "page=3&q=+vpn+&per_page=50&priority=critical&view=mine&tier=&junk=1"
    assert saved_views.normalized_query(QueryDict(query)) == "view=mine&priority=critical&q=vpn"


def test_it_drops_a_filter_the_queue_would_not_apply(db):
    assert saved_views.normalized_query(QueryDict("view=nonsense&priority=bogus&state=open")) == (
        ""
    )
    assert saved_views.normalized_query(QueryDict("organization=999999")) == ""


# --- saving, renaming, deleting ---------------------------------------------------------


def test_an_engineer_saves_the_current_filters_as_a_view(signed_in, engineer):
    response = save(signed_in, "  My   critical ", "priority=critical&view=mine&page=2")
    assert response.status_code == 302
    view = SavedQueueView.objects.get(engineer=engineer)
    assert (view.name, view.query, view.position) == (
        "My critical",
        "view=mine&priority=critical",
        0,
    )
    assert response["Location"] == reverse(QUEUE) + "?view=mine&priority=critical"
    save(signed_in, "Second")
    assert list(SavedQueueView.objects.values_list("name", "position")) == [
        ("My critical", 0),
        ("Second", 1),
    ]


def test_a_name_is_given_once_per_engineer_case_aside(signed_in, engineer, engineer2):
    save(signed_in, "Urgent")
    response = save(signed_in, "URGENT", "view=breached")
    assert response.status_code == 400
    page = response.content.decode()
    assert "You already have a view named “URGENT”." in page
    assert 'value="URGENT"' in page  # what was typed is kept
    assert 'value="view=breached"' in page
    assert SavedQueueView.objects.count() == 1
    # Another engineer may use the same name.
    signed_in.force_login(engineer2)
    assert save(signed_in, "Urgent").status_code == 302
    assert SavedQueueView.objects.count() == 2


def test_it_refuses_an_empty_name_and_more_than_the_limit(signed_in, engineer, monkeypatch):
    response = save(signed_in, "   ")
    assert response.status_code == 400
    assert "Give the view a name." in response.content.decode()
    monkeypatch.setattr(saved_views, "MAX_VIEWS", 2)
    save(signed_in, "One")
    save(signed_in, "Two")
    response = save(signed_in, "Three")
    assert response.status_code == 400
    assert "You keep 2 views already: delete one first." in response.content.decode()
    assert SavedQueueView.objects.filter(engineer=engineer).count() == 2


def test_an_engineer_renames_and_deletes_their_own_view(signed_in, engineer):
    save(signed_in, "Old")
    save(signed_in, "Other")
    view = SavedQueueView.objects.get(name="Old")
    url = reverse("workspace:saved_view_rename", args=[view.pk])
    response = signed_in.post(url, {"name": "other"})
    assert response.status_code == 400
    assert "You already have a view named “other”." in response.content.decode()
    assert signed_in.post(url, {"name": "New"}).status_code == 302
    view.refresh_from_db()
    assert view.name == "New"
    delete = reverse("workspace:saved_view_delete", args=[view.pk])
    assert signed_in.get(delete).status_code == 405
    assert signed_in.post(delete).status_code == 302
    assert not SavedQueueView.objects.filter(pk=view.pk).exists()


def test_another_engineers_view_is_missing(client, engineer, engineer2):
    client.force_login(engineer2)
    save(client, "Frank's")
    view = SavedQueueView.objects.get()
    client.force_login(engineer)
    rename = reverse("workspace:saved_view_rename", args=[view.pk])
    assert client.post(rename, {"name": "Mine now"}).status_code == 404
    assert client.post(reverse("workspace:saved_view_delete", args=[view.pk])).status_code == 404
    view.refresh_from_db()
    assert view.name == "Frank's"


@pytest.mark.parametrize("persona", ["customer", "outsider"])
def test_customers_keep_no_views(request, client, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("workspace:saved_views")).status_code == 403
    assert save(client, "Mine").status_code == 403
    assert not SavedQueueView.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client):
    response = save(client, "Mine")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_service_refuses_a_customer(customer):
    with pytest.raises(PermissionDenied, match="Only support engineers"):
        saved_views.saved_view_create(actor=customer, name="x", query="")


# --- on the queue -------------------------------------------------------------------------


def test_the_queue_shows_the_views_as_tabs_and_marks_the_one_shown(signed_in):
    save(signed_in, "Critical of mine", "view=mine&priority=critical")
    page = signed_in.get(reverse(QUEUE), {"priority": "critical", "view": "mine"}).content.decode()
    assert 'href="?view=mine&amp;priority=critical"' in page
    assert "saved-view active" in page
    assert 'aria-current="page">Critical of mine</a>' in page
    other = signed_in.get(reverse(QUEUE), {"view": "mine"}).content.decode()
    assert "Critical of mine" in other
    assert "saved-view active" not in other


def test_a_view_whose_organization_is_gone_shows_the_rest_and_says_why(signed_in, ticket):
    org = OrganizationFactory(name="Gone Ltd")
    save(signed_in, "Gone", f"organization={org.pk}&view=open")
    Organization.objects.filter(pk=org.pk).delete()
    response = signed_in.get(reverse(QUEUE) + "?" + SavedQueueView.objects.get().query)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"There is no organization number {org.pk}." in page
    assert ticket.number in page  # the filter that no longer applies is simply not applied


def test_saved_views_cost_the_queue_no_query(
    signed_in, engineer, customer, license_a, django_assert_num_queries
):
    TicketFactory(customer=customer, license=license_a)
    for n in range(3):
        save(signed_in, f"View {n}", f"view=open&q=word{n}")
    signed_in.get(reverse(QUEUE))  # the reference data and the saved views, read once
    with django_assert_num_queries(4):  # as tests/workspace/test_queue_views.py PAGE_QUERIES
        page = signed_in.get(reverse(QUEUE)).content.decode()
    assert "View 2" in page
    # A change is seen at once (the cached list is forgotten).
    save(signed_in, "View 3")
    assert "View 3" in signed_in.get(reverse(QUEUE)).content.decode()
