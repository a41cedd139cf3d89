"""The Django side of upload validation: read the file bounded, run every lotse.filecheck check.

Nothing here stores anything; :func:`lotse.documents.services.document_upload` calls
:func:`validate_upload` first and writes only when it returns.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from lotse.filecheck.uploads import (
    CheckedFile,
    Limits,
    RefusalCode,
    UploadRefused,
    check_upload,
    refusal,
    scan_with_clamav,
)

__all__ = ["CheckedFile", "UploadRefused", "read_upload", "upload_limits", "validate_upload"]

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


def upload_limits() -> Limits:
    """The caps of one check, from the settings (docs/configuration.md)."""
    return Limits(
        max_bytes=settings.LOTSE_UPLOAD_MAX_BYTES,
        max_pixels=settings.LOTSE_UPLOAD_MAX_PIXELS,
        max_total_pixels=settings.LOTSE_UPLOAD_MAX_TOTAL_PIXELS,
        max_frames=settings.LOTSE_UPLOAD_MAX_FRAMES,
        max_pdf_pages=settings.LOTSE_UPLOAD_MAX_PDF_PAGES,
        max_decompressed_bytes=settings.LOTSE_UPLOAD_MAX_DECOMPRESSED_BYTES,
        max_seconds=settings.LOTSE_UPLOAD_CHECK_SECONDS,
    )


def validate_upload(data: bytes, *, filename: str, declared_type: str | None) -> CheckedFile:
    """Every check of lotse.filecheck, and the virus scan when clamd is configured.

    Where clamd is configured it is required: when it gives no verdict the upload is refused
    (``scanner_unavailable``), never stored unscanned. Both the upload and the clean copy that
    will be stored are scanned (they differ for images, which are re-encoded).
    """
    checked = check_upload(
        data, filename=filename, declared_type=declared_type, limits=upload_limits()
    )
    timeout = settings.LOTSE_CLAMAV_TIMEOUT
    for scanned in (data, checked.data) if checked.reencoded else (data,):
        if settings.LOTSE_CLAMAV_SOCKET:
            scan_with_clamav(scanned, socket_path=settings.LOTSE_CLAMAV_SOCKET, timeout=timeout)
        elif settings.LOTSE_CLAMAV_HOST:
            scan_with_clamav(
                scanned,
                host=settings.LOTSE_CLAMAV_HOST,
                port=settings.LOTSE_CLAMAV_PORT,
                timeout=timeout,
            )
    return checked
