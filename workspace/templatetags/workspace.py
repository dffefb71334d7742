"""Template adapters of workspace.queue_rows: the queue's rows and the words its script uses."""

from django import template
from django.utils.safestring import SafeString

from workspace import queue_rows as rows

register = template.Library()


@register.simple_tag
def queue_rows(rows_: list[rows.QueueRow], organization_query: str = "") -> SafeString:
    return rows.render_rows(rows_, organization_query)


@register.simple_tag
def queue_script_texts() -> dict[str, str]:
    return rows.script_texts()
