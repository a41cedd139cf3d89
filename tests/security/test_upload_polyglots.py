"""Issue #11, uploads: polyglots are refused (PDF) or stored only as a clean re-encoding (images).

ADR 0017 says why: PDFs are refused because rebuilding one would break its signature; images are
re-encoded because phones append data after the JPEG end marker as a matter of course.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from lotse.filecheck.uploads import RefusalCode, UploadRefused, check_upload

from .upload_corpus import (
    HTML,
    clean_pdf,
    jpeg_image,
    jpeg_with_segment,
    pdf_then,
    png_image,
    zip_archive,
)


@pytest.mark.parametrize(
    "trailing",
    [zip_archive(), HTML, b"\n" + HTML, b"%%EOF\n" + HTML[:20], b"\x00" * 8 + b"PK\x03\x04"],
    ids=["zip", "html", "newline_then_html", "second_eof_then_html", "nul_then_zip"],
)
def test_data_after_the_pdfs_end_is_refused(trailing: bytes) -> None:
    with pytest.raises(UploadRefused) as caught:
        check_upload(pdf_then(trailing), filename="a.pdf", declared_type="application/pdf")
    assert caught.value.code == RefusalCode.PDF_TRAILING_DATA


@pytest.mark.parametrize("trailing", [b"", b"\r\n", b"\n\n", b"\x00\x00\x00", b" \r\n"])
def test_line_ends_and_padding_after_the_pdfs_end_are_fine(trailing: bytes) -> None:
    data = pdf_then(trailing)
    checked = check_upload(data, filename="a.pdf", declared_type="application/pdf")
    assert checked.data == data  # a PDF is stored as it came (its signature stays valid)


def _pixels(data: bytes) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format or "", image.size


@pytest.mark.parametrize(
    ("name", "filename", "data", "hidden"),
    [
        ("zip_after_png", "scan.png", png_image() + zip_archive(), b"PK\x03\x04"),
        ("html_after_jpeg_eoi", "pass.jpg", jpeg_image() + HTML, b"<script>"),
        ("html_in_jpeg_comment", "pass.jpg", jpeg_image(comment=HTML), b"<script>"),
        ("html_in_jpeg_app_segment", "pass.jpg", jpeg_with_segment(0xE9, HTML), b"<script>"),
        ("zip_in_jpeg_comment", "pass.jpg", jpeg_with_segment(0xFE, zip_archive()), b"PK\x03\x04"),
    ],
    ids=lambda v: v if isinstance(v, str) and not v.endswith(("png", "jpg")) else "",
)
def test_an_image_polyglot_is_stored_only_as_its_clean_pixels(
    name: str, filename: str, data: bytes, hidden: bytes
) -> None:
    assert hidden in data
    checked = check_upload(data, filename=filename, declared_type=None)
    assert checked.reencoded
    assert hidden not in checked.data
    assert b"<html" not in checked.data
    assert _pixels(checked.data) == _pixels(data)


def test_a_clean_pdf_is_stored_byte_for_byte() -> None:
    data = clean_pdf()
    assert check_upload(data, filename="a.pdf", declared_type=None).data == data


def test_an_upright_copy_is_stored_for_a_rotated_phone_photo() -> None:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG", exif=exif)
    checked = check_upload(buffer.getvalue(), filename="pass.jpg", declared_type=None)
    assert _pixels(checked.data) == ("JPEG", (30, 40))
    with Image.open(io.BytesIO(checked.data)) as stored:
        assert 0x0112 not in stored.getexif()
