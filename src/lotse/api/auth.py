from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from lotse.accounts.services import api_token_resolve
from lotse.api.errors import ApiError
from lotse.core.ratelimit import Limit, hit

# Methods a read-only token may use.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    openapi_description = (
        "Personal API token, created under “API tokens” in Lotse or with `lotse token create`. "
        "A token expires on its expiry date; a read-only token may only read (GET), any other "
        "method is refused with 403 `token_read_only`."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_resolve(token)
        if api_token is None:
            return None
        # Set first, so that a refusal below is audited against the token's holder.
        request.user = api_token.user
        if not api_token.can_write and request.method not in READ_METHODS:
            raise ApiError(
                403,
                "token_read_only",
                _("This API token may only read. Create a token for reading and writing."),
            )
        _count_request(f"user:{api_token.user_id}")
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not getattr(user, "is_active", False):
            return None
        if user is not None:
            _count_request(f"user:{user.pk}")
        return user


def _count_request(key: str) -> None:
    """Per person and minute, over every process (the shared cache, lotse.core.ratelimit)."""
    limit = Limit("api", settings.LOTSE_API_REQUESTS_PER_MINUTE, 60)
    if not hit(limit, key):
        raise ApiError(
            429,
            "rate_limited",
            _("Too many requests in one minute. Wait a moment, then try again."),
        )
