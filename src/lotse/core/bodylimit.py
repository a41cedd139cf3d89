"""Refuse a request body larger than ``LOTSE_REQUEST_MAX_BYTES`` before or while it streams in.

Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` counts form fields only, not files: without this, a
multi-gigabyte body is read to the end (into temporary files) before any view can refuse it.
Two guards, because a client may lie or say nothing:

* :class:`BodyLimitMiddleware` refuses from the declared ``Content-Length`` without reading a
  byte, and it parses a page's multipart body itself, early, so that the second guard's refusal
  becomes a 413 here instead of an error inside the CSRF check (the API turns it into its 413
  in ``lotse.api.errors``).
* :class:`BodyLimitUploadHandler` (first in ``FILE_UPLOAD_HANDLERS``) counts the file bytes as
  they arrive and stops at the limit, whatever the header said.

Pages get the German error page, the API its JSON error body; both with status 413.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

__all__ = ["BodyLimitMiddleware", "BodyLimitUploadHandler", "BodyTooLarge", "too_large_response"]


class BodyTooLarge(Exception):  # noqa: N818 -- the condition, not an error of the code
    """The streamed body passed the limit (raised inside Django's multipart parser)."""


def _limit() -> int:
    return int(settings.LOTSE_REQUEST_MAX_BYTES)


class BodyLimitUploadHandler(FileUploadHandler):
    """Counts every file byte of one request and refuses the request past the limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > _limit():
            raise BodyTooLarge(f"{self.received} bytes of files > {_limit()}")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        # The next handler (memory or temporary file) builds the file object.
        return None


def too_large_response(request: HttpRequest) -> HttpResponse:
    size_mb = max(1, _limit() // (1024 * 1024))
    message = _(
        "The upload is too large: together, the files of one upload may have at most "
        "%(size)s MB. Please upload fewer files at once or scan at 300 dpi."
    ) % {"size": size_mb}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "too_large", "message": message, "field_errors": []}, status=413
        )
    return render(request, "web/error.html", {"status": 413, "message": message}, status=413)


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        return int(raw)
    except ValueError:
        return None


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = _declared_length(request)
        if declared is not None and declared > _limit():
            return too_large_response(request)
        # Pages only: the CSRF check reads POST right after this anyway. The API reads its body
        # itself (ninja may want request.body, which an early parse would make unreadable) and
        # answers the handler's refusal through its own exception handler (lotse.api.errors).
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.content_type == "multipart/form-data"
            and not request.path.startswith("/api/")
        ):
            try:
                # Parsed here, where the refusal can be answered; later readers get the result.
                _touch(request.POST, request.FILES)
            except (BodyTooLarge, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
                return too_large_response(request)
            except MultiPartParserError:
                # Django has marked the body as unparseable (empty POST and FILES); the view
                # then says which field is missing, as it did before this middleware.
                pass
        return self.get_response(request)


def _touch(*_values: Any) -> None:
    """Evaluating the arguments is the point (request.POST parses the body)."""
