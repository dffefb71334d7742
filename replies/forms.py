from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.forms import ServiceErrorsMixin


def _text(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, strip=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class CannedReplyForm(ServiceErrorsMixin, forms.Form):
    """What the engineer typed; canned_reply_save decides (its errors land on these fields)."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    keyword = forms.CharField(
        label=_("Keyword"),
        max_length=40,
        required=False,
        help_text=_("Optional: a short word to find the reply by in the list, e.g. restart."),
    )
    text_ru = _text(_("Text in Russian"))
    text_en = _text(_("Text in English"))
    team = forms.BooleanField(
        label=_("A team reply (every engineer uses it)"),
        required=False,
        help_text=_("Only administrators keep the team's replies."),
    )
    is_active = forms.BooleanField(label=_("Offered on tickets"), required=False, initial=True)

    def __init__(self, *args: Any, may_choose_team: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["required"] = True  # a hint; the service decides
        if not may_choose_team:
            del self.fields["team"]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        arguments = {
            name: data[name] for name in ("title", "keyword", "text_ru", "text_en", "is_active")
        }
        if "team" in self.fields:
            arguments["team"] = data["team"]
        return arguments
