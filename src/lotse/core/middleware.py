from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from lotse.core.client import client_ip
from lotse.core.context import (
    RequestContext,
    current_request_context,
    reset_request_context,
    set_request_context,
)

# A load balancer's id is reused so one request can be followed across systems; anything
# that does not look like an id is replaced, since it ends up in logs and audit rows.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_context(
            RequestContext(request_id=request_id, ip_address=client_ip(request))
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_context(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        context = current_request_context()
        record.request_id = context.request_id if context else "-"
        return True


class LanguageMiddleware(LocaleMiddleware):
    """German unless the person chose otherwise with the language switch (a cookie).

    German authorities' software speaks German first, whatever the browser says; the API
    follows ``Accept-Language`` because its clients are programs that ask explicitly.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        translation.activate(chosen if chosen in supported else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


# No feature a page of Lotse uses: camera, microphone, location and the rest stay off for every
# frame, so injected markup cannot ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
        "interest-cohort",
    )
)
# Security keys and passkeys (ADR 0026): this site's own pages only, no embedded frame.
PERMISSIONS_POLICY += ", publickey-credentials-get=(self), publickey-credentials-create=(self)"


def _is_private(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or request.path.startswith("/api/")
        or response.has_header("Content-Disposition")
        or "Authorization" in request.headers
    )


class PrivacyHeadersMiddleware:
    """``Cache-Control: no-store`` on whatever is personal; ``Permissions-Policy`` everywhere.

    Personal means: a signed-in person's page, every API response, every download (a response
    with ``Content-Disposition``) and the worker's upload pages (they set it themselves). A
    shared computer's browser cache or a proxy must keep none of it (ASVS 8.2.1).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _is_private(request, response):
            response["Cache-Control"] = "private, no-store"
        return response
