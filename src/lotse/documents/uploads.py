"""The Django side of upload validation: read the file bounded, run every lotse.filecheck check.

Nothing here stores anything; :func:`lotse.documents.services.document_upload` calls
:func:`validate_upload` first and writes only when it returns.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from lotse.filecheck.uploads import (
    CheckedFile,
    RefusalCode,
    UploadRefused,
    check_upload,
    refusal,
    scan_with_clamav,
)

__all__ = ["CheckedFile", "UploadRefused", "read_upload", "validate_upload"]

_CHUNK = 1024 * 1024


def read_upload(upload: UploadedFile) -> bytes:
    """The file's bytes; stops reading one byte past the limit (enough to refuse it)."""
    limit = settings.LOTSE_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise refusal(RefusalCode.TOO_LARGE, max_bytes=limit, detail=f"{upload.size} bytes")
    upload.seek(0)
    parts: list[bytes] = []
    read = 0
    while read <= limit:
        part = upload.read(min(_CHUNK, limit + 1 - read))
        if not part:
            break
        parts.append(part)
        read += len(part)
    return b"".join(parts)


def validate_upload(data: bytes, *, filename: str, declared_type: str | None) -> CheckedFile:
    """Every check of lotse.filecheck, and the virus scan when clamd is configured."""
    checked = check_upload(
        data,
        filename=filename,
        declared_type=declared_type,
        max_bytes=settings.LOTSE_UPLOAD_MAX_BYTES,
    )
    if settings.LOTSE_CLAMAV_SOCKET:
        scan_with_clamav(data, socket_path=settings.LOTSE_CLAMAV_SOCKET)
    elif settings.LOTSE_CLAMAV_HOST:
        scan_with_clamav(data, host=settings.LOTSE_CLAMAV_HOST, port=settings.LOTSE_CLAMAV_PORT)
    return checked
