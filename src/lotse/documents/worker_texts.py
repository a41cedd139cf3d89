"""The worker's languages and the texts the worker sees beyond templates.

The worker is the one party without an account and often without German or English, so the
worker's page and mails speak six languages while the staff interface speaks German and English.
The catalogues for French, Spanish, Turkish and Arabic hold only the strings the worker sees
(``tests/test_translations.py`` renders the page and the mails in each and finds every string
looked up there translated); ``make messages`` extracts German only, so staff strings never land
in them.

No import of other Lotse apps here: notifications renders the worker's mails with these texts.
"""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (code, the language's own name): the switch names each language in itself, so a worker who
# reads none of the others still finds theirs.
WORKER_LANGUAGES: Final[tuple[tuple[str, str], ...]] = (
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
)
WORKER_LANGUAGE_CODES: Final = frozenset(code for code, _name in WORKER_LANGUAGES)
DEFAULT_WORKER_LANGUAGE: Final = "en"

# Checklist items carry German and English labels (rules data); in the worker's other languages
# the page and the mails name them with these.
DOCUMENT_TITLES: Final[dict[str, Promise]] = {
    "passport": _("Passport (colour copy of the data page)"),
    "power_of_attorney": _("Power of attorney from the worker to the employer"),
    "cv": _("CV in tabular form, in German"),
    "qualification_certificate": _("Qualification certificate / diploma"),
    "transcript": _("Transcript of subjects and grades"),
    "work_experience_proof": _("Proof of work experience (references, employer letters)"),
    "further_qualifications": _("Other proof of competence (further training, courses)"),
    "language_certificate": _("German language certificate"),
    "eu_residence_permit": _("Residence permit of another EU state (colour copy)"),
    "no_prior_application_declaration": _(
        "Declaration that no recognition application has been made before"
    ),
    "recognition_application": _(
        "Application for an equivalence assessment (naming the reference occupation)"
    ),
    "pension_provision_proof": _("Proof of adequate old-age provision"),
    "parental_consent": _("Parental consent"),
}

# Why an upload was refused, for the worker's languages beyond German and English (the upload
# check itself is framework-free and speaks those two; see lotse.filecheck.uploads).
REFUSALS: Final[dict[str, Promise]] = {
    "empty": _("The file is empty (0 bytes). Please choose the right file."),
    "too_large": _(
        "The file is too large. Please scan at a lower resolution (300 dpi is enough) or split "
        "the document."
    ),
    "extension_not_allowed": _(
        "This file type is not accepted. Accepted are PDF, JPEG, PNG and TIFF."
    ),
    "content_not_allowed": _(
        "The content of the file is not a PDF or image document. Accepted are PDF, JPEG, PNG and "
        "TIFF."
    ),
    "content_mismatch": _(
        "The file name and the content do not match. Please upload the file with the right "
        "extension."
    ),
    "declared_type_mismatch": _(
        "The file type reported by the browser does not match the content of the file. Please "
        "upload the file again."
    ),
    "pdf_broken": _("The PDF file is damaged or incomplete and cannot be read."),
    "pdf_encrypted": _(
        "The PDF file is protected by a password. The authority must be able to open it without "
        "a password."
    ),
    "pdf_javascript": _(
        "The PDF file contains program code (JavaScript). For security reasons it is not accepted."
    ),
    "pdf_launch_action": _(
        "The PDF file tries to start other programs. For security reasons it is not accepted."
    ),
    "pdf_embedded_file": _(
        "The PDF file contains attached files. Please upload each document on its own."
    ),
    "pdf_too_complex": _(
        "The PDF file is too complex to be checked safely. Please split the document or save it "
        "again."
    ),
    "image_broken": _(
        "The image is damaged or incomplete. Please scan or photograph the document again."
    ),
    "image_too_large": _(
        "The image has too many pixels. Please scan at 300 dpi or reduce the image size."
    ),
    "infected": _(
        "The virus scanner found malware in the file. The file was not stored. Please upload a "
        "clean copy."
    ),
    "scanner_unavailable": _(
        "The file could not be checked for viruses right now. Please try again in a few minutes."
    ),
}
_REFUSED: Final = _("The file was not accepted. Please upload it again as PDF, JPEG, PNG or TIFF.")


def worker_language(code: str | None) -> str:
    """``code`` if the worker's page speaks it, else English."""
    return code if code in WORKER_LANGUAGE_CODES else DEFAULT_WORKER_LANGUAGE


def bilingual_only(language: str) -> bool:
    """German and English: the languages the rules data and the upload check speak themselves."""
    return language[:2] in ("de", "en")


def document_title(code: str, label_de: str, label_en: str, language: str) -> str:
    """A checklist item's name in ``language`` (German and English from the rules data)."""
    if language.startswith("de"):
        return label_de
    if language.startswith("en") or code not in DOCUMENT_TITLES:
        return label_en
    return str(DOCUMENT_TITLES[code])


def refusal_text(code: str, message_de: str, message_en: str, language: str) -> str:
    """Why an upload was refused, in ``language`` (call with that language active)."""
    if language.startswith("de"):
        return message_de
    if language.startswith("en"):
        return message_en
    return str(REFUSALS.get(code, _REFUSED))
