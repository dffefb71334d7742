from django.http import HttpRequest

from tickets.selectors import unread_notification_count


def notifications(request: HttpRequest) -> dict[str, object]:
    """The unread count for the bell in the header (one COUNT on an index, signed-in only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_notification_count(user=user)}
