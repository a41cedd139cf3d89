"""Retention: the documents and personal data of an ended case are deleted after a set period.

What goes (Art. 5 Abs. 1 lit. e, Art. 17 Abs. 1 lit. a DSGVO): every document and message
attachment (rows and encrypted files), the sealed files' ZIPs, the family members, the worker's
names, birth data, passport data and e-mail, every free text (messages, requests, notes, the
reason for the end, the reasons and recorded values of the history) and, in the audit trail, what
the events say about the case's objects (their names, before/after, the client IP).

What stays: the case skeleton (reference, parties, title, states, dates of the procedure), its
history (which step, when, by whom), the sealed files' rows with the documents' hashes, and the
audit trail with its intact hash chain. The evidence tables are changed only through the one
exception path of lotse.core.models (redaction_window), see docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from lotse.audit.models import AuditEvent
from lotse.audit.services import audit_record
from lotse.cases.models import (
    AdvisoryNote,
    Case,
    CaseClock,
    CaseState,
    CaseTransition,
    ChecklistItem,
    FamilyMember,
)
from lotse.conversations.models import DocumentRequest, Message, MessageAttachment
from lotse.core.models import redaction_window
from lotse.documents.models import Document, SealedFile, StoredBlob, UploadLink
from lotse.documents.storage import blob_delete
from lotse.privacy.models import CaseErasure

logger = logging.getLogger(__name__)

# Which period applies to which end of a case.
ENDINGS: dict[str, str] = {
    CaseState.CLOSED: "closed",
    CaseState.EMPLOYMENT_ENDED: "closed",
    CaseState.PREAPPROVAL_EXPIRED: "closed",
    CaseState.WITHDRAWN: "withdrawn",
    CaseState.TERMINATED: "withdrawn",
    CaseState.REJECTED: "refused",
    CaseState.VISA_REFUSED: "refused",
}

# A neutral date for the NOT NULL date columns of the worker (no one is born on it).
NEUTRAL_DATE = dt.date(1900, 1, 1)


def retention_days(ending: str) -> int:
    return {
        "closed": int(settings.LOTSE_RETENTION_DAYS_CLOSED),
        "withdrawn": int(settings.LOTSE_RETENTION_DAYS_WITHDRAWN),
        "refused": int(settings.LOTSE_RETENTION_DAYS_REFUSED),
    }[ending]


@dataclass(frozen=True)
class DueCase:
    case: Case
    ended_on: dt.date


def cases_due(*, today: dt.date | None = None) -> list[DueCase]:
    """Ended cases whose retention period is over and whose data are still there."""
    today = today or timezone.localdate()
    candidates = (
        Case.objects.filter(state__in=list(ENDINGS), erasure__isnull=True)
        .annotate(
            ended_on=Max(
                "transitions__occurred_on",
                filter=Q(transitions__track="state", transitions__to_state=F("state")),
            )
        )
        .order_by("id")
    )
    due = []
    for case in candidates:
        ended_on = case.ended_on or case.closed_on or timezone.localdate(case.updated_at)
        if ended_on + dt.timedelta(days=retention_days(ENDINGS[case.state])) <= today:
            due.append(DueCase(case, ended_on))
    return due


def _objects_of(case: Case) -> dict[str, list[int]]:
    """Every object of the case an audit event may name, by ``object_type``."""
    messages = list(Message.objects.filter(case=case).values_list("pk", flat=True))
    return {
        "cases.case": [case.pk],
        "cases.checklistitem": list(
            ChecklistItem.objects.filter(case=case).values_list("pk", flat=True)
        ),
        "cases.familymember": list(
            FamilyMember.objects.filter(case=case).values_list("pk", flat=True)
        ),
        "cases.caseclock": list(CaseClock.objects.filter(case=case).values_list("pk", flat=True)),
        "cases.advisorynote": list(
            AdvisoryNote.objects.filter(case=case).values_list("pk", flat=True)
        ),
        "documents.document": list(Document.objects.filter(case=case).values_list("pk", flat=True)),
        "documents.sealedfile": list(
            SealedFile.objects.filter(case=case).values_list("pk", flat=True)
        ),
        "documents.uploadlink": list(
            UploadLink.objects.filter(case=case).values_list("pk", flat=True)
        ),
        "conversations.message": messages,
        "conversations.messageattachment": list(
            MessageAttachment.objects.filter(message__case=case).values_list("pk", flat=True)
        ),
        "conversations.documentrequest": list(
            DocumentRequest.objects.filter(case=case).values_list("pk", flat=True)
        ),
    }


def _skeleton(manifest: Any) -> dict[str, Any]:
    """What a sealed file's manifest keeps: which documents, with their hashes."""
    documents = manifest.get("documents", []) if isinstance(manifest, dict) else []
    return {
        "redacted": True,
        "documents": [
            {"id": entry.get("id"), "sha256": entry.get("sha256")}
            for entry in documents
            if isinstance(entry, dict)
        ],
    }


