"""The Lotse API at /api/v1/: one NinjaAPI, one router per domain area."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from lotse.accounts.api import router as accounts_router
from lotse.advice.api import router as advice_router
from lotse.api.auth import ActiveSessionAuth, TokenAuth
from lotse.api.docs_access import docs_access_required
from lotse.api.endpoints import router as core_router
from lotse.api.errors import install_error_handlers
from lotse.api.input import install_input_checks
from lotse.calendars.api import router as calendars_router
from lotse.cases.api import router as cases_router
from lotse.conversations.api import router as conversations_router
from lotse.documents.api import router as documents_router
from lotse.insights.api import router as insights_router
from lotse.notifications.api import router as notifications_router
from lotse.organisations.api import router as organisations_router
from lotse.privacy.api import router as privacy_router

_ERROR_BODY = {
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
}


class LotseApi(NinjaAPI):
    """The answers every operation can give are documented on every operation."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        document = super().get_openapi_schema(*args, **kwargs)
        for item in document["paths"].values():
            for method, operation in item.items():
                responses = operation.setdefault("responses", {})
                responses.setdefault(
                    500,
                    {"description": "Internal server error (nothing was saved)", **_ERROR_BODY},
                )
                if "requestBody" in operation:
                    responses.setdefault(
                        400, {"description": "The body cannot be read (not JSON)", **_ERROR_BODY}
                    )
                if method in {"post", "put", "patch"}:
                    responses.setdefault(
                        413, {"description": "The request body is too large", **_ERROR_BODY}
                    )
                responses.setdefault(
                    403,
                    {
                        "description": "Refused: not allowed; `token_read_only` (a read-only "
                        "token on a writing method); `second_factor_required` (a browser session "
                        "that has not passed its second factor)",
                        **_ERROR_BODY,
                    },
                )
                responses.setdefault(
                    429, {"description": "Too many requests (`rate_limited`)", **_ERROR_BODY}
                )
        return document


api = LotseApi(
    title="Lotse API",
    version="1",
    description=(
        "API of Lotse, the shared system of companies, chambers and immigration offices for the "
        "accelerated skilled-worker procedure (§ 81a AufenthG). Authenticate with a personal API "
        "token (`Authorization: Bearer …`) or a browser session. Every error has the body "
        "`{code, message, field_errors[]}`; messages follow `Accept-Language` (de, en)."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), ActiveSessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    docs_decorator=docs_access_required,
)
install_error_handlers(api)
install_input_checks(api)


# Each domain area adds its router here, in one line, so the API's shape is visible at a glance.
api.add_router("/", core_router)
api.add_router("/", accounts_router)
api.add_router("/", organisations_router)
api.add_router("/", documents_router)
api.add_router("/", advice_router)
api.add_router("/", cases_router)
api.add_router("/", conversations_router)
api.add_router("/", calendars_router)
api.add_router("/", notifications_router)
api.add_router("/", insights_router)
api.add_router("/", privacy_router)
