"""Writes of the documents area: upload, review, metadata, the worker's upload link.

Every service runs in one transaction with its audit event. An upload is validated completely
(:mod:`lotse.documents.uploads`) before anything is written; a refused upload leaves no file
and no row behind, only an audit event that names the refusal code.
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.models import ChecklistItem
from lotse.conversations.services import document_requests_answer
from lotse.documents.blobs import stored_blob_create
from lotse.documents.checks import case_findings
from lotse.documents.models import (
    BlobKind,
    Document,
    DocumentLanguage,
    ReviewState,
    UploadLink,
)
from lotse.documents.selectors import upload_link_token_hash
from lotse.documents.uploads import UploadRefused, validate_upload
from lotse.notifications.services import (
    notification_emit_for_rejection,
    notification_emit_for_upload,
)

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case
    from lotse.organisations.models import Organisation

# States after which nothing is uploaded any more (the procedure has ended).
CLOSED_STATES = frozenset(
    {
        "closed",
        "withdrawn",
        "terminated",
        "rejected",
        "preapproval_expired",
        "visa_refused",
        "employment_ended",
    }
)
# Translation rules of the document matrix (lotse.rules data/documents.toml, domain rule R2).
_ACCEPTED_LANGUAGES = {
    "sworn_german": {DocumentLanguage.DE},
    "sworn_german_or_english": {DocumentLanguage.DE, DocumentLanguage.EN},
}


def case_concerns(case: Case) -> list[Organisation]:
    """The organisations whose staff read the audit trail of a case's documents."""
    concerns = [case.company, case.chamber]
    if case.forwarded_at is not None:
        concerns.append(case.authority)
    return concerns


def translation_needed(item_translation: str, language: str) -> bool:
    """Whether a document in ``language`` needs a sworn translation under the item's rule."""
    accepted = _ACCEPTED_LANGUAGES.get(item_translation)
    if accepted is None or not language:
        return False
    return language not in accepted


def clean_filename(filename: str) -> str:
    """The client's file name without control characters (newlines, NUL) and path parts."""
    name = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C")
    name = name.replace("/", "_").replace("\\", "_").strip(" .")
    return name[-255:] or "upload"


def _refuse_nul(**values: Any) -> None:
    """A NUL byte cannot be stored in a PostgreSQL text column: refuse it as bad input."""
    for field, value in values.items():
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError({field: _("This text contains a NUL character.")})


def _snapshot(document: Document) -> dict[str, Any]:
    return {
        "item": document.item.document_code,
        "filename": document.filename,
        "sha256": document.sha256,
        "size": document.size,
        "page_count": document.page_count,
        "review_state": document.review_state,
        "language": document.language,
        "translation_required": document.translation_required,
        "translation_of": document.translation_of_id,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
    }


def _check_can_upload(case: Case, item: ChecklistItem, translation_of: Document | None) -> None:
    if item.case_id != case.pk:
        raise ValidationError(_("This checklist item belongs to another case."))
    if case.state in CLOSED_STATES:
        raise ValidationError(_("The procedure has ended; no more documents can be uploaded."))
    if translation_of is not None and (
        translation_of.case_id != case.pk or translation_of.item_id != item.pk
    ):
        raise ValidationError(
            {"translation_of": _("A translation belongs to a document of the same item.")}
        )
    if translation_of is not None and (
        translation_of.translation_of_id is not None or not translation_of.is_current
    ):
        raise ValidationError(
            {
                "translation_of": _(
                    "A translation belongs to the current original, not to a translation "
                    "or a replaced file."
                )
            }
        )


