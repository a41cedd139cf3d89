"""Validation of uploaded documents before anything is stored.

Everything here works on the complete file as ``bytes``: uploads are capped at 20 MB by default, so
holding one in memory is cheaper and simpler than streaming, and every check sees the same bytes
that will be hashed, encrypted and stored.

Order of checks (cheap and certain first): empty → size → extension → libmagic sniffing →
declared content type → structure of the format (pypdf / Pillow). The first failing check raises
:class:`UploadRefused`; nothing is returned or written in that case, so the caller has nothing to
clean up.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import Final

import magic
from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from PIL import Image, ImageFile, ImageOps
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    EncodedStreamObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "MAX_PDF_OBJECTS",
    "Budget",
    "CheckedFile",
    "FileKind",
    "Limits",
    "RefusalCode",
    "UploadRefused",
    "check_upload",
    "refusal",
    "scan_with_clamav",
]

DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024
# A4 scanned at 600 dpi is 4961 x 7016 = 34.8 megapixels; 50 MP leaves room for A3 at 400 dpi
# while a fully decoded RGB frame (3 bytes/pixel, 150 MB) still fits a web worker.
DEFAULT_MAX_PIXELS: Final = 50_000_000
# The sum over all frames of a TIFF (or all images of a PDF): the per-frame cap alone let a 1.8 MB
# TIFF of 500 frames of 7000 x 7000 through after 15 s of decoding. 400 MP are 45 pages of A4 at
# 300 dpi, or 11 at 600 dpi; more than that is not one document.
DEFAULT_MAX_TOTAL_PIXELS: Final = 400_000_000
# Multi-page TIFFs are scans of documents; a document of more than 100 pages is split anyway.
DEFAULT_MAX_FRAMES: Final = 100
# A 500-page PDF is a book, not one of the documents of the procedure.
DEFAULT_MAX_PDF_PAGES: Final = 500
# The sum of what the Flate streams of a PDF decompress to. Text PDFs decompress to a few times
# their size; scans carry JPEG (DCT) streams, which are counted as pixels instead.
DEFAULT_MAX_DECOMPRESSED_BYTES: Final = 256 * 1024 * 1024
# A good 20 MB scan is checked in well under a second (docs/performance.md); ten seconds leaves room
# for a busy machine and still stops a file that keeps a web worker busy.
DEFAULT_MAX_SECONDS: Final = 10.0
# Walking a PDF's objects costs about 25 µs each in pure Python; a hostile 20 MB file can
# reference millions of tiny objects. Real documents stay far below this (a 300-page text PDF
# has some 10-20 thousand, a scanned one about 4 per page).
MAX_PDF_OBJECTS: Final = 100_000
# libmagic decides on the first bytes; more than this only costs time.
SNIFF_BYTES: Final = 64 * 1024


class FileKind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"


_MIME_BY_KIND: Final[dict[FileKind, str]] = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.TIFF: "image/tiff",
}
_KIND_BY_EXTENSION: Final[dict[str, FileKind]] = {
    "pdf": FileKind.PDF,
    "jpg": FileKind.JPEG,
    "jpeg": FileKind.JPEG,
    "jpe": FileKind.JPEG,
    "png": FileKind.PNG,
    "tif": FileKind.TIFF,
    "tiff": FileKind.TIFF,
}
_KIND_BY_SNIFFED_MIME: Final[dict[str, FileKind]] = {
    "application/pdf": FileKind.PDF,
    "image/jpeg": FileKind.JPEG,
    "image/png": FileKind.PNG,
    "image/tiff": FileKind.TIFF,
}
# Content types browsers and mail clients really send for these formats. Legacy aliases are
# listed because refusing a good scan for an old alias would only produce support calls.
_DECLARED_TYPES: Final[dict[FileKind, frozenset[str]]] = {
    FileKind.PDF: frozenset({"application/pdf", "application/x-pdf", "application/acrobat"}),
    FileKind.JPEG: frozenset({"image/jpeg", "image/jpg", "image/pjpeg"}),
    FileKind.PNG: frozenset({"image/png", "image/x-png"}),
    FileKind.TIFF: frozenset({"image/tiff", "image/tif", "image/x-tiff"}),
}
# Sent when the client does not know the type (e.g. a file without a registered extension on
# Windows); the content is sniffed anyway, so it is treated like no declaration at all.
_UNKNOWN_DECLARED_TYPES: Final = frozenset({"", "application/octet-stream"})
_PIL_FORMAT: Final[dict[FileKind, str]] = {
    FileKind.JPEG: "JPEG",
    FileKind.PNG: "PNG",
    FileKind.TIFF: "TIFF",
}


class RefusalCode(StrEnum):
    """Stable codes of refusals; the Django layer and the API expose them unchanged."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    EXTENSION_NOT_ALLOWED = "extension_not_allowed"
    CONTENT_NOT_ALLOWED = "content_not_allowed"
    CONTENT_MISMATCH = "content_mismatch"
    DECLARED_TYPE_MISMATCH = "declared_type_mismatch"
    PDF_BROKEN = "pdf_broken"
    PDF_ENCRYPTED = "pdf_encrypted"
    PDF_JAVASCRIPT = "pdf_javascript"
    PDF_LAUNCH_ACTION = "pdf_launch_action"
    PDF_EMBEDDED_FILE = "pdf_embedded_file"
    PDF_TOO_COMPLEX = "pdf_too_complex"
    PDF_ACTIVE_CONTENT = "pdf_active_content"
    PDF_TRAILING_DATA = "pdf_trailing_data"
    TOO_MANY_PAGES = "too_many_pages"
    CHECK_TIME_EXCEEDED = "check_time_exceeded"
    IMAGE_BROKEN = "image_broken"
    IMAGE_TOO_LARGE = "image_too_large"
    INFECTED = "infected"
    SCANNER_UNAVAILABLE = "scanner_unavailable"


