"""Two-factor authentication: required of engineers and admins (and of the customers of an
organization that asks for it), optional for other customers, never removed by whoever must
keep it."""

from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.models import SecurityEvent
from tests.accounts.support import reauthenticate, sign_in, sign_in_fully
from tests.factories import EngineerFactory, totp_code

MFA_INDEX = reverse("mfa_index")
ACTIVATE = reverse("mfa_activate_totp")
DEACTIVATE = reverse("mfa_deactivate_totp")


def test_an_engineer_without_a_second_factor_is_sent_to_set_one_up(client, db):
    engineer = EngineerFactory(second_factor=False)
    client.force_login(engineer)
    for url in ("/work/queue/", "/tickets/", reverse("accounts:profile")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == MFA_INDEX
    page = client.get(MFA_INDEX)
    assert page.status_code == 200
    assert "must set up two-factor authentication" in page.content.decode()


def test_an_admin_without_one_cannot_open_django_admin(client, db):
    admin = EngineerFactory(second_factor=False, is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/tickets/ticket/")["Location"] == MFA_INDEX


def test_whoever_must_set_one_up_may_still_sign_out(client, db):
    engineer = EngineerFactory(second_factor=False)
    client.force_login(engineer)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_a_customer_may_go_without(client, customer):
    client.force_login(customer)
    assert client.get("/tickets/").status_code == 200


def test_an_organization_can_require_it_of_its_customers(client, customer, outsider):
    customer.organization.require_second_factor = True
    customer.organization.save()
    client.force_login(customer)
    response = client.get("/tickets/")
    assert response["Location"] == MFA_INDEX
    assert "Your organization requires" in client.get(MFA_INDEX).content.decode()
    client.force_login(outsider)  # another organization's customer is not asked
    assert client.get("/tickets/").status_code == 200


def test_setting_up_an_authenticator_app_lets_an_engineer_in(
    client, db, django_capture_on_commit_callbacks
):
    engineer = EngineerFactory(second_factor=False)
    sign_in(client, engineer.email)
    response = client.get(ACTIVATE)  # the password first, again
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()
    response = client.post(ACTIVATE, {"code": "123456"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        client.post(ACTIVATE, {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=engineer, type="totp").exists()
    assert client.get("/work/queue/").status_code == 200
    added = SecurityEvent.objects.filter(user=engineer, kind=SecurityEvent.Kind.SECOND_FACTOR_ADDED)
    assert {event.detail["method"] for event in added} == {"totp", "recovery_codes"}


def test_an_engineer_cannot_remove_their_only_second_factor(client, engineer):
    sign_in_fully(client, engineer)
    reauthenticate(client)
    response = client.post(DEACTIVATE)
    assert "must keep two-factor authentication" in response.content.decode()
    assert Authenticator.objects.filter(user=engineer, type="totp").exists()


def test_a_customer_may_remove_theirs(client, customer, django_capture_on_commit_callbacks):
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.factories import TOTP_SECRET

    TOTP.activate(customer, TOTP_SECRET)
    sign_in_fully(client, customer)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(DEACTIVATE)
    assert not Authenticator.objects.filter(user=customer).exists()
    assert SecurityEvent.objects.filter(
        user=customer, kind=SecurityEvent.Kind.SECOND_FACTOR_REMOVED
    ).exists()
