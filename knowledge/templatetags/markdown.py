"""`{{ text|markdown }}` and `{{ text|markdown:images }}`: Markdown as sanitized HTML."""

from collections.abc import Mapping, Sequence

from django import template
from django.utils.safestring import SafeString

from knowledge.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str, images: Mapping[str, str] | None = None) -> SafeString:
    return render_markdown(text, images=images or None)


@register.simple_tag(name="markdown_note")
def markdown_note(
    text: str, images: Mapping[str, str] | None = None, mentions: Sequence[str] = ()
) -> SafeString:
    """`{% markdown_note message.body images message.mentions %}`: a message with its
    @mentions of colleagues highlighted."""
    return render_markdown(text, images=images or None, mentions=mentions or ())
