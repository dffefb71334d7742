"""HTML kept in the memory of this process: a bounded map that forgets what was read longest
ago. The ticket page keeps its message cards, histories, deadline explanations, canned reply
pickers and the engineer's forms (templatetags/ticket_page.py, engineer_panels.py) and the
controls of its unfilled forms (templatetags/ui.py) here, every signed-in page its main menu
and static parts (templatetags/menu.py, kept.py), so that no round trip to a cache server is
paid per piece; gunicorn may run threads, hence the lock."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe


class LeastRecentlyUsed:
    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self.lock:
            html = self.items.get(key)
            if html is not None:
                self.items.move_to_end(key)
            return html

    def put(self, key: Hashable, html: str) -> None:
        with self.lock:
            self.items[key] = html
            if len(self.items) > self.size:
                self.items.popitem(last=False)

    def drawn(self, key: Hashable | None, draw: Callable[[], str]) -> SafeString:
        """The HTML kept under `key`, drawn by `draw` (escaped there: format_html, a template)
        and kept on the key's first use; drawn each time, never kept, when `key` is None (what
        it depends on is not all known)."""
        html = self.get(key) if key is not None else None
        if html is None:
            html = str(draw())
            if key is not None:
                self.put(key, html)
        return mark_safe(html)  # noqa: S308 (escaped where drawn)

    def rendered(self, key: Hashable, template_name: str, context: dict[str, Any]) -> SafeString:
        """`template_name` rendered with `context`, kept under `key`: everything its HTML
        depends on. Rendered on the key's first use (or once forgotten)."""
        return self.drawn(key, lambda: get_template(template_name).render(context))
