"""Who may still sign in: a deactivated person's sessions end for good, and an inactive
organization's customers are refused at sign-in and lose the sessions they had."""

from django.test import Client
from django.urls import reverse

from accounts.models import SecurityEvent
from tests.accounts.support import USER_AGENT, sign_in, signed_in_as

SUSPENDED = "Your organization&#x27;s access to the portal is suspended"


def signed_in_client(user) -> Client:
    client = Client(headers={"accept-language": "en", "user-agent": USER_AGENT})
    sign_in(client, user.email)
    assert signed_in_as(client) == str(user.pk)
    assert client.get("/tickets/").status_code == 200
    return client


def test_reactivating_a_person_does_not_revive_the_session_they_held(customer):
    held = signed_in_client(customer)
    customer.is_active = False
    customer.save()
    assert held.get("/tickets/").status_code == 302
    customer.is_active = True
    customer.save()
    response = held.get("/tickets/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.DEACTIVATED)
    assert event.user == customer
    assert event.detail == {"sessions_ended": 1}


def test_every_session_of_the_person_ends_and_nobody_elses(customer, colleague):
    first, second = signed_in_client(customer), signed_in_client(customer)
    other = signed_in_client(colleague)
    customer.is_active = False
    customer.save(update_fields=["is_active"])
    customer.is_active = True
    customer.save(update_fields=["is_active"])
    assert first.get("/tickets/").status_code == 302
    assert second.get("/tickets/").status_code == 302
    assert other.get("/tickets/").status_code == 200


def test_saving_an_active_person_ends_nothing(customer):
    held = signed_in_client(customer)
    customer.first_name = "Alicia"
    customer.save()
    assert held.get("/tickets/").status_code == 200
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DEACTIVATED).exists()


def test_an_inactive_organizations_customer_cannot_sign_in(client, customer):
    customer.organization.is_active = False
    customer.organization.save()
    response = sign_in(client, customer.email)
    assert response["Location"] == reverse("account_login")
    assert signed_in_as(client) is None
    assert SUSPENDED in client.get(response["Location"]).content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SIGN_IN_FAILED)
    assert (event.user, event.detail) == (customer, {"reason": "organization_inactive"})


def test_a_wrong_password_tells_them_nothing_about_the_organization(client, customer):
    customer.organization.is_active = False
    customer.organization.save()
    page = sign_in(client, customer.email, "wrong").content.decode()
    assert "not correct" in page
    assert SUSPENDED not in page


def test_an_open_session_ends_when_the_organization_is_deactivated(customer, outsider):
    held, other = signed_in_client(customer), signed_in_client(outsider)
    organization = customer.organization
    organization.is_active = False
    organization.save()
    assert held.get("/tickets/").status_code == 302
    organization.is_active = True
    organization.save()
    assert held.get("/tickets/").status_code == 302  # ended, not only suspended
    assert other.get("/tickets/").status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SESSION_ENDED)
    assert event.user == customer
    assert event.detail == {"sessions_ended": 1, "reason": "organization_deactivated"}


def test_a_session_opened_before_is_refused_even_if_never_recorded(client, customer):
    """Sessions made outside the sign-in form (force_login) are cut off by the backend while
    the organization is inactive."""
    client.force_login(customer)
    type(customer.organization).objects.filter(pk=customer.organization_id).update(is_active=False)
    assert client.get("/tickets/").status_code == 302


def test_an_inactive_person_gets_the_inactive_page(client, customer):
    customer.is_active = False
    customer.save()
    response = sign_in(client, customer.email)
    assert response["Location"] == reverse("account_inactive")
    assert "This account is inactive." in client.get(response["Location"]).content.decode()
