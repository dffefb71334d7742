"""Which kinds of notification a person gets by e-mail (the profile page). The portal's bell
always has them all; tickets.notifications.apply_mail_preferences is where mail honours this."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from tickets.notifications import mail_preference_kinds


class MailPreferencesForm(forms.Form):
    mailed = forms.MultipleChoiceField(
        label=_("Send me by e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Everything is always in the portal's notifications. A ticket's registration "
            "number is always mailed to its contact (regulation 2.3)."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kinds = mail_preference_kinds(user)
        muted = set(user.mail_muted_kinds or ())
        kwargs.setdefault(
            "initial", {"mailed": [kind for kind, _label in kinds if kind not in muted]}
        )
        super().__init__(*args, **kwargs)
        self.fields["mailed"].choices = kinds
        self.fields["mailed"].widget.attrs["class"] = "mail-kind"


def user_set_mail_preferences(*, user: User, mailed: list[str]) -> list[str]:
    """Keep the kinds `user` may choose but did not tick as their muted kinds; returns them."""
    kinds = [kind for kind, _label in mail_preference_kinds(user)]
    unknown = set(mailed) - set(kinds)
    if unknown:
        raise ValidationError({"mailed": _("Choose among the kinds of notification listed.")})
    muted = [kind for kind in kinds if kind not in mailed]
    if muted != list(user.mail_muted_kinds or ()):
        user.mail_muted_kinds = muted
        user.save(update_fields=["mail_muted_kinds"])
    return muted
