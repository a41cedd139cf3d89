from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lotse.web.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    return {
        "navigation": navigation_for(user),
        # Each request saves the session (SESSION_SAVE_EVERY_REQUEST), so a page starts a full
        # session age; lotse.js warns SESSION_WARNING_SECONDS before it ends.
        # Authority staff have a shorter idle time (lotse.accounts.middleware sets it).
        "session_seconds": request.session.get_expiry_age(),
        "session_warning_seconds": SESSION_WARNING_SECONDS,
    }


SESSION_WARNING_SECONDS = 5 * 60
