"""Everything Lotse holds about the worker of one case, as a ZIP (Art. 15 and 20 DSGVO).

``data.json`` holds the case data, family members, history, checklist, documents' details,
messages, requests for documents, the chamber's notes, sealed files and the audit events about
the case; ``documents/`` holds every stored document decrypted. Taking the export is audited.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from lotse.audit.models import AuditEvent
from lotse.audit.services import audit_record
from lotse.cases.models import AdvisoryNote, Case, CaseTransition, ChecklistItem, FamilyMember
from lotse.conversations.models import DocumentRequest, Message
from lotse.documents.blobs import stored_blob_read
from lotse.documents.models import Document, SealedFile

if TYPE_CHECKING:
    from lotse.accounts.models import User

FORMAT_VERSION = 1


def _rows(queryset: Any, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    return [{"id": row.pk, **model_to_dict(row, exclude=[*exclude, "id"])} for row in queryset]


def _member_name(document_id: int, filename: str) -> str:
    # The uploader chose the name: no directories, nothing that climbs out of documents/.
    safe = filename.replace("/", "_").replace("\\", "_").lstrip(".") or "file"
    return f"documents/{document_id}-{safe}"


def _member(document: Document) -> str:
    return _member_name(document.pk, document.filename)


def export_filename(case: Case) -> str:
    return f"{case.reference}-personal-data.zip"


def worker_data(case: Case) -> dict[str, Any]:
    """The JSON part of the export."""
    documents = Document.objects.filter(case=case).order_by("id")
    return {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now(),
        "case": {
            "id": case.pk,
            **model_to_dict(case, exclude=["id", "quickcheck_result"]),
            "state": case.state,
            "company": case.company.name,
            "chamber": case.chamber.name,
            "authority": case.authority.name,
        },
        "family_members": _rows(FamilyMember.objects.filter(case=case)),
        "history": _rows(CaseTransition.objects.filter(case=case), exclude=("case",)),
        "checklist": _rows(ChecklistItem.objects.filter(case=case), exclude=("case",)),
        "documents": [
            {**row, "file": _member_name(row["id"], row["filename"])}
            for row in _rows(documents, exclude=("case", "blob"))
        ],
        "messages": _rows(Message.objects.filter(case=case), exclude=("case",)),
        "document_requests": _rows(DocumentRequest.objects.filter(case=case), exclude=("case",)),
        "advisory_notes": _rows(AdvisoryNote.objects.filter(case=case), exclude=("case",)),
        "sealed_files": _rows(SealedFile.objects.filter(case=case), exclude=("case", "blob")),
        "audit_events": list(
            AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
            .order_by("id")
            .values("id", "occurred_at", "actor_label", "action", "object_repr", "before", "after")
        ),
    }


@transaction.atomic
def worker_data_export(*, case: Case, actor: User) -> bytes:
    """The ZIP; audited (who took which worker's data, how many documents)."""
    data = worker_data(case)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True),
        )
        for document in Document.objects.filter(case=case).select_related("blob").order_by("id"):
            archive.writestr(_member(document), stored_blob_read(document.blob))
    audit_record(
        actor=actor,
        action="privacy.worker_data_exported",
        obj=case,
        concerns=[case.company, case.chamber, case.authority],
        after={"documents": len(data["documents"])},
    )
    return buffer.getvalue()
