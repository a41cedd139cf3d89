from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from lotse.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_description = (
        "Personal API token, created under “API tokens” in Lotse or with `lotse token create`."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and not getattr(user, "is_active", False):
            return None
        return user
