"""The advisory record as a PDF for the company's file (German, A4, WeasyPrint)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation

from lotse.advice.models import AdvisoryRecord
from lotse.advice.presenters import input_rows, result_view
from lotse.letters.render import render_pdf


def advisory_record_context(record: AdvisoryRecord) -> dict[str, Any]:
    with translation.override("de"):
        return {
            "record": record,
            "view": result_view(record.result, "de"),
            "inputs": input_rows(record.input, "de"),
            "printed_at": timezone.localtime(),
        }


def advisory_record_pdf(record: AdvisoryRecord) -> bytes:
    """Render the record; German whatever the reader's language, like every letter."""
    return render_pdf("advice/record_pdf.html", advisory_record_context(record))


def advisory_record_pdf_name(record: AdvisoryRecord) -> str:
    return f"Beratungsprotokoll-{record.number}.pdf"
