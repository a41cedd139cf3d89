"""Who may read the OpenAPI document and the API docs (``LOTSE_PUBLIC_API_DOCS``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from lotse.accounts.services import api_token_authenticate


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return True
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(token) and api_token_authenticate(token) is not None


def docs_access_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The operations, their fields and error codes are a map of the system: not for everyone."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.LOTSE_PUBLIC_API_DOCS or _signed_in(request):
            return view(request, *args, **kwargs)
        return JsonResponse(
            {
                "code": "not_authenticated",
                "message": _(
                    "Sign in, or send a valid API token as “Authorization: Bearer <token>”."
                ),
                "field_errors": [],
            },
            status=401,
        )

    return guarded