def _delete_files_after_commit(names: Iterable[str]) -> None:
    names = list(names)

    # After the commit: a rollback must not leave rows whose files are gone. A crash in between
    # leaves orphans, which documents_orphans_delete removes.
    def delete() -> None:
        for name in names:
            blob_delete(name)

    transaction.on_commit(delete)


@transaction.atomic
def case_personal_data_delete(*, case: Case, ended_on: dt.date) -> CaseErasure:
    """Delete the documents and personal data of one ended case; idempotent."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    existing = CaseErasure.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if case.state not in ENDINGS:
        raise ValueError(f"case {case.pk} has not ended ({case.state})")
    objects = _objects_of(case)

    documents = list(Document.objects.filter(case=case))
    document_blobs = [d.blob_id for d in documents]
    Document.objects.filter(case=case).update(superseded_by=None)
    # Translations first: they point to their originals (PROTECT).
    Document.objects.filter(case=case, translation_of__isnull=False).delete()
    Document.objects.filter(case=case).delete()
    attachments = list(MessageAttachment.objects.filter(message__case=case))
    attachment_blobs = [a.blob_id for a in attachments]
    MessageAttachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    blobs = StoredBlob.objects.filter(pk__in=[*document_blobs, *attachment_blobs])
    names = list(blobs.values_list("name", flat=True))
    blobs.delete()
    # The sealed files' rows are evidence and keep their StoredBlob row (name, hash, size); the
    # encrypted ZIP with the documents goes.
    sealed = list(SealedFile.objects.filter(case=case).select_related("blob"))
    names += [s.blob.name for s in sealed]
    _delete_files_after_commit(names)

    Message.objects.filter(case=case).update(body="")
    DocumentRequest.objects.filter(case=case).update(reason="")
    AdvisoryNote.objects.filter(case=case).update(text="")
    FamilyMember.objects.filter(case=case).delete()
    Case.objects.filter(pk=case.pk).update(
        worker_surname="",
        worker_given_names="",
        worker_birth_date=NEUTRAL_DATE,
        worker_birth_place="",
        worker_passport_number="",
        worker_passport_expiry=NEUTRAL_DATE,
        worker_email="",
        quickcheck_input=None,
        end_reason="",
    )

    with redaction_window(reason=f"retention of case {case.pk}"):
        CaseTransition.objects.filter(case=case).redact(data={}, reason="")
        for sealed_file in sealed:
            SealedFile.objects.filter(pk=sealed_file.pk).redact(
                manifest=_skeleton(sealed_file.manifest)
            )
        about_the_case = Q(pk__in=[])
        for object_type, ids in objects.items():
            if ids:
                about_the_case |= Q(object_type=object_type, object_id__in=[str(i) for i in ids])
        events = AuditEvent.objects.filter(about_the_case, redacted=False)
        redacted = events.redact(
            object_repr=Concat(F("object_type"), Value(" #"), F("object_id")),
            before=None,
            after=None,
            ip_address=None,
            redacted=True,
        )

    erasure = CaseErasure.objects.create(
        case=case,
        ended_on=ended_on,
        documents=len(documents) + len(attachments),
        files=len(names),
        events_redacted=redacted,
    )
    case = Case.objects.get(pk=case.pk)
    audit_record(
        actor=None,
        action="privacy.case_personal_data_deleted",
        obj=case,
        concerns=[case.company, case.chamber, case.authority],
        after={
            "ended_on": ended_on.isoformat(),
            "state": case.state,
            "documents": erasure.documents,
            "files": erasure.files,
            "events_redacted": erasure.events_redacted,
        },
    )
    return erasure


def retention_run(*, today: dt.date | None = None) -> int:
    """Delete the data of every case whose period is over; one transaction per case."""
    done = 0
    for due in cases_due(today=today):
        try:
            case_personal_data_delete(case=due.case, ended_on=due.ended_on)
        except Exception:
            # One case that fails must not keep the others' data beyond their period.
            logger.exception("retention of case %s failed", due.case.pk)
            continue
        done += 1
    return done
