"""Who is calling: a personal token (`Authorization: Bearer hd_…`) or the browser's session.

A token acts as its person and nobody else, under the same rule of who may sign in
(`User.may_sign_in`: an inactive person, or a customer of a deactivated organization, is
refused), until it expires or is revoked. The session is DRF's, which enforces CSRF.
"""

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import TOKEN_PREFIX, ApiToken, token_digest

# last_used_at is written at most this often per token: a busy integration makes no write
# per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”.")
            )
        try:
            raw = header[1].decode()
        except UnicodeError:
            raw = ""
        if not raw.startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed(_("This API token is not valid."))
        return self._check(raw)

    def _check(self, raw: str):
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user", "user__organization")
            .filter(digest=token_digest(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This API token is not valid."))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                _("This API token expired; make a new one on your profile page.")
            )
        user = token.user
        if not user.may_sign_in:
            raise exceptions.AuthenticationFailed(_("This account may not use the portal."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        translation.activate(user.language)
        return user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _("A personal API token, made on your profile page: Authorization: Bearer hd_…")
            ),
        }
