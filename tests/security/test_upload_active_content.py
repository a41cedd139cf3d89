"""Issue #11, uploads: active content in PDFs is refused wherever it hides."""

from __future__ import annotations

import pytest

from lotse.filecheck.uploads import UploadRefused, check_upload

from .upload_corpus import PdfSample, active_pdfs

SAMPLES = active_pdfs()


@pytest.mark.parametrize(
    "sample", [s for s in SAMPLES if s.expected is not None], ids=lambda s: s.name
)
def test_active_content_is_refused(sample: PdfSample) -> None:
    with pytest.raises(UploadRefused) as caught:
        check_upload(sample.build(), filename="vertrag.pdf", declared_type="application/pdf")
    assert caught.value.code == sample.expected
    assert "Sicherheitsgründen" in caught.value.message_de or "Datei" in caught.value.message_de


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.expected is None], ids=lambda s: s.name)
def test_ordinary_links_stay_accepted(sample: PdfSample) -> None:
    checked = check_upload(sample.build(), filename="cv.pdf", declared_type="application/pdf")
    assert checked.page_count == 1
