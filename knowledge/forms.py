from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from knowledge.models import Article, ProductArea
from sla.models import Tier


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    area = forms.ModelChoiceField(
        label=_("Product area"), queryset=ProductArea.objects.all(), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=Article.Language.choices)
    tiers = forms.ModelMultipleChoiceField(
        label=_("Visible to"),
        queryset=Tier.objects.order_by("rank"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Customers with these support tiers only; none ticked: every customer."),
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        strip=False,
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "area": data["area"],
            "language": data["language"],
            "tiers": data["tiers"],
        }

    def add_service_errors(self, error: Any) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
