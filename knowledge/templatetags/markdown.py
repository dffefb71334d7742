"""`{{ text|markdown }}` and `{{ text|markdown:images }}`: Markdown as sanitized HTML."""

from collections.abc import Mapping

from django import template
from django.utils.safestring import SafeString

from knowledge.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str, images: Mapping[str, str] | None = None) -> SafeString:
    return render_markdown(text, images=images or None)
