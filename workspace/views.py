"""The engineers' pages (each module holds one page and its partials)."""

from workspace.dashboard_views import dashboard
from workspace.queue_views import queue, queue_bulk, queue_rows

__all__ = ["dashboard", "queue", "queue_bulk", "queue_rows"]
