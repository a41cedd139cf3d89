"""One error body for the whole API: ``{"code", "message", "field_errors": [{"field", "message"}]}``."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from lotse.api.input import stashed_problems
from lotse.api.messages import schema_error_message
from lotse.core.bodylimit import BodyTooLarge, too_large_response

logger = logging.getLogger("lotse.api")


class FieldErrorOut(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    field_errors: list[FieldErrorOut] = []


class ApiError(Exception):
    """Raised by endpoints for a specific, documented refusal."""

    def __init__(
        self, status: int, code: str, message: str, field_errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field_errors = field_errors or []


# Pydantic's location starts with where the value came from and the parameter name;
# clients want the path inside their JSON document.
_LOCATION_PREFIXES = {"body", "query", "path", "header", "cookie", "form"}


def _field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATION_PREFIXES:
        parts = parts[1:]
        if len(parts) > 1 and parts[0] in {"payload", "data", "body", "filters"}:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def _body(
    code: str, message: str, field_errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "field_errors": field_errors or []}


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return api.create_response(
            request, _body(exc.code, exc.message, exc.field_errors), status=exc.status
        )

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        # The schema's errors and those of lotse.api.input (NUL characters, coerced JSON types).
        errors = [*exc.errors, *(e for e in stashed_problems(request) if e not in exc.errors)]
        field_errors: list[dict[str, str]] = []
        for error in errors:
            entry = {
                "field": _field_path(error.get("loc", ())),
                "message": str(error.get("msg", ""))
                if error.get("lotse")
                else schema_error_message(error),
            }
            if entry not in field_errors:
                field_errors.append(entry)
        return api.create_response(
            request,
            _body(
                "invalid_input",
                _("The request contains invalid values; see field_errors."),
                field_errors,
            ),
            status=422,
        )

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            field_errors = [
                {"field": field, "message": str(message)}
                for field, errors in exc.message_dict.items()
                for message in errors
            ]
        else:
            field_errors = [{"field": "__all__", "message": str(m)} for m in exc.messages]
        return api.create_response(
            request,
            _body(
                "invalid_input",
                _("The request contains invalid values; see field_errors."),
                field_errors,
            ),
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request,
            _body(
                "not_authenticated",
                _("Sign in, or send a valid API token as “Authorization: Bearer <token>”."),
            ),
            status=401,
        )

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(
            request,
            _body("forbidden", _("You may see this object but not take this action.")),
            status=403,
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, _body("not_found", _("Not found, or not visible to you.")), status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, _body("error", exc.message), status=exc.status_code)

    def too_large(request: HttpRequest, exc: Any) -> HttpResponse:
        # Django refuses a body above DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields or
        # files) as a "suspicious operation", which would be an HTML 400.
        return api.create_response(
            request,
            _body(
                "too_large",
                _("The request is too large. Send at most %(size)s MB.")
                % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1},
            ),
            status=413,
        )

    for refused in (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        api.add_exception_handler(refused, too_large)

    @api.exception_handler(BodyTooLarge)
    def body_too_large(request: HttpRequest, exc: BodyTooLarge) -> HttpResponse:
        # The upload handler counted more file bytes than LOTSE_REQUEST_MAX_MB while reading.
        return too_large_response(request)

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with the traceback and signalled as Django does for any unhandled exception
        # (error reporting listens there); the client gets the documented body, never HTML.
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"request": request}
        )
        got_request_exception.send(sender=None, request=request)
        return api.create_response(
            request,
            _body(
                "server_error",
                _(
                    "Something went wrong on our side; nothing was saved. Please try again "
                    "later, and name the request id %(request_id)s when you report it."
                )
                % {"request_id": getattr(request, "request_id", "–")},
            ),
            status=500,
        )


# The error responses every authenticated endpoint may give, for the OpenAPI document.
COMMON_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
OBJECT_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
