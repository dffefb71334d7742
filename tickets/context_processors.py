from django.http import HttpRequest

from tickets.drafts import take_done
from tickets.selectors import unread_notification_count


def notifications(request: HttpRequest) -> dict[str, object]:
    """The unread count for the bell in the header (one COUNT on an index, signed-in only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_notification_count(user=user)}


def drafts(request: HttpRequest) -> dict[str, object]:
    """The drafts to forget on this page (tickets/drafts.py): read only when base.html asks,
    so a fragment rendered in between never takes them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"drafts_done": lambda: take_done(request)}
