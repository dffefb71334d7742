"""Signing in: e-mail and password through allauth, rate limits per account and per address,
Django admin through the same door, no public sign-up (docs/architecture.md, "Sign-in")."""

import re

import pytest
from django.urls import reverse

from accounts.models import SecurityEvent, User
from tests.accounts.support import LOGIN, sign_in, signed_in_as
from tests.factories import totp_code

LOCKED = "Too many failed sign-in attempts"
WRONG = "The email address and/or password you specified are not correct."


def test_it_signs_a_customer_in_with_email_and_password(client, customer):
    response = sign_in(client, "ALICE@alpha.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == str(customer.pk)


def test_an_unknown_email_and_a_wrong_password_get_the_same_page(client, customer):
    pages = []
    for email, password in (("alice@alpha.example", "wrong"), ("nobody@alpha.example", "wrong")):
        response = sign_in(client, email, password)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [WRONG]
        html = response.content.decode().replace(email, "EMAIL")
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html))
    assert pages[0] == pages[1]


def test_it_locks_an_account_after_five_failures_even_for_the_right_password(client, customer):
    for _ in range(5):
        assert WRONG in sign_in(client, customer.email, "wrong").content.decode()
    response = sign_in(client, customer.email)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert signed_in_as(client) is None
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKED_OUT).get()
    assert event.user == customer
    assert event.ip == "127.0.0.1"


def test_four_failures_still_let_the_right_password_in(client, customer):
    for _ in range(4):
        sign_in(client, customer.email, "wrong")
    assert sign_in(client, customer.email).status_code == 302
    assert signed_in_as(client) == str(customer.pk)


def test_the_lockout_reads_the_same_for_an_unknown_email(client, db):
    for _ in range(5):
        sign_in(client, "nobody@alpha.example", "wrong")
    response = sign_in(client, "nobody@alpha.example", "wrong")
    assert LOCKED in response.content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOCKED_OUT)
    assert event.user is None
    assert event.detail == {"email": "nobody@alpha.example"}


def test_a_lockout_of_one_account_leaves_the_others_alone(client, customer, colleague):
    for _ in range(6):
        sign_in(client, customer.email, "wrong")
    assert sign_in(client, colleague.email).status_code == 302


def test_one_address_gets_twenty_failures_a_minute_over_all_emails(client, customer):
    for n in range(20):
        assert WRONG in sign_in(client, f"guess{n}@alpha.example", "wrong").content.decode()
    response = sign_in(client, customer.email)
    assert LOCKED in response.content.decode()
    assert signed_in_as(client) is None


def test_another_address_is_not_limited_by_the_first(client, customer):
    for n in range(20):
        sign_in(client, f"guess{n}@alpha.example", "wrong")
    assert sign_in(client, customer.email, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_staff_give_a_code_after_the_password(client, admin_user):
    response = client.post(f"{LOGIN}?next=/admin/", {"login": admin_user.email, "password": ""})
    assert response.status_code == 200  # a missing password is a form error, nothing more
    response = sign_in(client, admin_user.email, data={"next": "/admin/"})
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_as(client) is None
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response["Location"] == "/admin/"
    assert signed_in_as(client) == str(admin_user.pk)
    assert client.get("/admin/").status_code == 200


def test_wrong_codes_lock_the_second_step_too(client, engineer):
    sign_in(client, engineer.email)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert LOCKED in response.content.decode()
    assert signed_in_as(client) is None
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED, user=engineer
        ).count()
        == 5
    )


def test_django_admin_signs_in_through_the_portal(client, db):
    response = client.get("/admin/tickets/ticket/")
    assert response["Location"] == "/admin/login/?next=/admin/tickets/ticket/"
    response = client.get(response["Location"])
    assert response["Location"] == f"{LOGIN}?next=%2Fadmin%2Ftickets%2Fticket%2F"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_the_admin_door_sends_nobody_off_site(client, admin_user, target):
    response = client.get(reverse("admin:login"), {"next": target})
    assert response["Location"].startswith(f"{LOGIN}?next=%2Fadmin%2Flogin%2F")
    client.force_login(admin_user)
    response = client.get(reverse("admin:login"), {"next": target})
    assert response["Location"] == reverse("admin:index")


def test_the_admin_door_refuses_a_signed_in_customer(client, customer):
    client.force_login(customer)
    assert client.get(reverse("admin:login"), {"next": "/admin/"}).status_code == 403


def test_the_admin_door_lets_signed_in_staff_through(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:login"), {"next": "/admin/tickets/"})
    assert response["Location"] == reverse("admin:index")


def test_there_is_no_public_sign_up(client, db):
    response = client.post(
        reverse("account_signup"), {"email": "new@alpha.example", "password1": "x8!kLq#2pQ"}
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="new@alpha.example").exists()
    assert 'name="password1"' not in response.content.decode()


def test_the_email_is_not_changed_from_the_portal(client, customer):
    client.force_login(customer)
    assert client.get("/accounts/email/").status_code == 404


def test_the_old_url_names_still_lead_to_sign_in_and_out():
    assert reverse("login") == reverse("account_login") == "/accounts/login/"
    assert reverse("logout") == reverse("account_logout")


def test_signing_out_is_a_post(client, customer):
    client.force_login(customer)
    client.get(reverse("account_logout"))
    assert signed_in_as(client) == str(customer.pk)
    client.post(reverse("account_logout"))
    assert signed_in_as(client) is None