_PRINT_AGAIN_DE: Final = (
    "Bitte öffnen Sie das Dokument und speichern Sie es über „Drucken → Als PDF speichern“ "
    "neu; die neue Datei können Sie hochladen."
)
_PRINT_AGAIN_EN: Final = (
    'Please open the document and save it again via "Print → Save as PDF"; you can upload the '
    "new file."
)
_ACCEPTED_DE: Final = "Erlaubt sind PDF, JPEG, PNG und TIFF."
_ACCEPTED_EN: Final = "Accepted are PDF, JPEG, PNG and TIFF."

# (German, English); ``{max_mb}`` and ``{kind}`` are filled in by ``refusal``.
_MESSAGES: Final[dict[RefusalCode, tuple[str, str]]] = {
    RefusalCode.EMPTY: (
        "Die Datei ist leer (0 Byte). Bitte wählen Sie die richtige Datei aus.",
        "The file is empty (0 bytes). Please choose the right file.",
    ),
    RefusalCode.TOO_LARGE: (
        "Die Datei ist größer als {max_mb} MB. Bitte scannen Sie mit geringerer Auflösung "
        "(300 dpi genügen) oder teilen Sie das Dokument auf.",
        "The file is larger than {max_mb} MB. Please scan at a lower resolution (300 dpi is "
        "enough) or split the document.",
    ),
    RefusalCode.EXTENSION_NOT_ALLOWED: (
        "Dieser Dateityp ist nicht erlaubt. " + _ACCEPTED_DE,
        "This file type is not accepted. " + _ACCEPTED_EN,
    ),
    RefusalCode.CONTENT_NOT_ALLOWED: (
        "Der Inhalt der Datei ist kein PDF- oder Bilddokument, auch wenn der Dateiname das "
        "nahelegt. " + _ACCEPTED_DE,
        "The content of the file is not a PDF or image document, even though its name suggests "
        "so. " + _ACCEPTED_EN,
    ),
    RefusalCode.CONTENT_MISMATCH: (
        "Dateiname und Inhalt passen nicht zusammen: Der Inhalt ist {kind}. Bitte laden Sie die "
        "Datei mit der richtigen Endung hoch.",
        "The file name and the content do not match: the content is {kind}. Please upload the "
        "file with the right extension.",
    ),
    RefusalCode.DECLARED_TYPE_MISMATCH: (
        "Der vom Browser gemeldete Dateityp passt nicht zum Inhalt der Datei. Bitte laden Sie die "
        "Datei erneut hoch.",
        "The file type reported by the browser does not match the content of the file. Please "
        "upload the file again.",
    ),
    RefusalCode.PDF_BROKEN: (
        "Die PDF-Datei ist beschädigt oder unvollständig und kann nicht gelesen werden. "
        + _PRINT_AGAIN_DE,
        "The PDF file is damaged or incomplete and cannot be read. " + _PRINT_AGAIN_EN,
    ),
    RefusalCode.PDF_ENCRYPTED: (
        "Die PDF-Datei ist mit einem Passwort oder einer Verschlüsselung geschützt. Die Behörde "
        "muss sie ohne Passwort öffnen können. " + _PRINT_AGAIN_DE,
        "The PDF file is protected by a password or encryption. The authority must be able to "
        "open it without a password. " + _PRINT_AGAIN_EN,
    ),
    RefusalCode.PDF_JAVASCRIPT: (
        "Die PDF-Datei enthält JavaScript (z. B. aus einem ausfüllbaren Formular). Aus "
        "Sicherheitsgründen nehmen wir keine PDFs mit Programmcode an. " + _PRINT_AGAIN_DE,
        "The PDF file contains JavaScript (for example from a fillable form). For security "
        "reasons we do not accept PDFs containing program code. " + _PRINT_AGAIN_EN,
    ),
    RefusalCode.PDF_LAUNCH_ACTION: (
        "Die PDF-Datei versucht, beim Öffnen andere Programme oder Dateien zu starten. Solche "
        "PDFs nehmen wir aus Sicherheitsgründen nicht an. " + _PRINT_AGAIN_DE,
        "The PDF file tries to start other programs or files when opened. For security reasons "
        "we do not accept such PDFs. " + _PRINT_AGAIN_EN,
    ),
    RefusalCode.PDF_EMBEDDED_FILE: (
        "Die PDF-Datei enthält eingebettete Dateien (Anhänge). Bitte laden Sie jedes Dokument "
        "einzeln hoch. " + _PRINT_AGAIN_DE,
        "The PDF file contains embedded files (attachments). Please upload each document on its "
        "own. " + _PRINT_AGAIN_EN,
    ),
    RefusalCode.PDF_TOO_COMPLEX: (
        "Die PDF-Datei ist ungewöhnlich komplex aufgebaut und kann nicht sicher geprüft werden. "
        "Bitte teilen Sie das Dokument auf oder speichern Sie es neu. " + _PRINT_AGAIN_DE,
        "The PDF file has an unusually complex structure and cannot be checked safely. Please "
        "split the document or save it again. " + _PRINT_AGAIN_EN,
    ),
    RefusalCode.PDF_ACTIVE_CONTENT: (
        "Die PDF-Datei enthält aktive Inhalte (z. B. ein Formular, das Daten versendet, Verweise "
        "auf andere Dateien, eine beim Öffnen aufgerufene Internetadresse, Multimedia- oder "
        "3D-Inhalte). Solche PDFs nehmen wir aus Sicherheitsgründen nicht an. " + _PRINT_AGAIN_DE,
        "The PDF file contains active content (for example a form that sends data, links to "
        "other files, a web address opened on opening, multimedia or 3D content). For security "
        "reasons we do not accept such PDFs. " + _PRINT_AGAIN_EN,
    ),
    RefusalCode.PDF_TRAILING_DATA: (
        "Hinter dem Ende der PDF-Datei stehen weitere Daten. Das kommt bei gewöhnlichen PDFs "
        "nicht vor und kann eine versteckte zweite Datei sein. " + _PRINT_AGAIN_DE,
        "There is more data after the end of the PDF file. Ordinary PDFs do not have this, and "
        "it can be a hidden second file. " + _PRINT_AGAIN_EN,
    ),
    RefusalCode.TOO_MANY_PAGES: (
        "Die Datei hat mehr als {limit} Seiten. Bitte teilen Sie das Dokument auf.",
        "The file has more than {limit} pages. Please split the document.",
    ),
    RefusalCode.CHECK_TIME_EXCEEDED: (
        "Die Prüfung der Datei hat zu lange gedauert; sie wurde deshalb nicht gespeichert. Bitte "
        "speichern Sie das Dokument neu (bei Scans mit 300 dpi) oder teilen Sie es auf.",
        "Checking the file took too long, so it was not stored. Please save the document again "
        "(scans at 300 dpi) or split it.",
    ),
    RefusalCode.IMAGE_BROKEN: (
        "Das Bild ist beschädigt oder unvollständig und kann nicht angezeigt werden. Bitte "
        "scannen oder fotografieren Sie das Dokument erneut.",
        "The image is damaged or incomplete and cannot be displayed. Please scan or photograph "
        "the document again.",
    ),
    RefusalCode.IMAGE_TOO_LARGE: (
        "Das Bild hat zu viele Bildpunkte. Bitte scannen Sie mit 300 dpi oder verkleinern Sie das "
        "Bild.",
        "The image has too many pixels. Please scan at 300 dpi or reduce the image size.",
    ),
    RefusalCode.INFECTED: (
        "Der Virenscanner hat in der Datei Schadsoftware gefunden. Die Datei wurde nicht "
        "gespeichert. Bitte prüfen Sie Ihr Gerät und laden Sie eine saubere Kopie hoch.",
        "The virus scanner found malware in the file. The file was not stored. Please check your "
        "device and upload a clean copy.",
    ),
    RefusalCode.SCANNER_UNAVAILABLE: (
        "Die Datei konnte gerade nicht auf Viren geprüft werden und wurde deshalb nicht "
        "gespeichert. Bitte versuchen Sie es in einigen Minuten erneut.",
        "The file could not be checked for viruses right now and was therefore not stored. "
        "Please try again in a few minutes.",
    ),
}

