"""The security audit: sign-ins and failures, sign-outs, password changes, ended sessions;
shown to the person on their profile and to admins, read-only."""

from django.test import Client
from django.urls import reverse

from accounts.models import SecurityEvent
from tests.accounts.support import USER_AGENT, reauthenticate, sign_in, sign_in_fully
from tests.factories import PASSWORD

Kind = SecurityEvent.Kind


def kinds(user):
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


def test_a_sign_in_is_recorded_with_the_address_and_browser(client, customer):
    sign_in(client, customer.email)
    event = SecurityEvent.objects.get(kind=Kind.SIGNED_IN)
    assert (event.user, event.ip, event.user_agent) == (customer, "127.0.0.1", USER_AGENT)


def test_a_wrong_password_is_recorded_against_the_account_it_named(client, customer):
    sign_in(client, customer.email, "wrong")
    sign_in(client, "nobody@alpha.example", "wrong")
    failures = SecurityEvent.objects.filter(kind=Kind.SIGN_IN_FAILED).order_by("pk")
    assert [(e.user, e.detail["email"]) for e in failures] == [
        (customer, customer.email),
        (None, "nobody@alpha.example"),
    ]


def test_signing_out_and_changing_the_password_are_recorded(client, customer):
    sign_in(client, customer.email)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "n3w-Secret-phrase",
            "password2": "n3w-Secret-phrase",
        },
    )
    assert response.status_code == 302
    client.post(reverse("account_logout"))
    assert kinds(customer) == [Kind.SIGNED_OUT, Kind.PASSWORD_CHANGED, Kind.SIGNED_IN]
    assert SecurityEvent.objects.get(kind=Kind.PASSWORD_CHANGED).detail == {"how": "change"}


def test_ending_the_other_sessions_is_recorded_and_they_end(client, engineer):
    other = Client(headers={"accept-language": "en", "user-agent": "Other/2.0"})
    sign_in_fully(other, engineer)
    sign_in_fully(client, engineer, step=1)  # the code of the first is used up
    page = client.get(reverse("usersessions_list")).content.decode()
    assert "Other/2.0" in page
    assert USER_AGENT in page
    client.post(reverse("usersessions_list"))
    assert other.get("/work/queue/").status_code == 302
    assert client.get("/work/queue/").status_code == 200
    ended = SecurityEvent.objects.get(kind=Kind.SESSION_ENDED)
    assert ended.user == engineer
    assert ended.detail["session_browser"] == "Other/2.0"


def test_the_profile_lists_the_latest_ten_of_ones_own_events(client, customer, colleague):
    for _ in range(12):
        SecurityEvent.objects.create(user=customer, kind=Kind.SIGN_IN_FAILED, ip="192.0.2.1")
    SecurityEvent.objects.create(user=colleague, kind=Kind.SIGNED_IN, ip="198.51.100.9")
    client.force_login(customer)  # itself a sign-in, the latest event
    page = client.get(reverse("accounts:profile")).content.decode()
    assert page.count('class="security-event') == 10
    assert page.count("Sign-in failed") == 9
    assert "Signed in" in page
    assert "198.51.100.9" not in page


def test_admins_read_the_audit_but_cannot_change_it(client, admin_user, customer):
    event = SecurityEvent.objects.create(user=customer, kind=Kind.SIGNED_IN, ip="192.0.2.1")
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_securityevent_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    change = reverse("admin:accounts_securityevent_change", args=[event.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"kind": "signed_out"}).status_code == 403
    delete = reverse("admin:accounts_securityevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.kind == Kind.SIGNED_IN


def test_reauthenticating_is_not_a_new_sign_in(client, customer):
    sign_in(client, customer.email)
    reauthenticate(client)
    assert kinds(customer) == [Kind.SIGNED_IN]
