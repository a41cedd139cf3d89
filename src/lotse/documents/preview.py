"""Server-side previews: every page of an uploaded document rendered as a plain PNG image.

The reviewer's browser never receives the PDF itself in the review view, only pixels: no
JavaScript, forms, links or embedded files of a PDF can act there. PDF pages are rendered with
PDFium (``pypdfium2``; its form environment and JavaScript are never initialised), images are
re-encoded with Pillow (ADR 0005). Uploads passed lotse.filecheck before they were stored, so
the sizes here are bounded; the limits below bound the work of one preview on top of that.
"""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium
from PIL import Image

PREVIEW_WIDTH = 900  # pixels; enough to read a certificate, small enough to load nine at once
MAX_PREVIEW_HEIGHT = 4 * PREVIEW_WIDTH  # a very long page is cut, not rendered to any height
MAX_PREVIEW_PAGES = 30  # pages shown per document in the review view


# PDFium is not thread-safe; the threaded development server and gthread workers share it.
_PDFIUM = threading.Lock()


class PreviewError(Exception):
    """The page does not exist or the file cannot be rendered."""


def _png(image: Image.Image) -> bytes:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if image.width > PREVIEW_WIDTH:
        height = max(1, round(image.height * PREVIEW_WIDTH / image.width))
        image = image.resize((PREVIEW_WIDTH, height), Image.Resampling.LANCZOS)
    if image.height > MAX_PREVIEW_HEIGHT:
        image = image.crop((0, 0, image.width, MAX_PREVIEW_HEIGHT))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _pdf_page(data: bytes, page: int) -> bytes:
    with _PDFIUM:
        return _pdf_page_locked(data, page)


def _pdf_page_locked(data: bytes, page: int) -> bytes:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise PreviewError(str(exc)) from exc
    try:
        if not 1 <= page <= len(pdf):
            raise PreviewError(f"page {page} of {len(pdf)}")
        pdf_page = pdf[page - 1]
        try:
            width = pdf_page.get_width() or 1.0
            scale = min(PREVIEW_WIDTH / width, 4.0)
            bitmap = pdf_page.render(scale=scale, may_draw_forms=False)
            return _png(bitmap.to_pil())
        finally:
            pdf_page.close()
    finally:
        pdf.close()


def _image_page(data: bytes, page: int) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            if not 1 <= page <= frames:
                raise PreviewError(f"page {page} of {frames}")
            image.seek(page - 1)
            image.load()
            return _png(image.copy())
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PreviewError(str(exc)) from exc


def render_preview(data: bytes, *, mime_type: str, page: int) -> bytes:
    """One page (counted from 1) of a stored document as a PNG image."""
    if page > MAX_PREVIEW_PAGES:
        raise PreviewError(f"only the first {MAX_PREVIEW_PAGES} pages are previewed")
    if mime_type == "application/pdf":
        return _pdf_page(data, page)
    if mime_type.startswith("image/"):
        return _image_page(data, page)
    raise PreviewError(f"no preview for {mime_type}")