_KIND_LABEL: Final[dict[FileKind, tuple[str, str]]] = {
    FileKind.PDF: ("ein PDF", "a PDF"),
    FileKind.JPEG: ("ein JPEG-Bild", "a JPEG image"),
    FileKind.PNG: ("ein PNG-Bild", "a PNG image"),
    FileKind.TIFF: ("ein TIFF-Bild", "a TIFF image"),
}


class UploadRefused(Exception):  # noqa: N818 -- "refused" reads better than "RefusedError" here
    """An upload that must not be stored. ``detail`` is for logs only, never for the user."""

    def __init__(self, code: str, message_de: str, message_en: str, *, detail: str = "") -> None:
        super().__init__(code, message_en)
        self.code = code
        self.message_de = message_de
        self.message_en = message_en
        self.detail = detail

    def message(self, language: str) -> str:
        """The message for a language code such as ``"de"``, ``"de-DE"`` or ``"en"``."""
        return self.message_de if language.lower().startswith("de") else self.message_en

    def __str__(self) -> str:
        return f"{self.code}: {self.message_en}" + (f" ({self.detail})" if self.detail else "")


def refusal(
    code: RefusalCode,
    *,
    detail: str = "",
    max_bytes: int = 0,
    kind: FileKind | None = None,
    limit: int = 0,
) -> UploadRefused:
    """Build the refusal for ``code`` with its bilingual message."""
    de, en = _MESSAGES[code]
    # Rounded up so that "larger than 20 MB" is never shown for a 20.4 MB limit.
    max_mb = -(-max_bytes // (1024 * 1024))
    kind_de, kind_en = _KIND_LABEL[kind] if kind is not None else ("", "")
    return UploadRefused(
        code.value,
        de.format(max_mb=max_mb, kind=kind_de, limit=limit),
        en.format(max_mb=max_mb, kind=kind_en, limit=limit),
        detail=detail,
    )


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An upload that passed every check; the metadata is what gets stored next to it.

    ``data`` is what must be stored: the upload itself for a PDF, a fresh encoding by Pillow for
    an image (ADR 0017), so that nothing hidden beside the pixels is ever kept. ``size`` and
    ``sha256`` describe ``data``.
    """

    kind: FileKind
    mime_type: str
    size: int
    sha256: str
    page_count: int
    data: bytes = b""
    reencoded: bool = False


@dataclass(frozen=True, slots=True)
class Limits:
    """What one check may cost; every cap refuses before the work it guards is done."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_total_pixels: int = DEFAULT_MAX_TOTAL_PIXELS
    max_frames: int = DEFAULT_MAX_FRAMES
    max_pdf_pages: int = DEFAULT_MAX_PDF_PAGES
    max_decompressed_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS


class Budget:
    """The wall time of one check, asked between steps (ADR 0017: cooperative, no subprocess).

    Every step between two questions is bounded by a cap of :class:`Limits` (one frame of at
    most ``max_pixels``, one object, one 1 MB piece of a stream), so a check overruns its budget
    by at most one such step. ``spent`` is the time the check had used at its last question.
    """

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._started = clock()
        self.spent = 0.0
        self.questions = 0

    def check(self) -> None:
        self.questions += 1
        self.spent = self._clock() - self._started
        if self.spent > self.seconds:
            raise refusal(
                RefusalCode.CHECK_TIME_EXCEEDED,
                detail=f"{self.spent:.2f} s > {self.seconds:.2f} s",
            )


def check_upload(
    data: bytes,
    *,
    filename: str,
    declared_type: str | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    limits: Limits | None = None,
    budget: Budget | None = None,
) -> CheckedFile:
    """Check an upload completely or raise :class:`UploadRefused` with the first problem found.

    ``declared_type`` is the ``Content-Type`` the client sent for the file part (``None`` or
    ``application/octet-stream`` when it did not know). ``limits`` replaces ``max_bytes`` and
    ``max_pixels`` when given. The virus scan is separate (:func:`scan_with_clamav`) because it
    needs a configured daemon; it must scan the returned ``data``.
    """
    if limits is None:
        limits = Limits(max_bytes=max_bytes, max_pixels=max_pixels)
    if budget is None:
        budget = Budget(limits.max_seconds)
    max_bytes = limits.max_bytes
    if not data:
        raise refusal(RefusalCode.EMPTY)
    if len(data) > max_bytes:
        raise refusal(
            RefusalCode.TOO_LARGE, max_bytes=max_bytes, detail=f"{len(data)} > {max_bytes} bytes"
        )

    extension = PurePath(filename).suffix.lower().lstrip(".")
    kind = _KIND_BY_EXTENSION.get(extension)
    if kind is None:
        raise refusal(RefusalCode.EXTENSION_NOT_ALLOWED, detail=f"extension {extension!r}")

    try:
        sniffed_mime = str(magic.from_buffer(data[:SNIFF_BYTES], mime=True))
    except magic.MagicException as exc:
        # libmagic could not classify the bytes at all: not something we can accept.
        raise refusal(RefusalCode.CONTENT_NOT_ALLOWED, detail=f"libmagic: {exc}") from exc
    sniffed_kind = _KIND_BY_SNIFFED_MIME.get(sniffed_mime)
    if sniffed_kind is None:
        raise refusal(RefusalCode.CONTENT_NOT_ALLOWED, detail=f"libmagic says {sniffed_mime}")
    if sniffed_kind is not kind:
        raise refusal(
            RefusalCode.CONTENT_MISMATCH,
            kind=sniffed_kind,
            detail=f"extension {extension!r}, libmagic says {sniffed_mime}",
        )

    if declared_type is not None:
        declared = declared_type.split(";", 1)[0].strip().lower()
        if declared not in _UNKNOWN_DECLARED_TYPES and declared not in _DECLARED_TYPES[kind]:
            raise refusal(
                RefusalCode.DECLARED_TYPE_MISMATCH,
                detail=f"declared {declared!r}, content is {sniffed_mime}",
            )

    if kind is FileKind.PDF:
        page_count = _check_pdf(data, limits, budget)
        stored, reencoded = data, False
    else:
        page_count, stored = _check_image(data, kind, limits, budget)
        reencoded = True

    return CheckedFile(
        kind=kind,
        mime_type=_MIME_BY_KIND[kind],
        size=len(stored),
        sha256=hashlib.sha256(stored).hexdigest(),
        page_count=page_count,
        data=stored,
        reencoded=reencoded,
    )


# --- PDF ---------------------------------------------------------------------------------------

_JS_KEYS: Final = frozenset({"/JS", "/JavaScript"})
_EMBEDDED_KEYS: Final = frozenset({"/EmbeddedFiles", "/EmbeddedFile", "/EF"})
# Actions that send data, fetch data or open other documents (ISO 32000-1, 12.6.4 and 12.7.5).
_ACTIVE_ACTIONS: Final = frozenset(
    {
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
    }
)
# Annotations and streams that play media or run 3D scenes (3D content carries its own script).
_ACTIVE_SUBTYPES: Final = frozenset(
    {"/RichMedia", "/3D", "/Screen", "/Movie", "/Sound", "/U3D", "/PRC"}
)
_ACTIVE_KEYS: Final = frozenset({"/XFA", "/RichMediaContent", "/RichMediaSettings", "/3DD"})
# Checked in this order when a file has several problems, so the refusal names the most
# dangerous one.
_PDF_PRIORITY: Final = (
    RefusalCode.PDF_LAUNCH_ACTION,
    RefusalCode.PDF_JAVASCRIPT,
    RefusalCode.PDF_ACTIVE_CONTENT,
    RefusalCode.PDF_EMBEDDED_FILE,
    RefusalCode.PDF_TOO_COMPLEX,
)
# What may follow the last %%EOF: line ends and the padding some scanners write (ISO 32000-1
# 7.5.5 allows an end-of-line marker only; NUL and spaces are tolerated as real files have them).
_PDF_EOF: Final = re.compile(rb"%%EOF[\x00\t\n\f\r ]*\Z")


def _check_pdf(data: bytes, limits: Limits, budget: Budget) -> int:
    # libmagic also says application/pdf when "%PDF-" appears anywhere near the start (an HTML
    # page quoting it, a polyglot). Viewers disagree on how much junk they skip before the header,
    # so only a file that *starts* as a PDF is one.
    if not data.startswith(b"%PDF-"):
        raise refusal(RefusalCode.PDF_BROKEN, detail="no %PDF- header at offset 0")
    # Refused rather than rebuilt (ADR 0017): rebuilding would break the signature of a signed
    # certificate, and nothing a scanner or "Save as PDF" writes has data after %%EOF.
    last_eof = data.rfind(b"%%EOF")
    if last_eof < 0:
        raise refusal(RefusalCode.PDF_BROKEN, detail="no %%EOF")
    if not _PDF_EOF.match(data, last_eof):
        raise refusal(
            RefusalCode.PDF_TRAILING_DATA,
            detail=f"{len(data) - last_eof - 5} bytes after the last %%EOF",
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        # Asked before touching the catalogue: reading /Root of an encrypted file raises
        # FileNotDecryptedError, which would otherwise look like a broken file.
        if reader.is_encrypted:
            raise refusal(RefusalCode.PDF_ENCRYPTED)
        budget.check()
        # The page count comes from the page tree root's /Count, which costs nothing; the walk
        # below then refuses a hostile tree by its object cap before len(reader.pages) flattens it.
        declared_pages = _declared_page_count(reader)
        if declared_pages > limits.max_pdf_pages:
            raise refusal(
                RefusalCode.TOO_MANY_PAGES,
                limit=limits.max_pdf_pages,
                detail=f"/Count {declared_pages}",
            )
        findings = _active_content(reader, limits, budget)
        budget.check()
        page_count = len(reader.pages)
    except UploadRefused:
        raise
    except Exception as exc:
        # Untrusted input can drive a pure-Python parser into any exception type (KeyError,
        # ValueError, RecursionError, zlib.error ...); all of them mean "cannot be read safely".
        raise refusal(RefusalCode.PDF_BROKEN, detail=f"{type(exc).__name__}: {exc}"[:500]) from exc
    if page_count < 1:
        raise refusal(RefusalCode.PDF_BROKEN, detail="no pages")
    if page_count > limits.max_pdf_pages:
        raise refusal(
            RefusalCode.TOO_MANY_PAGES, limit=limits.max_pdf_pages, detail=f"{page_count} pages"
        )
    for code in _PDF_PRIORITY:
        if code in findings:
            raise refusal(code, detail=findings[code])
    return page_count


def _declared_page_count(reader: PdfReader) -> int:
    root = reader.trailer.get("/Root")
    pages = root.get_object().get("/Pages") if root is not None else None
    count = pages.get_object().get("/Count") if pages is not None else None
    return int(count) if isinstance(count, NumberObject) else 0


class _Tally:
    """Running totals of the costs that a viewer (or our preview) would pay for a PDF."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.decompressed = 0
        self.pixels = 0


def _active_content(reader: PdfReader, limits: Limits, budget: Budget) -> dict[RefusalCode, str]:
    """Walk every object of the file and report active content and decompression bombs.

    The walk starts at the trailer and at every entry of the cross-reference table, so objects
    that nothing references (and that a lenient viewer's repair may still find) are inspected
    too. Walking the parsed object graph (rather than grepping the bytes) also sees dictionaries
    inside compressed object streams and avoids false alarms from "/JS" occurring by chance in
    compressed page content. Stream data is decompressed only to count its size, with a cap.
    """
    findings: dict[RefusalCode, str] = {}
    tally = _Tally(limits)
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [reader.trailer]
    loose: list[IndirectObject] = [
        IndirectObject(idnum, generation, reader)
        for generation, entries in reader.xref.items()
        for idnum in entries
    ] + [IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm]
    steps = 0
    while stack or loose:
        steps += 1
        if steps % 1000 == 0:
            budget.check()
        if not stack:
            reference = loose.pop()
            if (reference.idnum, reference.generation) in seen:
                continue
            try:
                resolved = reference.get_object()
            except Exception:  # an unreadable loose object is never shown either
                seen.add((reference.idnum, reference.generation))
                continue
            stack.append(reference)
            continue
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > MAX_PDF_OBJECTS:
                raise refusal(RefusalCode.PDF_TOO_COMPLEX, detail=f"> {MAX_PDF_OBJECTS} objects")
            resolved = obj.get_object()
            if resolved is not None:
                stack.append(resolved)
            continue
        if isinstance(obj, DictionaryObject):
            for code, why in _dictionary_findings(obj):
                findings.setdefault(code, why)
            if isinstance(obj, EncodedStreamObject):
                _count_stream(obj, tally, budget)
            # dict.values: DictionaryObject.__getitem__ would resolve references eagerly and
            # bypass the ``seen`` bookkeeping that stops reference cycles.
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return findings


def _dictionary_findings(obj: DictionaryObject) -> Iterator[tuple[RefusalCode, str]]:
    keys = set(dict.keys(obj))
    action_type = _name(obj, "/S")
    subtype = _name(obj, "/Subtype")
    if keys & _JS_KEYS or action_type == "/JavaScript":
        yield RefusalCode.PDF_JAVASCRIPT, "JavaScript action or /JavaScript name tree"
    if action_type == "/Launch" or "/Launch" in keys:
        yield RefusalCode.PDF_LAUNCH_ACTION, "/Launch action"
    if keys & _EMBEDDED_KEYS or subtype == "/FileAttachment" or action_type == "/GoToE":
        yield RefusalCode.PDF_EMBEDDED_FILE, "embedded file or file attachment annotation"
    if _name(obj, "/Type") == "/EmbeddedFile":
        yield RefusalCode.PDF_EMBEDDED_FILE, "/EmbeddedFile stream"
    if action_type in _ACTIVE_ACTIONS:
        yield RefusalCode.PDF_ACTIVE_CONTENT, f"{action_type} action"
    if subtype in _ACTIVE_SUBTYPES or _name(obj, "/Type") == "/3D":
        yield RefusalCode.PDF_ACTIVE_CONTENT, f"{subtype} annotation or stream"
    found = keys & _ACTIVE_KEYS
    if found:
        yield RefusalCode.PDF_ACTIVE_CONTENT, f"{sorted(found)[0]} entry"
    # A link the reader clicks (an annotation's /A) may go to the web; an address opened without
    # a click, when the document or a page opens (/OpenAction, /AA), is a tracking beacon.
    for key in ("/OpenAction", "/AA"):
        if key in keys and _opens_uri(dict.get(obj, key), key == "/AA"):
            yield RefusalCode.PDF_ACTIVE_CONTENT, f"/URI action in {key}"


def _opens_uri(value: object, is_trigger_dict: bool, depth: int = 0) -> bool:
    if depth > 16:
        return False
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, ArrayObject):  # a /Next chain may be an array of actions
        return any(_opens_uri(item, False, depth + 1) for item in list.__iter__(value))
    if not isinstance(value, DictionaryObject):
        return False
    if is_trigger_dict:  # /AA maps triggers (/O, /C, /PO ...) to actions
        return any(_opens_uri(action, False, depth + 1) for action in dict.values(value))
    if _name(value, "/S") == "/URI":
        return True
    return _opens_uri(dict.get(value, "/Next"), False, depth + 1)


def _name(obj: DictionaryObject, key: str) -> str | None:
    value = dict.get(obj, key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else None


_STREAM_PIECE: Final = 1024 * 1024


def _count_stream(stream: EncodedStreamObject, tally: _Tally, budget: Budget) -> None:
    """Add what a stream decodes to, in bounded pieces, without keeping the decoded bytes."""
    limits = tally.limits
    if _name(stream, "/Subtype") == "/Image":
        width, height = dict.get(stream, "/Width"), dict.get(stream, "/Height")
        if isinstance(width, IndirectObject):
            width = width.get_object()
        if isinstance(height, IndirectObject):
            height = height.get_object()
        if isinstance(width, NumberObject) and isinstance(height, NumberObject):
            pixels = int(width) * int(height)
            if pixels > limits.max_pixels or tally.pixels + pixels > limits.max_total_pixels:
                raise refusal(
                    RefusalCode.PDF_TOO_COMPLEX,
                    detail=f"image {int(width)}x{int(height)}, {tally.pixels} pixels before",
                )
            tally.pixels += pixels
    filters = dict.get(stream, "/Filter")
    if isinstance(filters, IndirectObject):
        filters = filters.get_object()
    first = filters[0] if isinstance(filters, ArrayObject) and filters else filters
    if str(first) not in ("/FlateDecode", "/Fl"):
        return
    # The raw bytes: get_data() would decode the whole stream without a cap.
    raw = stream._data
    decompressor = zlib.decompressobj()
    view = memoryview(raw)
    position = 0
    pending = b""
    while True:
        if pending:
            chunk = decompressor.decompress(pending, _STREAM_PIECE)
        elif position < len(view):
            chunk = decompressor.decompress(
                view[position : position + _STREAM_PIECE], _STREAM_PIECE
            )
            position += _STREAM_PIECE
        else:
            break
        pending = decompressor.unconsumed_tail
        tally.decompressed += len(chunk)
        if tally.decompressed > limits.max_decompressed_bytes:
            raise refusal(
                RefusalCode.PDF_TOO_COMPLEX,
                detail=f"streams decompress to > {limits.max_decompressed_bytes} bytes",
            )
        budget.check()
        if decompressor.eof:
            break
        if not chunk and not pending and position >= len(view):
            break


# --- Images ------------------------------------------------------------------------------------

# How the clean copy of each kind is written (ADR 0017). JPEG at quality 95 keeps scans legible
# (the loss of one re-encoding is below what a phone camera already did); PNG and TIFF are
# lossless; TIFF keeps every page. PNG at zlib level 1: an A4 scan at 300 dpi takes 0.28 s of CPU
# instead of 1.35 s at the default level 6, for a file about 15 % larger.
_SAVE: Final[dict[FileKind, dict[str, object]]] = {
    FileKind.JPEG: {"quality": 95, "subsampling": 0},
    FileKind.PNG: {"compress_level": 1},
    FileKind.TIFF: {"compression": "tiff_lzw"},
}
_MODES: Final[dict[FileKind, frozenset[str]]] = {
    FileKind.JPEG: frozenset({"L", "RGB", "CMYK"}),
    FileKind.PNG: frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I"}),
    FileKind.TIFF: frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16"}),
}


def _check_image(data: bytes, kind: FileKind, limits: Limits, budget: Budget) -> tuple[int, bytes]:
    """Check the image and return its page count and a clean copy made of its pixels only."""
    # Pillow's own bomb guard (Image.MAX_IMAGE_PIXELS) is process-global and only warns between
    # 1x and 2x its limit; the size is checked here per frame before any pixel is decoded.
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Someone switched Pillow to silently pad truncated images; the check below would then
        # accept half a scan.
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            _check_pixels(probe.size, limits.max_pixels)
            # verify() checks structure (e.g. PNG chunk CRCs) without decoding; it leaves the
            # image unusable, hence the second open for the full decode.
            probe.verify()
        budget.check()
        with Image.open(io.BytesIO(data)) as image:
            if image.format != _PIL_FORMAT[kind]:
                raise refusal(
                    RefusalCode.IMAGE_BROKEN, detail=f"Pillow reads {image.format}, not {kind}"
                )
            frames = _count_frames(image, kind, limits, budget)
            clean: list[Image.Image] = []
            for frame in range(frames):
                budget.check()
                image.seek(frame)
                image.load()
                clean.append(_clean_frame(image, kind))
            budget.check()
            dpi = image.info.get("dpi")
            stored = _encode(clean, kind, dpi)
    except UploadRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise refusal(RefusalCode.IMAGE_TOO_LARGE, detail=str(exc)) from exc
    except Exception as exc:
        raise refusal(
            RefusalCode.IMAGE_BROKEN, detail=f"{type(exc).__name__}: {exc}"[:500]
        ) from exc
    return frames, stored


def _count_frames(image: Image.Image, kind: FileKind, limits: Limits, budget: Budget) -> int:
    """Frames and their pixels from the headers alone, before any frame is decoded.

    ``n_frames`` would walk every frame's header of a TIFF however many there are; seeking one
    frame at a time stops at the cap.
    """
    if kind is not FileKind.TIFF:
        _check_pixels(image.size, limits.max_pixels)
        return 1
    total = 0
    for frame in itertools.count():
        if frame % 16 == 0:
            budget.check()
        try:
            image.seek(frame)
        except EOFError:
            image.seek(0)
            return frame
        if frame >= limits.max_frames:
            raise refusal(
                RefusalCode.TOO_MANY_PAGES,
                limit=limits.max_frames,
                detail=f"more than {limits.max_frames} TIFF frames",
            )
        _check_pixels(image.size, limits.max_pixels)
        total += image.size[0] * image.size[1]
        if total > limits.max_total_pixels:
            raise refusal(
                RefusalCode.IMAGE_TOO_LARGE,
                detail=f"{total} pixels in {frame + 1} frames > {limits.max_total_pixels}",
            )
    raise AssertionError("unreachable")  # pragma: no cover


def _clean_frame(image: Image.Image, kind: FileKind) -> Image.Image:
    # Turned upright by its EXIF orientation first: the clean copy carries no EXIF, and a phone
    # photo of a passport must not come out sideways.
    frame = ImageOps.exif_transpose(image) or image.copy()
    if frame.mode not in _MODES[kind]:
        frame = frame.convert("RGBA" if "A" in frame.mode and kind is not FileKind.JPEG else "RGB")
    # Pillow writes comments, EXIF, XMP and ICC profiles from ``info`` back out on save; any of
    # them can carry a second file.
    frame.info = {}
    return frame


def _encode(frames: list[Image.Image], kind: FileKind, dpi: object) -> bytes:
    buffer = io.BytesIO()
    params: dict[str, object] = dict(_SAVE[kind])
    if isinstance(dpi, tuple) and len(dpi) == 2:
        params["dpi"] = (round(float(dpi[0])), round(float(dpi[1])))
    if kind is FileKind.TIFF and len(frames) > 1:
        params.update(save_all=True, append_images=frames[1:])
    frames[0].save(buffer, _PIL_FORMAT[kind], **params)
    return buffer.getvalue()


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise refusal(RefusalCode.IMAGE_BROKEN, detail=f"size {width}x{height}")
    if width * height > max_pixels:
        raise refusal(RefusalCode.IMAGE_TOO_LARGE, detail=f"{width}x{height} > {max_pixels} pixels")


# --- ClamAV ------------------------------------------------------------------------------------


def scan_with_clamav(
    data: bytes,
    *,
    host: str | None = None,
    port: int | None = None,
    socket_path: str | None = None,
    timeout: float = 30.0,
) -> None:
    """Scan ``data`` with a running clamd through its INSTREAM command (clamav-client, ADR 0017).

    Give either ``host`` and ``port`` (TCP) or ``socket_path`` (Unix socket). Returns when the
    file is clean; raises :class:`UploadRefused` with ``infected`` or, when the daemon cannot give
    a verdict (down, timeout, size limit, protocol error), ``scanner_unavailable`` -- an unscanned
    file is never treated as clean. clamd's ``StreamMaxLength`` (default 25 MB) must be at least
    the upload limit.
    """
    client: ClamdNetworkSocket
    if socket_path is not None and host is None and port is None:
        client = ClamdUnixSocket(path=socket_path, timeout=timeout)  # type: ignore[arg-type]
    elif socket_path is None and host is not None and port is not None:
        client = ClamdNetworkSocket(host=host, port=port, timeout=timeout)
    else:
        # A configuration mistake, not an unavailable scanner: raised as ValueError so that it
        # is not mistaken for a transient outage.
        raise ValueError("give either host and port or socket_path to scan_with_clamav")
    try:
        results = client.instream(io.BytesIO(data))
    except (ClamdError, OSError, ValueError, UnicodeDecodeError) as exc:
        # OSError: refused, reset, timeout, or a broken pipe while sending (clamd hangs up once
        # the stream exceeds StreamMaxLength). Nothing of these is a verdict.
        raise refusal(
            RefusalCode.SCANNER_UNAVAILABLE, detail=f"{type(exc).__name__}: {exc}"[:500]
        ) from exc
    status, reason = results.get("stream", ("", None))
    if status == "FOUND":
        raise refusal(RefusalCode.INFECTED, detail=f"clamd: {reason}")
    if status != "OK":
        raise refusal(RefusalCode.SCANNER_UNAVAILABLE, detail=f"clamd replied {results!r}")
