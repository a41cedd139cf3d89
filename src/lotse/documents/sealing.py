"""The sealed file the immigration office receives: one ZIP, immutable once sealed.

Contents::

    index.pdf       every document with type, pages and SHA-256 (German, for the case file)
    manifest.json   case data, checklist, documents with hashes, the rules snapshot
    documents/      the documents themselves, decrypted, named NN_<item>_<file name>

The first seal (number 0) happens when the chamber forwards the case; documents accepted later
travel as numbered supplements (1, 2, …) with the same layout. The ZIP is stored encrypted like
every document; its SHA-256 is recorded so the download can be verified.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.documents.blobs import stored_blob_create, stored_blob_read
from lotse.documents.models import BlobKind, Document, SealedFile
from lotse.documents.selectors import item_statuses, unsealed_documents
from lotse.documents.services import case_concerns
from lotse.letters.context import case_letter_context
from lotse.letters.render import render_pdf
from lotse.rules import documents as rule_documents
from lotse.rules import thresholds
from lotse.rules.quickcheck import ruleset_version

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case

MANIFEST_FORMAT = "lotse-sealed-file/1"
_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
}


def _safe_name(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-.")[:60] or "dokument"


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _person(user: Any) -> str | None:
    return user.full_name if user is not None else None


def _case_data(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "state": case.state,
        "worker": {
            "surname": case.worker_surname,
            "given_names": case.worker_given_names,
            "birth_date": _iso(case.worker_birth_date),
            "birth_place": case.worker_birth_place,
            "nationality": case.worker_nationality,
            "passport_number": case.worker_passport_number,
            "passport_expiry": _iso(case.worker_passport_expiry),
        },
        "job_title": case.job_title,
        "planned_start": _iso(case.planned_start),
        "company": {
            "name": case.company.name,
            "betriebsnummer": case.company.betriebsnummer,
            "street": case.company.street,
            "postcode": case.company.postcode,
            "city": case.company.city,
        },
        "site": {
            "street": case.site.street,
            "postcode": case.site.postcode,
            "municipality": case.site.municipality,
        },
        "chamber": case.chamber.name,
        "advisor": _person(case.advisor),
        "authority": case.authority.name,
        "forwarded_at": _iso(case.forwarded_at),
    }


def _rules_snapshot(case: Case) -> dict[str, Any]:
    return {
        "ruleset_version": ruleset_version(),
        "case_ruleset_version": case.ruleset_version,
        "documents_version": rule_documents.documents_version(),
        "thresholds_version": thresholds.thresholds_version(),
        "quickcheck_input": case.quickcheck_input,
        "quickcheck_result": case.quickcheck_result,
    }


def _in_file_order(documents: list[Document]) -> list[Document]:
    """Checklist order; each original directly followed by its translation."""
    originals = sorted(
        (d for d in documents if d.translation_of_id is None),
        key=lambda d: (d.item.position, d.pk),
    )
    translations = [d for d in documents if d.translation_of_id is not None]
    ordered: list[Document] = []
    for original in originals:
        ordered.append(original)
        ordered += [d for d in translations if d.translation_of_id == original.pk]
    # A translation whose original was sealed in an earlier file travels on its own.
    placed = {d.pk for d in ordered}
    ordered += sorted(
        (d for d in translations if d.pk not in placed), key=lambda d: (d.item.position, d.pk)
    )
    return ordered


def _entry(document: Document, position: int) -> dict[str, Any]:
    extension = _EXTENSIONS.get(document.mime_type, "bin")
    path = (
        f"documents/{position:02d}_{document.item.document_code}_"
        f"{_safe_name(document.filename)}.{extension}"
    )
    return {
        "path": path,
        "id": document.pk,
        "item": document.item.document_code,
        "label_de": document.item.label_de,
        "label_en": document.item.label_en,
        "filename": document.filename,
        "type": extension.upper(),
        "mime_type": document.mime_type,
        "size": document.size,
        "pages": document.page_count,
        "sha256": document.sha256,
        "language": document.language,
        "translation_of": document.translation_of_id,
        "translations": sorted(
            t.pk for t in document.translations.all() if t.is_current and t.is_accepted
        ),
        "issued_on": _iso(document.issued_on),
        "expires_on": _iso(document.expires_on),
        "uploaded_at": _iso(document.uploaded_at),
        "uploaded_by": _person(document.uploaded_by)
        or ("worker (upload link)" if document.uploaded_via_link_id else None),
        "review_state": document.review_state,
        "reviewed_by": _person(document.reviewed_by),
        "reviewed_at": _iso(document.reviewed_at),
        "accepted_despite_failed_check": document.acceptance_reason or None,
    }


def _zip(files: list[tuple[str, bytes]], when: datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = timezone.localtime(when).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


@transaction.atomic
def case_file_seal(*, case: Case, actor: User | None) -> SealedFile:
    """Seal the case's file (number 0) or, when it was sealed before, the next supplement.

    The file holds every accepted current document not yet sealed; the first seal also holds the
    checklist with the originals seen on paper.
    """
    numbers = SealedFile.objects.filter(case=case).aggregate(last=Max("number"))["last"]
    number = 0 if numbers is None else numbers + 1
    documents = _in_file_order(
        list(
            unsealed_documents(case)
            .select_related("uploaded_by", "reviewed_by")
            .prefetch_related("translations")
        )
    )
    if number > 0 and not documents:
        raise ValidationError(_("There is no new accepted document to send as a supplement."))
    sealed_at = timezone.now()
    statuses = item_statuses(case)
    entries = [_entry(document, position) for position, document in enumerate(documents, 1)]
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "number": number,
        "supplement": number > 0,
        "sealed_at": sealed_at.isoformat(),
        "sealed_by": _person(actor),
        "case": _case_data(case),
        "checklist": [
            {
                "code": status.item.document_code,
                "label_de": status.item.label_de,
                "requirement": status.item.requirement,
                "state": status.state,
                "complete": status.complete,
                "paper_original_seen_by": _person(status.item.paper_original_seen_by),
                "paper_original_seen_on": _iso(status.item.paper_original_seen_on),
            }
            for status in statuses
        ],
        "documents": entries,
        "rules": _rules_snapshot(case),
    }
    context = case_letter_context(case)
    context.update(
        {
            "entries": entries,
            "number": number,
            "sealed_at": sealed_at,
            "paper": [s for s in statuses if s.on_paper] if number == 0 else [],
            "footer_left": f"{case.reference} · "
            + (f"Nachtrag {number}" if number else "Inhaltsverzeichnis"),
        }
    )
    files = [
        ("index.pdf", render_pdf("letters/file_index.html", context)),
        (
            "manifest.json",
            json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"),
        ),
    ]
    files += [
        (entry["path"], stored_blob_read(document.blob))
        for entry, document in zip(entries, documents, strict=True)
    ]
    archive = _zip(files, sealed_at)
    blob = stored_blob_create(data=archive, kind=BlobKind.SEALED_FILE)
    sealed = SealedFile.objects.create(
        case=case,
        number=number,
        blob=blob,
        sha256=blob.sha256,
        size=blob.size,
        sealed_at=sealed_at,
        sealed_by=actor,
        manifest=manifest,
    )
    sealed.documents.set(documents)
    audit_record(
        actor=actor,
        action="case_file.sealed",
        obj=sealed,
        concerns=[*case_concerns(case), case.authority],
        after={
            "case": case.reference,
            "number": number,
            "sha256": sealed.sha256,
            "documents": [entry["sha256"] for entry in entries],
        },
    )
    return sealed


def sealed_file_name(sealed: SealedFile) -> str:
    suffix = f"-Nachtrag-{sealed.number}" if sealed.number else ""
    return f"{sealed.case.reference}-Akte{suffix}.zip"


@transaction.atomic
def sealed_file_read(*, sealed: SealedFile, actor: User) -> bytes:
    """The ZIP, decrypted and verified; the download is audited."""
    data = stored_blob_read(sealed.blob)
    audit_record(
        actor=actor,
        action="case_file.downloaded",
        obj=sealed,
        concerns=[*case_concerns(sealed.case), sealed.case.authority],
        after={"number": sealed.number, "sha256": sealed.sha256},
    )
    return data
