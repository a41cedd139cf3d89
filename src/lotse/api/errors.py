"""One error body for the whole API: ``{"code", "message", "field_errors": [{"field", "message"}]}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


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
        field_errors = [
            {"field": _field_path(error.get("loc", ())), "message": str(error.get("msg", ""))}
            for error in exc.errors
        ]
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
        return api.create_response(request, _body("error", str(exc)), status=exc.status_code)


# The error responses every authenticated endpoint may give, for the OpenAPI document.
COMMON_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 422: ErrorOut}
OBJECT_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
