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
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import Final

import magic
from PIL import Image, ImageFile
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "MAX_PDF_OBJECTS",
    "CheckedFile",
    "FileKind",
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
# Multi-page TIFFs are scans of documents; more frames than this is not a document but an attack
# on the decoder (each frame is decoded in turn).
MAX_TIFF_FRAMES: Final = 500
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
    code: RefusalCode, *, detail: str = "", max_bytes: int = 0, kind: FileKind | None = None
) -> UploadRefused:
    """Build the refusal for ``code`` with its bilingual message."""
    de, en = _MESSAGES[code]
    # Rounded up so that "larger than 20 MB" is never shown for a 20.4 MB limit.
    max_mb = -(-max_bytes // (1024 * 1024))
    kind_de, kind_en = _KIND_LABEL[kind] if kind is not None else ("", "")
    return UploadRefused(
        code.value,
        de.format(max_mb=max_mb, kind=kind_de),
        en.format(max_mb=max_mb, kind=kind_en),
        detail=detail,
    )


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """An upload that passed every check; the metadata is what gets stored next to it."""

    kind: FileKind
    mime_type: str
    size: int
    sha256: str
    page_count: int


def check_upload(
    data: bytes,
    *,
    filename: str,
    declared_type: str | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> CheckedFile:
    """Check an upload completely or raise :class:`UploadRefused` with the first problem found.

    ``declared_type`` is the ``Content-Type`` the client sent for the file part (``None`` or
    ``application/octet-stream`` when it did not know). The virus scan is separate
    (:func:`scan_with_clamav`) because it needs a configured daemon.
    """
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
        page_count = _check_pdf(data)
    else:
        page_count = _check_image(data, kind, max_pixels=max_pixels)

    return CheckedFile(
        kind=kind,
        mime_type=_MIME_BY_KIND[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=page_count,
    )


# --- PDF ---------------------------------------------------------------------------------------

_JS_KEYS: Final = frozenset({"/JS", "/JavaScript"})
_EMBEDDED_KEYS: Final = frozenset({"/EmbeddedFiles", "/EmbeddedFile", "/EF"})
# Checked in this order when a file has several problems, so the refusal names the most
# dangerous one.
_PDF_PRIORITY: Final = (
    RefusalCode.PDF_LAUNCH_ACTION,
    RefusalCode.PDF_JAVASCRIPT,
    RefusalCode.PDF_EMBEDDED_FILE,
)


def _check_pdf(data: bytes) -> int:
    # libmagic also says application/pdf when "%PDF-" appears anywhere near the start (an HTML
    # page quoting it, a polyglot). Viewers disagree on how much junk they skip before the header,
    # so only a file that *starts* as a PDF is one.
    if not data.startswith(b"%PDF-"):
        raise refusal(RefusalCode.PDF_BROKEN, detail="no %PDF- header at offset 0")
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        # Asked before touching the catalogue: reading /Root of an encrypted file raises
        # FileNotDecryptedError, which would otherwise look like a broken file.
        if reader.is_encrypted:
            raise refusal(RefusalCode.PDF_ENCRYPTED)
        # The walk is bounded by MAX_PDF_OBJECTS, so it runs first; counting pages flattens the
        # page tree, which is unbounded on a hostile file.
        findings = _active_content(reader)
        page_count = len(reader.pages)
    except UploadRefused:
        raise
    except Exception as exc:
        # Untrusted input can drive a pure-Python parser into any exception type (KeyError,
        # ValueError, RecursionError, zlib.error ...); all of them mean "cannot be read safely".
        raise refusal(RefusalCode.PDF_BROKEN, detail=f"{type(exc).__name__}: {exc}"[:500]) from exc
    if page_count < 1:
        raise refusal(RefusalCode.PDF_BROKEN, detail="no pages")
    for code in _PDF_PRIORITY:
        if code in findings:
            raise refusal(code, detail=findings[code])
    return page_count


def _active_content(reader: PdfReader) -> dict[RefusalCode, str]:
    """Walk every object reachable from the trailer and report active content.

    Walking the parsed object graph (rather than grepping the bytes) also sees dictionaries
    inside compressed object streams and avoids false alarms from "/JS" occurring by chance in
    compressed page content. Objects that nothing references are never executed by a viewer
    and are not visited. Stream *data* is not decoded; only stream dictionaries are inspected.
    """
    findings: dict[RefusalCode, str] = {}
    seen: set[tuple[int, int]] = set()
    stack: list[PdfObject] = [reader.trailer]
    while stack:
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


def _name(obj: DictionaryObject, key: str) -> str | None:
    value = dict.get(obj, key)
    if isinstance(value, IndirectObject):
        value = value.get_object()
    return str(value) if isinstance(value, NameObject) else None


# --- Images ------------------------------------------------------------------------------------


def _check_image(data: bytes, kind: FileKind, *, max_pixels: int) -> int:
    # Pillow's own bomb guard (Image.MAX_IMAGE_PIXELS) is process-global and only warns between
    # 1x and 2x its limit; the size is checked here per frame before any pixel is decoded.
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Someone switched Pillow to silently pad truncated images; the check below would then
        # accept half a scan.
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay False")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            _check_pixels(probe.size, max_pixels)
            # verify() checks structure (e.g. PNG chunk CRCs) without decoding; it leaves the
            # image unusable, hence the second open for the full decode.
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.format != _PIL_FORMAT[kind]:
                raise refusal(
                    RefusalCode.IMAGE_BROKEN, detail=f"Pillow reads {image.format}, not {kind}"
                )
            frames = int(getattr(image, "n_frames", 1)) if kind is FileKind.TIFF else 1
            if frames > MAX_TIFF_FRAMES:
                raise refusal(RefusalCode.IMAGE_TOO_LARGE, detail=f"{frames} TIFF frames")
            for frame in range(frames):
                image.seek(frame)
                _check_pixels(image.size, max_pixels)
                image.load()
    except UploadRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise refusal(RefusalCode.IMAGE_TOO_LARGE, detail=str(exc)) from exc
    except Exception as exc:
        raise refusal(
            RefusalCode.IMAGE_BROKEN, detail=f"{type(exc).__name__}: {exc}"[:500]
        ) from exc
    return frames


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise refusal(RefusalCode.IMAGE_BROKEN, detail=f"size {width}x{height}")
    if width * height > max_pixels:
        raise refusal(RefusalCode.IMAGE_TOO_LARGE, detail=f"{width}x{height} > {max_pixels} pixels")


# --- ClamAV ------------------------------------------------------------------------------------

_CLAMD_CHUNK: Final = 64 * 1024


def scan_with_clamav(
    data: bytes,
    *,
    host: str | None = None,
    port: int | None = None,
    socket_path: str | None = None,
    timeout: float = 30.0,
) -> None:
    """Scan ``data`` with a running clamd through its INSTREAM command.

    Give either ``host`` and ``port`` (TCP) or ``socket_path`` (Unix socket). Returns when the
    file is clean; raises :class:`UploadRefused` with ``infected`` or, when the daemon cannot give
    a verdict (down, timeout, size limit, protocol error), ``scanner_unavailable`` -- an unscanned
    file is never treated as clean. clamd's ``StreamMaxLength`` (default 25 MB) must be at least
    the upload limit.
    """
    try:
        with _connect(host, port, socket_path, timeout) as sock:
            reply = _instream(sock, data)
    except OSError as exc:  # refused, reset, timeout (socket.timeout is an OSError)
        raise refusal(
            RefusalCode.SCANNER_UNAVAILABLE, detail=f"{type(exc).__name__}: {exc}"
        ) from exc

    # Replies: "stream: OK", "stream: <signature> FOUND", "<message> ERROR".
    if reply.endswith(" FOUND"):
        signature = reply.removeprefix("stream:").removesuffix(" FOUND").strip()
        raise refusal(RefusalCode.INFECTED, detail=f"clamd: {signature}")
    if reply != "stream: OK":
        raise refusal(RefusalCode.SCANNER_UNAVAILABLE, detail=f"clamd replied {reply!r}")


def _connect(
    host: str | None, port: int | None, socket_path: str | None, timeout: float
) -> socket.socket:
    if socket_path is not None and host is None and port is None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(socket_path)
        except OSError:
            sock.close()
            raise
        return sock
    if socket_path is None and host is not None and port is not None:
        return socket.create_connection((host, port), timeout=timeout)
    # A configuration mistake, not an unavailable scanner: raised as ValueError so that it is
    # not mistaken for a transient outage.
    raise ValueError("give either host and port or socket_path to scan_with_clamav")


def _instream(sock: socket.socket, data: bytes) -> str:
    # The "z" prefix asks for NUL-terminated replies, which tells us where the reply ends.
    sock.sendall(b"zINSTREAM\0")
    view = memoryview(data)
    try:
        for start in range(0, len(view), _CLAMD_CHUNK):
            chunk = view[start : start + _CLAMD_CHUNK]
            sock.sendall(struct.pack("!I", len(chunk)) + chunk)
        sock.sendall(struct.pack("!I", 0))
    except (BrokenPipeError, ConnectionResetError):
        # clamd closes the connection once the stream exceeds StreamMaxLength, after writing
        # its "size limit exceeded" reply; read that instead of reporting a bare broken pipe.
        pass
    reply = bytearray()
    while not reply.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            break
        reply += part
        if len(reply) > 64 * 1024:
            break
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()
