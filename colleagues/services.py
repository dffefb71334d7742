"""What an organization admin does to their organization's people (issue 15), and accepting an
invitation. Each write checks the actor first (403 for a non-admin, 404 for another
organization's person: colleagues.selectors), raises ValidationError keyed by field for bad
input, and saves all or nothing."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import License, Organization, User
from colleagues.errors import InvitationUnusable
from colleagues.models import Invitation
from colleagues.selectors import check_organization_admin, invitation_token
from tickets.models import Notification
from tickets.notifications import store_notifications


def _now(now: datetime.datetime | None) -> datetime.datetime:
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now


def _address_taken(email: str, organization: Organization) -> str | None:
    """Why `email` cannot be invited to `organization`, or None."""
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        return None
    if existing.organization_id == organization.pk:
        return _("%(email)s is already a member of your organization.") % {"email": email}
    return _(
        "%(email)s already has an account on the portal, in another organization: an address "
        "belongs to one organization only. Ask the vendor's support to move it."
    ) % {"email": email}


@transaction.atomic
def invitation_send(
    *, actor: User, email: str, language: str, now: datetime.datetime | None = None
) -> Invitation:
    """Invite `email` to the actor's organization: store the invitation and its mail (the
    outbox, sent after commit) in the invitee's language. The link expires after
    settings.INVITATION_VALID_DAYS and works once."""
    now = _now(now)
    check_organization_admin(actor)
    organization: Organization = actor.organization  # type: ignore[assignment]  # checked
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose the language of the invitation.")})
    taken = _address_taken(email, organization)
    if taken:
        raise ValidationError({"email": taken})
    open_ = Invitation.objects.select_for_update().filter(
        organization=organization,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )
    for old in open_:
        if old.expires_at > now:
            raise ValidationError(
                {
                    "email": _(
                        "%(email)s is already invited and the link still works. Revoke that "
                        "invitation below to send a new one."
                    )
                    % {"email": email}
                }
            )
        old.revoked_at = now  # an expired link makes room for the new one
        old.save(update_fields=["revoked_at"])
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organization=organization,
                email=email,
                language=language,
                invited_by=actor,
                created_at=now,
                expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
            )
    except IntegrityError as error:  # the same address invited at the same moment
        raise ValidationError(
            {"email": _("%(email)s is already invited.") % {"email": email}}
        ) from error
    _store_invitation_mail(invitation, actor=actor, now=now)
    return invitation


def _store_invitation_mail(invitation: Invitation, *, actor: User, now: datetime.datetime) -> None:
    url = settings.SITE_URL + reverse("colleagues:accept", args=[invitation_token(invitation)])
    zone = actor.time_zone or settings.BUSINESS_TIME_ZONE
    with translation.override(invitation.language), timezone.override(zone):
        expires = (
            formats.date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
            + f" ({zone})"
        )
    row = Notification(
        recipient=None,
        email=invitation.email,
        language=invitation.language,
        ticket=None,
        kind=Notification.Kind.INVITATION,
        data={
            "invitation": invitation.pk,
            "url": url,
            "organization": invitation.organization.name,
            "inviter": str(actor),
            "expires": expires,
        },
        created_at=now,
        email_status=Notification.EmailStatus.PENDING,
        email_next_attempt_at=now,
    )
    store_notifications([row])


@transaction.atomic
def invitation_revoke(
    *, actor: User, invitation: Invitation, now: datetime.datetime | None = None
) -> Invitation:
    now = _now(now)
    check_organization_admin(actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.organization_id != actor.organization_id:
        raise ValidationError(_("This invitation is not of your organization."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted: it cannot be revoked."))
    if invitation.revoked_at is None:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
    return invitation


def check_usable(invitation: Invitation, *, now: datetime.datetime) -> None:
    """Refuse a link that cannot be used any more, saying why."""
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            _("This invitation link was already used. Sign in with the password you set.")
        )
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            _("This invitation was withdrawn. Ask your organization admin for a new one.")
        )
    if invitation.expires_at <= now:
        raise InvitationUnusable(
            _("This invitation link has expired. Ask your organization admin for a new one.")
        )
    if not invitation.organization.is_active:
        raise InvitationUnusable(
            _("%(organization)s is deactivated on the portal.")
            % {"organization": invitation.organization}
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationUnusable(
            _("%(email)s already has an account on the portal. Sign in instead.")
            % {"email": invitation.email}
        )


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    first_name: str,
    last_name: str,
    password: str,
    time_zone: str,
    language: str,
    now: datetime.datetime | None = None,
) -> User:
    """Make the invitee's account in the invitation's organization and spend the link.

    The invitation row is locked, so a link used twice at once makes one account; bad input
    (a blank name, a weak password) saves nothing and leaves the link usable."""
    now = _now(now)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=invitation.pk)
    )
    check_usable(invitation, now=now)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors: dict[str, list[str]] = {}
    if not first_name:
        errors["first_name"] = [_("Enter your first name.")]
    if not last_name:
        errors["last_name"] = [_("Enter your last name.")]
    user = User(
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        role=User.Role.CUSTOMER,
        organization=invitation.organization,
        language=language,
        time_zone=time_zone,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password1"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def colleague_set_active(*, actor: User, colleague: User, active: bool) -> User:
    """Deactivate or reactivate a person of the actor's organization (not the actor).
    Deactivating ends their sessions (accounts.security.user_deactivated, on save)."""
    check_organization_admin(actor)
    colleague = User.objects.select_for_update().get(pk=colleague.pk)
    if colleague.organization_id != actor.organization_id:
        raise ValidationError(_("This person is not of your organization."))
    if colleague.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if colleague.is_active != active:
        colleague.is_active = active
        colleague.save(update_fields=["is_active"])
    return colleague


@transaction.atomic
def colleague_set_licenses(
    *, actor: User, colleague: User, restricted: bool, licenses: Iterable[License]
) -> User:
    """Let a person file for all of the organization's licenses, or for the chosen ones only
    (at least one; every one of the organization)."""
    check_organization_admin(actor)
    colleague = User.objects.select_for_update().get(pk=colleague.pk)
    if colleague.organization_id != actor.organization_id:
        raise ValidationError(_("This person is not of your organization."))
    chosen = list(licenses)
    if restricted:
        if not chosen:
            raise ValidationError(
                {"licenses": _("Choose at least one license, or let them file for all.")}
            )
        if any(license_.organization_id != actor.organization_id for license_ in chosen):
            raise ValidationError({"licenses": _("Choose licenses of your organization.")})
    colleague.license_restricted = restricted
    colleague.save(update_fields=["license_restricted"])
    colleague.filing_licenses.set(chosen if restricted else [])
    return colleague
