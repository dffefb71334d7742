"""The colleagues pages and the invitation link, as people reach them (issue 15, part 1)."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from colleagues import services
from colleagues.models import Invitation
from colleagues.selectors import invitation_token
from tests import factories

PASSWORD = "a long enough passphrase 42"


def link_of(invitation):
    return reverse("colleagues:accept", args=[invitation_token(invitation)])


@pytest.fixture
def invitation(org_admin):
    return services.invitation_send(actor=org_admin, email="dan@alpha.example", language="en")


def signup(client, invitation, **overrides):
    data = {
        "first_name": "Dan",
        "last_name": "Newman",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "en",
        "time_zone": "Europe/Moscow",
        **overrides,
    }
    return client.post(link_of(invitation), data)


def test_the_list_shows_people_phones_and_licenses_in_a_fixed_number_of_queries(
    client, org_admin, colleague, license_a, django_assert_max_num_queries
):
    colleague.phone = "+7 495 123-45-67"
    colleague.save()
    services.colleague_set_licenses(
        actor=org_admin, colleague=colleague, restricted=True, licenses=[license_a]
    )
    client.force_login(org_admin)
    url = reverse("colleagues:list")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(15):
        person = factories.CustomerFactory(
            organization=org_admin.organization, email=f"p{i}@alpha.example"
        )
        person.filing_licenses.add(license_a)
        services.invitation_send(actor=org_admin, email=f"new{i}@alpha.example", language="en")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "+7 495 123-45-67" in page
    assert "ALPHA-0001" in page
    assert "all licenses" in page
    assert page.count('class="colleague ') == 17
    assert "new14@alpha.example" in page


@pytest.mark.parametrize("name", ["colleagues:list", "colleagues:licenses", "colleagues:active"])
def test_a_customer_who_is_not_an_admin_gets_403_and_a_stranger_the_login(
    client, customer, colleague, name
):
    url = reverse(name, args=[colleague.pk] if name.endswith(("licenses", "active")) else [])
    method = client.get if name.endswith(("list", "licenses")) else client.post
    assert method(url).status_code == 302
    client.force_login(customer)
    assert method(url).status_code == 403
    assert client.post(reverse("colleagues:list"), {"email": "x@alpha.example"}).status_code == 403
    assert not Invitation.objects.exists()


def test_another_organizations_person_and_invitation_are_missing(
    client, org_admin, outsider, org_b
):
    other_admin = factories.OrganizationAdminFactory(organization=org_b, email="x@beta.example")
    foreign = services.invitation_send(actor=other_admin, email="y@beta.example", language="en")
    client.force_login(org_admin)
    assert client.get(reverse("colleagues:licenses", args=[outsider.pk])).status_code == 404
    assert client.post(reverse("colleagues:active", args=[outsider.pk])).status_code == 404
    revoke = reverse("colleagues:invitation_revoke", args=[foreign.pk])
    assert client.post(revoke).status_code == 404
    outsider.refresh_from_db()
    foreign.refresh_from_db()
    assert outsider.is_active
    assert foreign.revoked_at is None


def test_state_changes_are_posts(client, org_admin, colleague, invitation):
    client.force_login(org_admin)
    assert client.put(reverse("colleagues:list")).status_code == 405
    assert client.get(reverse("colleagues:active", args=[colleague.pk])).status_code == 405
    revoke = reverse("colleagues:invitation_revoke", args=[invitation.pk])
    assert client.get(revoke).status_code == 405


def test_a_refused_invitation_keeps_the_address_and_says_why(client, org_admin, outsider):
    client.force_login(org_admin)
    response = client.post(reverse("colleagues:list"), {"email": outsider.email, "language": "en"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "in another organization" in page
    assert f'value="{outsider.email}"' in page
    assert not Invitation.objects.exists()


def test_the_admin_deactivates_and_revokes_from_the_page(client, org_admin, colleague, invitation):
    client.force_login(org_admin)
    client.post(reverse("colleagues:active", args=[colleague.pk]), {"active": "0"})
    colleague.refresh_from_db()
    assert not colleague.is_active
    response = client.post(reverse("colleagues:active", args=[org_admin.pk]), {"active": "0"})
    assert "You cannot deactivate yourself." in client.get(response.url).content.decode()
    client.post(reverse("colleagues:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_the_licenses_page_refuses_an_empty_choice_and_keeps_it(client, org_admin, colleague):
    client.force_login(org_admin)
    url = reverse("colleagues:licenses", args=[colleague.pk])
    response = client.post(url, {"restricted": "1"})
    assert response.status_code == 400
    assert "Choose at least one license" in response.content.decode()
    colleague.refresh_from_db()
    assert not colleague.license_restricted


def test_the_invitee_signs_up_and_is_signed_in(client, invitation):
    page = client.get(link_of(invitation))
    assert page.status_code == 200
    assert "dan@alpha.example" in page.content.decode()
    assert 'data-zone-search="' in page.content.decode()
    response = signup(client, invitation)
    assert response.status_code == 302
    user = User.objects.get(email="dan@alpha.example")
    assert client.get(reverse("tickets:list")).wsgi_request.user == user


def test_an_organization_requiring_two_factor_takes_the_invitee_to_set_it_up(
    client, org_admin, invitation
):
    org_admin.organization.require_second_factor = True
    org_admin.organization.save()
    signup(client, invitation)
    response = client.get(reverse("tickets:list"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")


def test_bad_input_on_the_sign_up_keeps_what_was_typed(client, invitation):
    response = signup(client, invitation, password2="something else", first_name="Daniel")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The two passwords differ" in page
    assert 'value="Daniel"' in page
    assert not User.objects.filter(email="dan@alpha.example").exists()


def test_a_used_an_expired_and_a_forged_link(client, org_admin, invitation):
    signup(client, invitation)
    client.logout()
    reused = client.get(link_of(invitation))
    assert reused.status_code == 410
    assert "already used" in reused.content.decode()
    old = services.invitation_send(
        actor=org_admin,
        email="old@alpha.example",
        language="en",
        now=timezone.now() - datetime.timedelta(days=30),
    )
    expired = signup(client, old)
    assert expired.status_code == 410
    assert "has expired" in expired.content.decode()
    assert not User.objects.filter(email="old@alpha.example").exists()
    token = invitation_token(invitation)
    forged = re.sub(r":[^:]+$", ":forged", token)
    assert client.get(reverse("colleagues:accept", args=[forged])).status_code == 404


def test_the_invitation_mail_link_opens_the_sign_up(
    client, org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(actor=org_admin, email="dan@alpha.example", language="en")
    link = re.search(r"http://\S+/colleagues/join/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200


def test_a_stranger_reads_the_sign_up_in_russian_by_default(invitation):
    from django.test import Client

    page = Client().get(link_of(invitation)).content.decode()
    assert "Присоединяйтесь к Alpha Logistics" in page
    assert "Найти часовой пояс" in page


def test_admins_read_invitations_and_their_mails_in_django_admin(client, admin_user, invitation):
    client.force_login(admin_user)
    page = client.get(reverse("admin:colleagues_invitation_changelist")).content.decode()
    assert "dan@alpha.example" in page
    mails = client.get(reverse("admin:tickets_notification_changelist"))
    assert mails.status_code == 200
    assert "dan@alpha.example" in mails.content.decode()
