from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import ApiToken
from api.services import MAX_LIFETIME_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        required=False,
        help_text=_("What will use it, e.g. “CRM integration”."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices)
    lifetime_days = forms.IntegerField(
        label=_("Valid for, days"), min_value=1, max_value=MAX_LIFETIME_DAYS, initial=90
    )
