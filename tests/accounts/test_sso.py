"""Single sign-on for the vendor's staff, against a real OpenID Connect provider
(tests/oidc_provider: django-oauth-toolkit in its own process). The portal is driven by the
test client, the provider's sign-in and consent pages by `requests`; the portal itself fetches
the provider's discovery document, keys, tokens and user info over HTTP.
(docs/architecture.md, "Single sign-on")"""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from accounts.models import SecurityEvent, User
from tests.accounts.support import LOGIN, sign_in, signed_in_as
from tests.factories import CustomerFactory, EngineerFactory
from tests.i18n.test_no_english_on_russian_pages import english_words
from tests.oidc_provider.idp_client import sign_in_and_consent
from tests.oidc_provider.running import configure_portal, running_provider

CALLBACK = "http://testserver/accounts/oidc/vendor/login/callback/"
START = "/accounts/oidc/vendor/login/?process=login"
BUTTON = "Sign in with Vendor SSO"


@pytest.fixture(scope="module")
def provider():
    with running_provider([CALLBACK]) as running:
        yield running


@pytest.fixture
def sso(provider, settings, monkeypatch):
    """The portal configured for the provider through its environment variables only."""
    return configure_portal(provider, settings, monkeypatch)


def sso_sign_in(client, provider, username: str, *, start: str = START, allow: bool = True):
    """Press the button, sign in and consent at the provider, come back; the last response."""
    started = client.post(start)
    assert started.status_code == 302, started.content
    assert started["Location"].startswith(f"{provider.issuer}/authorize/?")
    back = sign_in_and_consent(started["Location"], username, allow=allow)
    assert back.startswith(CALLBACK), back
    return client.get(back.removeprefix("http://testserver"))


def refusal(client, response) -> str:
    """A refused sign-in: back on the sign-in page, signed out, with its message."""
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert signed_in_as(client) is None
    return client.get(LOGIN).content.decode()


def last_failure() -> dict:
    return SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SIGN_IN_FAILED).latest("pk").detail


def test_a_vendor_engineer_new_to_the_portal_is_made_an_engineer(client, sso, db):
    response = sso_sign_in(client, sso, "ivan")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    ivan = User.objects.get(email="ivan.petrov@vendor.example")
    assert signed_in_as(client) == str(ivan.pk)
    assert (ivan.role, ivan.organization, ivan.is_staff) == (User.Role.ENGINEER, None, False)
    assert (ivan.first_name, ivan.last_name) == ("Ivan", "Petrov")
    assert not ivan.has_usable_password()
    account = SocialAccount.objects.get(user=ivan)
    assert account.provider == "vendor"
    assert SecurityEvent.objects.filter(user=ivan, kind=SecurityEvent.Kind.SIGNED_IN).exists()


def test_the_identity_provider_stands_for_the_second_factor(client, sso, db):
    sso_sign_in(client, sso, "ivan")
    # No authenticator app in the portal, yet the queue opens: the IdP vouched for this session.
    assert client.get("/work/queue/").status_code == 200


