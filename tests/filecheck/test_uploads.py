from __future__ import annotations

import hashlib

import pytest
from PIL import ImageFile

from lotse.filecheck import uploads
from lotse.filecheck.uploads import (
    CheckedFile,
    FileKind,
    RefusalCode,
    UploadRefused,
    check_upload,
    refusal,
)

from .corpus import Sample, png_bomb, samples, scan_pdf

SAMPLES = samples()
GOOD = [s for s in SAMPLES if s.expected is None]
BAD = [s for s in SAMPLES if s.expected is not None]


def _check(sample: Sample, data: bytes) -> CheckedFile:
    return check_upload(
        data,
        filename=sample.filename,
        declared_type=sample.declared_type,
        max_bytes=sample.max_bytes,
    )


# Pillow warns on opening the 144-megapixel PNG before our own limit refuses it.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("sample", BAD, ids=lambda s: s.name)
def test_bad_file_is_refused_with_its_code(sample: Sample) -> None:
    with pytest.raises(UploadRefused) as caught:
        _check(sample, sample.build())
    assert caught.value.code == sample.expected
    assert caught.value.message_de
    assert caught.value.message_en
    assert caught.value.message_de != caught.value.message_en


@pytest.mark.parametrize("sample", GOOD, ids=lambda s: s.name)
def test_good_file_is_accepted_with_its_metadata(sample: Sample) -> None:
    data = sample.build()
    checked = _check(sample, data)
    # What is stored: the PDF as uploaded, an image as a fresh encoding of its pixels.
    assert checked.data == data or checked.reencoded
    assert checked.size == len(checked.data)
    assert checked.sha256 == hashlib.sha256(checked.data).hexdigest()
    assert checked.page_count == sample.pages


def test_every_refusal_code_is_in_the_corpus_except_the_scanner_ones() -> None:
    covered = {s.expected for s in BAD}
    elsewhere = {
        RefusalCode.INFECTED,
        RefusalCode.SCANNER_UNAVAILABLE,
        RefusalCode.PDF_TOO_COMPLEX,
        # The corpus of issue #11 in tests/security/ covers these.
        RefusalCode.PDF_ACTIVE_CONTENT,
        RefusalCode.PDF_TRAILING_DATA,
        RefusalCode.TOO_MANY_PAGES,
        RefusalCode.CHECK_TIME_EXCEEDED,
    }
    assert covered | elsewhere == set(RefusalCode)


def test_a_pdf_with_too_many_objects_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = scan_pdf(4)  # 4 pages: catalog, info, page tree, 4 x (page, content, image)
    assert check_upload(data, filename="a.pdf", declared_type=None).page_count == 4
    monkeypatch.setattr(uploads, "MAX_PDF_OBJECTS", 8)
    with pytest.raises(UploadRefused) as caught:
        check_upload(data, filename="a.pdf", declared_type=None)
    assert caught.value.code == RefusalCode.PDF_TOO_COMPLEX


@pytest.mark.parametrize("code", list(RefusalCode))
def test_every_code_has_a_german_and_an_english_message(code: RefusalCode) -> None:
    refused = refusal(code, max_bytes=20 * 1024 * 1024, kind=FileKind.PNG)
    assert refused.code == code.value
    assert "{" not in refused.message_de + refused.message_en
    assert refused.message("de-DE") == refused.message_de
    assert refused.message("en") == refused.message_en


def test_kinds_and_mime_types_of_the_good_files() -> None:
    found = {s.name: _check(s, s.build()) for s in GOOD}
    assert (found["pdf"].kind, found["pdf"].mime_type) == (FileKind.PDF, "application/pdf")
    assert (found["jpeg"].kind, found["jpeg"].mime_type) == (FileKind.JPEG, "image/jpeg")
    assert (found["png"].kind, found["png"].mime_type) == (FileKind.PNG, "image/png")
    assert (found["tiff"].kind, found["tiff"].mime_type) == (FileKind.TIFF, "image/tiff")


def test_the_size_limit_message_names_the_limit_in_mb() -> None:
    with pytest.raises(UploadRefused) as caught:
        check_upload(b"%PDF-" + b"x" * 100, filename="a.pdf", declared_type=None, max_bytes=10)
    assert "1 MB" in caught.value.message_en

    with pytest.raises(UploadRefused) as caught:
        check_upload(b"x" * 11, filename="a.pdf", declared_type=None, max_bytes=5 * 1024 * 1024)
    assert caught.value.code != RefusalCode.TOO_LARGE  # 11 bytes are within 5 MB


def test_a_file_exactly_at_the_limit_is_accepted() -> None:
    data = scan_pdf(1)
    assert check_upload(data, filename="a.pdf", declared_type=None, max_bytes=len(data))


@pytest.mark.parametrize(
    "declared",
    [
        "application/pdf",
        "APPLICATION/PDF",
        "application/pdf; charset=binary",
        "application/x-pdf",
        "application/octet-stream",
        "",
        None,
    ],
)
def test_declared_types_accepted_for_a_pdf(declared: str | None) -> None:
    data = scan_pdf(1)
    assert check_upload(data, filename="a.pdf", declared_type=declared).page_count == 1


def test_the_pixel_limit_can_be_set() -> None:
    data = png_bomb(300, 300)
    assert check_upload(data, filename="a.png", declared_type=None, max_pixels=90_000)
    with pytest.raises(UploadRefused) as caught:
        check_upload(data, filename="a.png", declared_type=None, max_pixels=89_999)
    assert caught.value.code == RefusalCode.IMAGE_TOO_LARGE


def test_it_refuses_to_run_when_pillow_pads_truncated_images(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(RuntimeError, match="LOAD_TRUNCATED_IMAGES"):
        check_upload(png_bomb(10, 10), filename="a.png", declared_type=None)


def test_the_refusal_detail_is_for_logs_and_not_in_the_messages() -> None:
    sample = next(s for s in BAD if s.name == "elf_as_pdf")
    with pytest.raises(UploadRefused) as caught:
        _check(sample, sample.build())
    assert "x-executable" in caught.value.detail
    assert "x-executable" not in caught.value.message_en + caught.value.message_de
    assert str(caught.value).startswith("content_not_allowed: ")