def document_upload_refused(
    *,
    case: Case,
    item: ChecklistItem,
    refused: UploadRefused,
    actor: User | None,
    link: UploadLink | None = None,
) -> None:
    """Record a refused upload in the audit trail (the file itself is gone)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="document.upload_refused",
            obj=item,
            concerns=case_concerns(case),
            after={
                "item": item.document_code,
                "code": refused.code,
                "via_upload_link": link.pk if link else None,
            },
        )


def document_upload(
    *,
    case: Case,
    item: ChecklistItem,
    data: bytes,
    filename: str,
    declared_type: str | None,
    actor: User | None,
    link: UploadLink | None = None,
    translation_of: Document | None = None,
    language: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
) -> Document:
    """Check, encrypt and store one file for a checklist item; supersede the previous one.

    Raises :class:`~lotse.filecheck.uploads.UploadRefused` (nothing stored; the refusal is
    audited) or ``ValidationError`` (the upload does not fit the case).
    """
    _check_can_upload(case, item, translation_of)
    try:
        checked = validate_upload(data, filename=filename, declared_type=declared_type)
    except UploadRefused as refused:
        document_upload_refused(case=case, item=item, refused=refused, actor=actor, link=link)
        raise
    with transaction.atomic():
        # The checked copy: for an image, its pixels re-encoded without anything hidden beside them.
        blob = stored_blob_create(data=checked.data, kind=BlobKind.DOCUMENT)
        # Parallel uploads for one item queue here; the unique indexes are the last line.
        ChecklistItem.objects.select_for_update().filter(pk=item.pk).first()
        if translation_of is not None:
            # The original may have been replaced while this upload waited for the lock.
            fresh = Document.objects.filter(pk=translation_of.pk).current().exists()
            if not fresh:
                raise ValidationError(
                    {"translation_of": _("The original was replaced meanwhile; upload again.")}
                )
        previous = (
            Document.objects.filter(case=case, item=item, translation_of=translation_of)
            .current()
            .first()
        )
        # A new original also retires the translation of the original it replaces.
        retired = [previous] if previous is not None else []
        if previous is not None and translation_of is None:
            retired += list(Document.objects.filter(translation_of=previous).current())
        now = timezone.now()
        if retired:
            Document.objects.filter(pk__in=[d.pk for d in retired]).update(retired_at=now)
        document = Document.objects.create(
            case=case,
            item=item,
            blob=blob,
            filename=clean_filename(filename),
            mime_type=checked.mime_type,
            size=checked.size,
            sha256=checked.sha256,
            page_count=checked.page_count,
            uploaded_at=now,
            uploaded_by=actor,
            uploaded_via_link=link,
            translation_of=translation_of,
            language=language,
            translation_required=(
                translation_of is None and translation_needed(item.translation, language)
            ),
            issued_on=issued_on,
            expires_on=expires_on,
        )
        if retired:
            Document.objects.filter(pk__in=[d.pk for d in retired]).update(superseded_by=document)
        if (
            translation_of is not None
            and not translation_of.translation_required
            and item.translation in _ACCEPTED_LANGUAGES
        ):
            # A sworn translation was needed after all: the gate now waits for it to be accepted.
            Document.objects.filter(pk=translation_of.pk).update(translation_required=True)
            translation_of.translation_required = True
        if link is not None:
            UploadLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
        audit_record(
            actor=actor,
            action="document.uploaded",
            obj=document,
            concerns=case_concerns(case),
            before={"superseded": [d.pk for d in retired]} if retired else None,
            after={**_snapshot(document), "via_upload_link": link.pk if link else None},
        )
        document_requests_answer(document=document, actor=actor)  # answers a Nachforderung
        notification_emit_for_upload(
            case=case, actor=actor, document_de=item.label_de, document_en=item.label_en
        )
    return document


def open_problems(document: Document) -> list[str]:
    """Codes of the failed automatic checks that block a plain acceptance (the passport's MRZ)."""
    if document.item.document_code != "passport" or document.translation_of_id is not None:
        return []
    return sorted(
        {
            finding.code
            for finding in case_findings(document.case)
            if finding.document is not None
            and finding.document.pk == document.pk
            and finding.code.startswith("mrz_")
            and finding.severity == "error"
        }
    )


@transaction.atomic
def document_review(*, document: Document, actor: User, accept: bool, reason: str = "") -> Document:
    """Accept a document, or reject it with a reason the uploader sees.

    A passport whose MRZ failed an automatic check is accepted only with a reason, which is
    recorded on the document and in the audit trail.
    """
    _refuse_nul(reason=reason)
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(
            {"reason": _("Say why the document is rejected; the uploader sees this reason.")}
        )
    if not document.is_current:
        raise ValidationError(_("This document was replaced by a newer upload."))
    problems = open_problems(document) if accept else []
    if problems and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "The automatic check of the passport's machine-readable zone failed. "
                    "Say why you accept it anyway, or reject it."
                )
            },
            code="open_problem",
        )
    before = _snapshot(document)
    document.review_state = ReviewState.ACCEPTED if accept else ReviewState.REJECTED
    document.rejection_reason = "" if accept else reason
    document.acceptance_reason = reason if accept and problems else ""
    document.reviewed_by = actor
    document.reviewed_at = timezone.now()
    document.save(
        update_fields=[
            "review_state",
            "rejection_reason",
            "acceptance_reason",
            "reviewed_by",
            "reviewed_at",
        ]
    )
    after = {**_snapshot(document), "reason": document.rejection_reason}
    if problems:
        after.update({"accepted_despite": problems, "reason": document.acceptance_reason})
    audit_record(
        actor=actor,
        action="document.accepted" if accept else "document.rejected",
        obj=document,
        concerns=case_concerns(document.case),
        before=before,
        after=after,
    )
    if not accept:
        notification_emit_for_rejection(
            case=document.case,
            actor=actor,
            document_de=document.item.label_de,
            document_en=document.item.label_en,
            document_code=document.item.document_code,
            reason=reason,
        )
    return document


