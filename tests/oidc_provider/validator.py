from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.people import PEOPLE


class ClaimsValidator(OAuth2Validator):
    """The standard e-mail and profile claims, each given for its scope (oidc_claim_scope)."""

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": PEOPLE[user.username]["email_verified"],
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "preferred_username": user.username,
        }
