from __future__ import annotations

from django.http import HttpRequest

from lotse.notifications.selectors import notification_unread_count


def unread(request: HttpRequest) -> dict[str, int]:
    """The unread count for the header (one COUNT query on an index, signed-in pages only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": notification_unread_count(user=user)}
