"""A sliding session that is written at most once a minute, not on every request.

A signed-in person's session ends after a time without requests (``SESSION_COOKIE_AGE``, or the
shorter idle time of authority staff). Django's ``SESSION_SAVE_EVERY_REQUEST`` restarts that
time by writing the session row on every request: a database write (and a commit) for every
page view. Here the session is written when it changed, or when its last write is more than
``LOTSE_SESSION_REFRESH_SECONDS`` old; the write stamps the time into the session. A session
therefore ends between ``age - refresh`` and ``age`` after the last request, and the page's
countdown (``seconds_left``) starts from the true remaining time, so the warning before the
end still comes on time.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

# Seconds since the epoch of the session's last write.
REFRESHED_KEY = "lotse_session_written"


def _refresh_due(session: SessionBase, now: float) -> bool:
    written = session.get(REFRESHED_KEY)
    return (
        not isinstance(written, int | float)
        or now - written >= settings.LOTSE_SESSION_REFRESH_SECONDS
    )


def seconds_left(request: HttpRequest) -> int:
    """How long the session lives after this response without another request."""
    session = request.session
    age = session.get_expiry_age()
    now = time.time()
    if session.modified or _refresh_due(session, now):
        return age  # this response writes the session: the full age starts now
    return max(0, age - int(now - session[REFRESHED_KEY]))


class SlidingSessionMiddleware(SessionMiddleware):
    """Django's session middleware, with the throttled sliding expiry described above.

    Only a session this request read (a signed-in request reads it to find the user) is
    refreshed: static files and anonymous pages never create or write a session.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if (
            session is not None
            and (session.accessed or session.modified)
            and not session.is_empty()
            and response.status_code < 500
        ):
            now = time.time()
            if session.modified or _refresh_due(session, now):
                session[REFRESHED_KEY] = now
        return super().process_response(request, response)