def test_a_password_session_of_the_same_engineer_still_must_set_up_a_second_factor(client, sso, db):
    EngineerFactory(email="eve@vendor.example", second_factor=False)
    sso_sign_in(client, sso, "eve")
    assert client.get("/work/queue/").status_code == 200
    client.post(reverse("account_logout"))

    assert sign_in(client, "eve@vendor.example").status_code == 302
    response = client.get("/work/queue/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


def test_an_engineer_with_an_authenticator_app_is_still_asked_for_its_code(client, sso, db):
    EngineerFactory(email="eve@vendor.example")
    response = sso_sign_in(client, sso, "eve")
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_as(client) is None


def test_a_second_sign_in_opens_the_same_account(client, sso, db):
    sso_sign_in(client, sso, "ivan")
    client.post(reverse("account_logout"))
    sso_sign_in(client, sso, "ivan")
    ivan = User.objects.get(email="ivan.petrov@vendor.example")
    assert signed_in_as(client) == str(ivan.pk)
    assert User.objects.filter(email__iendswith="@vendor.example").count() == 1
    assert SocialAccount.objects.filter(user=ivan).count() == 1


def test_an_existing_engineer_is_connected_not_duplicated(client, sso, db):
    eve = EngineerFactory(email="eve@vendor.example", second_factor=False)
    sso_sign_in(client, sso, "eve")
    assert signed_in_as(client) == str(eve.pk)
    assert User.objects.count() == 1
    assert SocialAccount.objects.get().user == eve
    eve.refresh_from_db()
    assert eve.has_usable_password()  # the password sign-in stays as it was


def test_an_address_outside_the_vendor_is_refused(client, sso, db):
    page = refusal(client, sso_sign_in(client, sso, "mallory"))
    assert "Single sign-on is for the vendor&#x27;s staff only" in page
    assert "mallory@elsewhere.example is not a vendor address" in page
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert last_failure() == {
        "method": "sso",
        "provider": "vendor",
        "email": "mallory@elsewhere.example",
        "reason": "not_vendor",
    }


def test_a_vendor_address_the_provider_did_not_confirm_is_refused(client, sso, db):
    page = refusal(client, sso_sign_in(client, sso, "unconfirmed"))
    assert "Vendor SSO did not confirm an e-mail address for you" in page
    assert not User.objects.exists()
    assert last_failure()["reason"] == "no_confirmed_email"


def test_a_customer_account_with_a_vendor_address_is_never_taken_over(client, sso, db):
    carl = CustomerFactory(email="carl@vendor.example")
    page = refusal(client, sso_sign_in(client, sso, "carl"))
    assert "carl@vendor.example is a customer account" in page
    assert not SocialAccount.objects.exists()
    carl.refresh_from_db()
    assert carl.role == User.Role.CUSTOMER
    assert last_failure()["reason"] == "customer"


def test_an_administrator_keeps_signing_in_with_password_and_second_factor(client, sso, admin_user):
    page = refusal(client, sso_sign_in(client, sso, "ada"))
    assert "administrators sign in with their password and second factor" in page
    assert not SocialAccount.objects.exists()


def test_a_deactivated_engineer_is_refused_even_when_connected_before(client, sso, db):
    eve = EngineerFactory(email="eve@vendor.example", second_factor=False)
    sso_sign_in(client, sso, "eve")
    client.post(reverse("account_logout"))
    eve.is_active = False
    eve.save(update_fields=["is_active"])

    page = refusal(client, sso_sign_in(client, sso, "eve"))
    assert "The account eve@vendor.example is deactivated." in page


def test_an_engineer_made_an_administrator_later_is_refused(client, sso, db):
    sso_sign_in(client, sso, "ivan")
    client.post(reverse("account_logout"))
    User.objects.filter(email="ivan.petrov@vendor.example").update(is_staff=True)
    page = refusal(client, sso_sign_in(client, sso, "ivan"))
    assert "is an administrator account" in page


def test_cancelling_at_the_provider_comes_back_with_a_message(client, sso, db):
    page = refusal(client, sso_sign_in(client, sso, "ivan", allow=False))
    assert "Signing in with Vendor SSO did not succeed" in page
    assert not User.objects.exists()


def test_connecting_an_identity_to_a_signed_in_account_is_not_offered(client, sso, customer):
    sign_in(client, customer.email)
    start = "/accounts/oidc/vendor/login/?process=connect"
    response = sso_sign_in(client, sso, "ivan", start=start)
    assert response["Location"] == LOGIN
    assert not SocialAccount.objects.exists()
    assert last_failure()["reason"] == "connect"


def test_the_sign_in_page_offers_the_provider_when_configured(client, sso, db):
    page = client.get(LOGIN).content.decode()
    assert BUTTON in page
    assert 'action="/accounts/oidc/vendor/login/?process=login"' in page


def test_opening_the_start_address_by_a_link_does_not_leave_the_portal(client, sso, db):
    """A GET only asks to continue: a page elsewhere cannot start a sign-in for someone."""
    response = client.get(START)
    assert response.status_code == 200
    assert sso.issuer not in response.content.decode()


def test_there_is_no_page_to_connect_identities_or_pick_another_email(client, sso, engineer):
    assert client.get("/accounts/3rdparty/signup/").status_code == 404
    sign_in(client, engineer.email)
    assert client.get("/accounts/3rdparty/").status_code == 404


def test_a_russian_browser_reads_the_refusal_and_the_button_in_russian(sso, db):
    russian = Client(headers={"accept-language": "ru"})
    assert "Войти через Vendor SSO" in russian.get(LOGIN).content.decode()
    page = refusal(russian, sso_sign_in(russian, sso, "mallory"))
    assert "Единый вход — только для сотрудников поставщика" in page


def test_the_sso_pages_of_allauth_have_no_english_for_a_russian_reader(sso, db):
    russian = Client(headers={"accept-language": "ru"})
    for url in (
        LOGIN,
        START,
        "/accounts/3rdparty/login/cancelled/",
        "/accounts/3rdparty/login/error/",
    ):
        response = russian.get(url)
        assert response.status_code in {200, 401}, url  # the error page says 401
        assert english_words(response.content.decode(), also_allowed={"Vendor", "SSO"}) == set(), (
            url
        )
