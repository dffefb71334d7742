"""Organization admins invite, deactivate and restrict their colleagues (issue 15, part 1)."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User
from colleagues import services
from colleagues.errors import InvitationUnusable
from colleagues.models import Invitation
from tests import factories
from tickets.models import Notification

PASSWORD = "a long enough passphrase 42"


def invite(actor, email="dan@alpha.example", language="en", **kwargs):
    return services.invitation_send(actor=actor, email=email, language=language, **kwargs)


def accept(invitation, **kwargs):
    values = {
        "first_name": "Dan",
        "last_name": "Newman",
        "password": PASSWORD,
        "time_zone": "Asia/Novosibirsk",
        "language": "ru",
    }
    return services.invitation_accept(invitation=invitation, **{**values, **kwargs})


def test_it_mails_a_signed_link_that_makes_an_account_once(
    org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(org_admin, email=" Dan@Alpha.example ")
    assert invitation.email == "dan@alpha.example"
    notification = Notification.objects.get(kind=Notification.Kind.INVITATION)
    assert notification.ticket is None
    assert notification.recipient is None
    assert notification.email_status == Notification.EmailStatus.SENT
    [sent] = mail.outbox
    assert sent.to == ["dan@alpha.example"]
    assert "Alpha Logistics" in sent.subject
    assert "Olga Admin invites you" in sent.body
    assert "/colleagues/join/" in sent.body
    user = accept(invitation)
    assert user.organization == org_admin.organization
    assert user.is_customer
    assert not user.is_organization_admin
    assert user.check_password(PASSWORD)
    assert (user.time_zone, user.language) == ("Asia/Novosibirsk", "ru")
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    with pytest.raises(InvitationUnusable, match="already used"):
        accept(invitation)
    assert User.objects.filter(email="dan@alpha.example").count() == 1


def test_it_writes_the_invitation_in_the_language_chosen(
    org_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(org_admin, language="ru")
    assert "Приглашение" in mail.outbox[0].subject
    assert "приглашает вас" in mail.outbox[0].body


def test_it_refuses_an_address_of_another_organization(org_admin, outsider):
    with pytest.raises(ValidationError) as refused:
        invite(org_admin, email="BOB@beta.example")
    assert "already has an account on the portal, in another organization" in str(
        refused.value.message_dict["email"]
    )
    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_it_refuses_a_member_and_a_second_open_invitation(org_admin, colleague):
    with pytest.raises(ValidationError, match="already a member of your organization"):
        invite(org_admin, email=colleague.email)
    invite(org_admin)
    with pytest.raises(ValidationError, match="already invited"):
        invite(org_admin)
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_makes_room_for_a_new_one(org_admin):
    old = invite(org_admin, now=timezone.now() - datetime.timedelta(days=8))
    new = invite(org_admin)
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert new.pk != old.pk


def test_it_refuses_an_expired_link_and_a_revoked_one(org_admin):
    invitation = invite(org_admin, now=timezone.now() - datetime.timedelta(days=7, seconds=1))
    with pytest.raises(InvitationUnusable, match="expired"):
        accept(invitation)
    fresh = invite(org_admin, email="erin@alpha.example")
    services.invitation_revoke(actor=org_admin, invitation=fresh)
    with pytest.raises(InvitationUnusable, match="withdrawn"):
        accept(fresh)
    assert not User.objects.filter(email__in=["dan@alpha.example", "erin@alpha.example"]).exists()


def test_it_keeps_the_link_usable_after_bad_input(org_admin):
    invitation = invite(org_admin)
    with pytest.raises(ValidationError) as refused:
        accept(invitation, first_name=" ", password="123")
    assert set(refused.value.message_dict) == {"first_name", "password1"}
    assert not User.objects.filter(email=invitation.email).exists()
    assert accept(invitation).first_name == "Dan"


def test_only_an_organization_admin_invites(customer, engineer):
    for person in (customer, engineer):
        with pytest.raises(PermissionDenied):
            invite(person)
    assert not Invitation.objects.exists()


def test_deactivating_a_colleague_ends_their_sessions(org_admin, colleague):
    UserSession.objects.create(user=colleague, ip="127.0.0.1", session_key="s1", user_agent="x")
    services.colleague_set_active(actor=org_admin, colleague=colleague, active=False)
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert not UserSession.objects.filter(user=colleague).exists()
    services.colleague_set_active(actor=org_admin, colleague=colleague, active=True)
    colleague.refresh_from_db()
    assert colleague.is_active


def test_an_admin_cannot_deactivate_themselves_nor_an_outsider(org_admin, outsider):
    with pytest.raises(ValidationError, match="yourself"):
        services.colleague_set_active(actor=org_admin, colleague=org_admin, active=False)
    with pytest.raises(ValidationError, match="not of your organization"):
        services.colleague_set_active(actor=org_admin, colleague=outsider, active=False)
    outsider.refresh_from_db()
    assert outsider.is_active


def test_it_restricts_a_colleague_to_chosen_licenses(org_admin, colleague, license_a, license_b):
    second = factories.LicenseFactory(organization=org_admin.organization, key="ALPHA-0002")
    assert colleague.may_file_for(license_a)
    assert colleague.may_file_for(second)
    services.colleague_set_licenses(
        actor=org_admin, colleague=colleague, restricted=True, licenses=[second]
    )
    colleague.refresh_from_db()
    assert not colleague.may_file_for(license_a)
    assert colleague.may_file_for(second)
    with pytest.raises(ValidationError, match="at least one"):
        services.colleague_set_licenses(
            actor=org_admin, colleague=colleague, restricted=True, licenses=[]
        )
    with pytest.raises(ValidationError, match="licenses of your organization"):
        services.colleague_set_licenses(
            actor=org_admin, colleague=colleague, restricted=True, licenses=[license_b]
        )
    colleague.refresh_from_db()
    assert list(colleague.filing_licenses.all()) == [second]  # nothing half-saved
    services.colleague_set_licenses(
        actor=org_admin, colleague=colleague, restricted=False, licenses=[]
    )
    colleague.refresh_from_db()
    assert colleague.may_file_for(license_a)
    assert not colleague.filing_licenses.exists()
