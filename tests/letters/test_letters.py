"""Every letter renders as a valid PDF with the case's names, umlauts, § and page numbers."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

from lotse.letters.context import LetterKind
from lotse.letters.services import letter_render

if TYPE_CHECKING:
    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("kind", list(LetterKind), ids=str)
def test_letter_is_a_valid_pdf_with_names_and_paragraph_signs(kind: LetterKind, case: Case) -> None:
    pdf = letter_render(case=case, kind=kind)
    assert pdf.startswith(b"%PDF-")
    pages, text = _text(pdf)
    assert pages >= 1
    assert "Müller-Lüdenscheid" in text
    assert "Priya Anna" in text
    assert "§" in text
    assert case.reference in text
    assert f"Seite 1 von {pages}" in text
    assert "Weber Maschinenbau GmbH" in text


def test_agreement_has_its_eight_items(case: Case) -> None:
    _, text = _text(letter_render(case=case, kind=LetterKind.VEREINBARUNG))
    for number, heading in enumerate(
        [
            "Kontaktdaten",
            "Bevollmächtigung des Arbeitgebers",
            "Bevollmächtigung der Ausländerbehörde",
            "Hinwirken auf die Mitwirkung",
            "Vorzulegende Nachweise",
            "Abläufe, Beteiligte und Erledigungsfristen",
            "Mitteilungspflicht",
            "Folgen bei Nichteinhalten",
        ],
        start=1,
    ):
        assert f"{number}. {heading}" in text
    assert "§ 82 Abs. 1 Satz 1 AufenthG" in text
    assert "§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG" in text
    assert "Landratsamt Ludwigsburg" in text
    assert "411,00 €" in text
