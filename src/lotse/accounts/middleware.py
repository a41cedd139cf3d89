"""Second factor, idle time of authority staff, and the audit of denied access.

Runs after django-otp's middleware, which tells whether this session passed a second factor
(``user.is_verified()``). A person who has one, or must have one, reaches nothing but the
second-factor pages, sign-out and static files until they have passed it.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.accounts.identity import (
    access_denied_record,
    second_factor_devices,
    second_factor_required,
)
from lotse.accounts.models import User
from lotse.accounts.stamps import second_factor_stamp

# Remembered in the session, so that a signed-in person costs no query per request: whether
# this person has or needs a second factor ("verify" or "enrol"), or neither ("").
NEED_KEY = "lotse_second_factor"
# The stamp the answer was worked out under: a changed rule or factor renews the stamp, and the
# session works its answer out again (lotse.accounts.stamps).
NEED_STAMP_KEY = "lotse_second_factor_stamp"

_OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/second-factor/", "/healthz", "/i18n/")


def second_factor_need(request: HttpRequest, user: User) -> str:
    stamp = second_factor_stamp(user=user)
    need = request.session.get(NEED_KEY)
    if need is None or request.session.get(NEED_STAMP_KEY) != stamp:
        if second_factor_devices(user=user):
            need = "verify"
        elif second_factor_required(user=user):
            need = "enrol"
        else:
            need = ""
        request.session[NEED_KEY] = need
        request.session[NEED_STAMP_KEY] = stamp
    return str(need)


def second_factor_need_forget(request: HttpRequest) -> None:
    request.session.pop(NEED_KEY, None)
    request.session.pop(NEED_STAMP_KEY, None)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.is_authority_user:
                idle = settings.LOTSE_AUTHORITY_SESSION_IDLE_MINUTES * 60
                # Set once: setting it marks the session changed, and a changed session is
                # written (lotse.core.sessions writes an unchanged one at most once a minute).
                if request.session.get("_session_expiry") != idle:
                    request.session.set_expiry(idle)
            refusal = self._second_factor(request, user)
            if refusal is not None:
                return refusal
        response = self.get_response(request)
        if response.status_code == 403:
            # The user of a token is set by the API's authentication, after this middleware ran.
            actor = getattr(request, "user", None)
            if actor is not None and actor.is_authenticated:
                access_denied_record(user=actor, method=request.method or "", path=request.path)
        return response

    def _second_factor(self, request: HttpRequest, user: User) -> HttpResponse | None:
        if request.path.startswith(_OPEN_PREFIXES):
            return None
        if user.is_verified():  # type: ignore[attr-defined]
            return None
        need = second_factor_need(request, user)
        if not need:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "second_factor_required",
                    "message": _(
                        "Confirm the sign-in with your second factor in the browser first, "
                        "or use an API token."
                    ),
                    "field_errors": [],
                },
                status=403,
            )
        target = "accounts:second_factor_verify" if need == "verify" else "accounts:second_factor"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))
