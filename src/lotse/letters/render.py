"""PDF letters from Django templates with WeasyPrint.

Letters are German documents for German authorities whatever language the person who prints
them uses, so rendering always activates German. Fonts are the system's Liberation/DejaVu (both
carry umlauts, ß, § and the en dash); nothing is fetched over the network.
"""

from __future__ import annotations

import logging
from typing import Any

import weasyprint.images  # noqa: F401 -- imported for its side effect, undone below
from django.template.loader import render_to_string
from django.utils import translation
from PIL import ImageFile
from weasyprint import HTML

# weasyprint.images sets PIL's process-wide LOAD_TRUNCATED_IMAGES to True at import, which would
# make Pillow accept half an uploaded scan (lotse.filecheck refuses to run then). Letters embed no
# images, so the default is restored.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# WeasyPrint logs every layout step at INFO; one letter would fill a page of the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(template_name: str, context: dict[str, Any]) -> str:
    with translation.override("de"):
        return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render ``template_name`` (extending ``letters/base.html``) to PDF bytes."""
    html = render_html(template_name, context)
    # No base_url: a letter references no file or URL, so WeasyPrint never fetches anything.
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