@transaction.atomic
def documents_review_bulk(
    *, case: Case, documents: list[Document], actor: User, accept: bool, reason: str = ""
) -> list[Document]:
    """Accept (or reject with one reason) several documents of one case, all or none.

    Each document gets its own audit event, exactly as when reviewed one by one; a passport with
    an open MRZ problem refuses the whole batch unless a reason is given.
    """
    if not documents:
        raise ValidationError({"documents": _("Choose at least one document.")})
    reviewed = []
    for document in documents:
        if document.case_id != case.pk:
            raise ValidationError({"documents": _("A document belongs to another case.")})
        try:
            reviewed.append(
                document_review(document=document, actor=actor, accept=accept, reason=reason)
            )
        except ValidationError as exc:
            raise ValidationError(
                {
                    "documents": _("%(file)s: %(problem)s")
                    % {"file": document.filename, "problem": " ".join(exc.messages)}
                }
            ) from exc
    return reviewed


METADATA_FIELDS = (
    "language",
    "translation_required",
    "issued_on",
    "expires_on",
    "holder_surname",
    "holder_given_names",
    "holder_birth_date",
    "mrz_line1",
    "mrz_line2",
    "annual_gross_salary",
)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def document_metadata_update(*, document: Document, actor: User, **changes: Any) -> Document:
    """Record what the document says (language, dates, names, MRZ, salary)."""
    unknown = set(changes) - set(METADATA_FIELDS)
    if unknown:
        raise TypeError(f"document_metadata_update() does not change {sorted(unknown)}")
    _refuse_nul(**changes)
    for line in ("mrz_line1", "mrz_line2"):
        if line in changes and changes[line] is not None:
            changes[line] = "".join(str(changes[line]).split()).upper()
    before = {field: _jsonable(getattr(document, field)) for field in changes}
    for field, value in changes.items():
        setattr(document, field, value)
    document.full_clean(exclude=["case", "item", "blob", "uploaded_via_link", "superseded_by"])
    document.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        action="document.metadata_changed",
        obj=document,
        concerns=case_concerns(document.case),
        before=before,
        after={field: _jsonable(getattr(document, field)) for field in changes},
    )
    return document


# --- The worker's upload link -------------------------------------------------------------------


@transaction.atomic
def upload_link_create(
    *, case: Case, actor: User, days: int | None = None
) -> tuple[UploadLink, str]:
    """A new personal link for the worker; returns the link and its token (shown once)."""
    if case.state in CLOSED_STATES:
        raise ValidationError(_("The procedure has ended; no upload link can be created."))
    valid_days = settings.LOTSE_UPLOAD_LINK_DAYS if days is None else days
    if not 1 <= valid_days <= 60:
        raise ValidationError({"days": _("A link is valid for 1 to 60 days.")})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = UploadLink.objects.create(
        case=case,
        token_hash=upload_link_token_hash(token),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    audit_record(
        actor=actor,
        action="upload_link.created",
        obj=link,
        concerns=case_concerns(case),
        after={"case": case.reference, "expires_at": link.expires_at.isoformat()},
    )
    return link, token


@transaction.atomic
def upload_link_revoke(*, link: UploadLink, actor: User) -> UploadLink:
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="upload_link.revoked",
            obj=link,
            concerns=case_concerns(link.case),
            after={"case": link.case.reference},
        )
    return link


@transaction.atomic
def document_downloaded(*, document: Document, actor: User | None) -> None:
    """Record that someone read a document (downloads are audited like changes)."""
    audit_record(
        actor=actor,
        action="document.downloaded",
        obj=document,
        concerns=case_concerns(document.case),
        after={"sha256": document.sha256},
    )


@transaction.atomic
def document_previewed(*, document: Document, actor: User | None) -> None:
    """Record that someone looked at a document in the review view (its first page rendered)."""
    audit_record(
        actor=actor,
        action="document.previewed",
        obj=document,
        concerns=case_concerns(document.case),
        after={"sha256": document.sha256},
    )
