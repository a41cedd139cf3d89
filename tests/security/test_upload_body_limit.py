"""Issue #11, uploads: a body above the limit is refused while it streams in, not after.

The end-to-end 413 on every upload path is in test_upload_paths.py; these tests show that the
refusal comes before the body is read (declared length) or as soon as the counted bytes pass
the limit (no or a wrong declaration), never at the end.
"""

from __future__ import annotations

import io

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.core.bodylimit import BodyLimitMiddleware, BodyLimitUploadHandler, BodyTooLarge

LIMIT = 64 * 1024


class Unreadable(io.RawIOBase):
    """A body that must never be read."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: object) -> int:
        raise AssertionError("the body was read")


def _never_called(request: HttpRequest) -> HttpResponse:
    raise AssertionError("the view ran")


@pytest.fixture(autouse=True)
def _limit(settings: SettingsWrapper) -> None:
    settings.LOTSE_REQUEST_MAX_BYTES = LIMIT


@pytest.mark.parametrize("path", ["/cases/1/documents/upload/", "/api/v1/cases/1/documents"])
def test_a_declared_length_above_the_limit_is_refused_unread(path: str) -> None:
    request = RequestFactory().post(path, data=b"", content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(10 * 1024**3)  # "10 GB are coming"
    request._stream = Unreadable()  # type: ignore[attr-defined]
    response = BodyLimitMiddleware(_never_called)(request)
    assert response.status_code == 413
    if path.startswith("/api/"):
        assert response["Content-Type"] == "application/json"


def test_the_file_bytes_are_counted_and_the_parse_stops_at_the_limit() -> None:
    size = 1024 * 1024
    request = RequestFactory().post("/x/", {"file": io.BytesIO(b"\x00" * size)})
    # First of FILE_UPLOAD_HANDLERS in the settings.
    [counter] = [h for h in request.upload_handlers if isinstance(h, BodyLimitUploadHandler)]
    with pytest.raises(BodyTooLarge):
        request.FILES  # noqa: B018 -- reading FILES parses the body
    assert LIMIT < counter.received < size / 4  # stopped one chunk after the limit


def test_a_body_under_the_limit_reaches_the_view() -> None:
    request = RequestFactory().post("/x/", {"file": io.BytesIO(b"%PDF-1.7 small")})
    response = BodyLimitMiddleware(lambda r: HttpResponse(r.FILES["file"].read()))(request)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 small"
