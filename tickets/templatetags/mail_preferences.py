"""The profile page's "notifications by e-mail" form (accounts' page, tickets' kinds)."""

from typing import Any

from django import template

from tickets.mail_preferences import MailPreferencesForm

register = template.Library()


@register.inclusion_tag("tickets/_mail_preferences.html", takes_context=True)
def mail_preferences_form(context: Any) -> dict[str, Any]:
    request = context["request"]
    return {
        "mail_form": MailPreferencesForm(user=request.user),
        "csrf_token": context.get("csrf_token"),
    }
