from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lotse.core.sessions import seconds_left
from lotse.web.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {
        "navigation": navigation_for(user),
        # Each request restarts the session (lotse.core.sessions; written at most once a
        # minute), so a page starts from the time the session has left; lotse.js warns
        # SESSION_WARNING_SECONDS before it ends.
        # Authority staff have a shorter idle time (lotse.accounts.middleware sets it).
        "session_seconds": seconds_left(request),
        "session_warning_seconds": SESSION_WARNING_SECONDS,
    }


SESSION_WARNING_SECONDS = 5 * 60
