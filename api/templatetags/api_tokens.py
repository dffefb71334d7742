"""The API tokens panel of the profile page (accounts/profile.html loads it): the person's
live tokens, the form to make one, and a token just made."""

from django import template

from api.forms import TokenForm
from api.services import live_tokens

register = template.Library()


@register.inclusion_tag("api/_tokens.html", takes_context=True)
def api_tokens(context: template.Context) -> dict:
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "tokens": live_tokens(request.user),
        "form": context.get("token_form") or TokenForm(prefix="token"),
        "new_token": context.get("new_token"),
    }
