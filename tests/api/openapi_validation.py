"""Check every API response a test receives against the OpenAPI document.

``tests/conftest.py`` wraps ``django.test.Client.request``: a response from an operation under
``/api/v1/`` must have a status the operation documents, and a JSON body that validates against
the schema documented for that status (``$ref``s resolve to the document's components). The
document and the validators are built once per test session.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jsonschema_rs

API_PREFIX = "/api/v1/"
# The document itself and the page that shows it are not operations.
NOT_OPERATIONS = frozenset({"/api/v1/openapi.json", "/api/v1/docs"})


class ResponseMismatchError(AssertionError):
    """An API response that its OpenAPI document does not describe."""


@dataclass
class _Operation:
    template: str
    pattern: re.Pattern[str]
    responses: dict[str, Any]
    validators: dict[str, Any] = field(default_factory=dict)


@dataclass
class OpenApiResponses:
    document: dict[str, Any]
    operations: dict[str, list[_Operation]]  # method -> operations, literal paths first

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> OpenApiResponses:
        operations: dict[str, list[_Operation]] = {}
        for template, item in document["paths"].items():
            regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "/?$"
            for method, spec in item.items():
                if not isinstance(spec, dict) or "responses" not in spec:
                    continue
                operations.setdefault(method.lower(), []).append(
                    _Operation(
                        template,
                        re.compile(regex),
                        {str(status): r for status, r in spec["responses"].items()},
                    )
                )
        for ops in operations.values():
            ops.sort(key=lambda op: (op.template.count("{"), -len(op.template)))
        return cls(document, operations)

    def operation_for(self, method: str, path: str) -> _Operation | None:
        return next(
            (op for op in self.operations.get(method.lower(), []) if op.pattern.match(path)), None
        )

    def _validator(self, operation: _Operation, status: str, schema: dict[str, Any]) -> Any:
        if status not in operation.validators:
            rooted = {**schema, "components": self.document.get("components", {})}
            operation.validators[status] = jsonschema_rs.Draft202012Validator(rooted)
        return operation.validators[status]

    def check(self, method: str, path: str, status: int, content_type: str, body: bytes) -> None:
        """Raise ResponseMismatchError when the response is not what the document promises."""
        operation = self.operation_for(method, path)
        if operation is None:
            return  # not an operation of the API (an unknown path, or a method it does not have)
        where = f"{method.upper()} {path} ({operation.template}) → {status}"
        documented = operation.responses.get(str(status))
        if documented is None:
            raise ResponseMismatchError(
                f"{where}: status not documented (documented: {sorted(operation.responses)}); "
                f"body: {body[:300]!r}"
            )
        schema = (documented.get("content") or {}).get("application/json", {}).get("schema")
        if schema is None:
            return  # a file (PDF, ZIP) or an empty body
        if not content_type.startswith("application/json"):
            raise ResponseMismatchError(f"{where}: documented as JSON, answered {content_type!r}")
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise ResponseMismatchError(f"{where}: the body is not JSON ({exc})") from None
        errors = list(self._validator(operation, str(status), schema).iter_errors(data))
        if errors:
            details = "; ".join(
                f"at /{'/'.join(str(p) for p in error.instance_path)}: {error.message}"
                for error in errors[:5]
            )
            raise ResponseMismatchError(f"{where}: the body does not match its schema: {details}")


@cache
def responses() -> OpenApiResponses:
    from lotse.api.main import api

    return OpenApiResponses.from_document(api.get_openapi_schema())


def check_response(environ: dict[str, Any], response: Any) -> None:
    path = str(environ.get("PATH_INFO", ""))
    if not path.startswith(API_PREFIX) or path.rstrip("/") in NOT_OPERATIONS:
        return
    if getattr(response, "streaming", False):
        return
    responses().check(
        str(environ.get("REQUEST_METHOD", "GET")),
        path,
        response.status_code,
        response.get("Content-Type", ""),
        response.content,
    )
