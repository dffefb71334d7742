"""Who may sign in, and whose open session still counts: the one authentication backend."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, OuterRef

from accounts.models import User
from helpdesk.compiled import CompiledRead, Slot

# Methods that are a second factor on their own (recovery codes only back them up).
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


def _second_factors() -> Any:
    return Authenticator.objects.filter(type__in=SECOND_FACTORS)


def has_second_factor(user: User) -> bool:
    return _second_factors().filter(user_id=user.pk).exists()


class PortalAuthenticationBackend(AuthenticationBackend):
    """allauth's e-mail and password backend, refusing whoever `User.may_sign_in` refuses.

    Django asks `get_user` on every request with a session, so a customer whose organization
    is deactivated is signed out at their next click, not only refused at the next sign-in.
    The user comes with their organization and with `has_second_factor`, in one query, for
    accounts.middleware.RequireTwoFactorMiddleware."""

    def user_can_authenticate(self, user: Any) -> bool:
        return isinstance(user, User) and user.may_sign_in

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        found = _SIGNED_IN_PERSON.rows(pk=int(user_id))
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None


# The person of a session with their organization and `has_second_factor`, compiled once per
# process (helpdesk/compiled.py): every request with a session asks get_user, and building
# and compiling the statement cost more than PostgreSQL's answer. No ORDER BY: pk is unique.
_SIGNED_IN_PERSON = CompiledRead(
    lambda pk: (
        User.objects.select_related("organization")
        .annotate(has_second_factor=Exists(_second_factors().filter(user=OuterRef("pk"))))
        .filter(pk=pk)
        .order_by()[:1]
    ),
    pk=Slot("number"),
)
