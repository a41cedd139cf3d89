"""API of the documents area: upload, list, download, review, the worker's link, the sealed file.

No ``from __future__ import annotations`` here: ninja resolves the annotations at import.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.http import content_disposition_header
from ninja import Field, File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile

from lotse.access import Action, cases_visible_to, require
from lotse.api.errors import OBJECT_ERRORS, ApiError, ErrorOut
from lotse.api.objects import request_user, visible_case
from lotse.api.schemas import OBJECT_ID
from lotse.documents.blobs import stored_blob_read
from lotse.documents.checks import case_findings
from lotse.documents.models import Document, SealedFile, UploadLink
from lotse.documents.preview import MAX_PREVIEW_PAGES, PreviewError, render_preview
from lotse.documents.sealing import case_file_seal, sealed_file_name, sealed_file_read
from lotse.documents.selectors import (
    current_original,
    document_gaps,
    documents_visible_to,
    item_statuses,
    unsealed_documents,
)
from lotse.documents.services import (
    document_downloaded,
    document_metadata_update,
    document_previewed,
    document_review,
    document_upload,
    documents_review_bulk,
    upload_link_create,
    upload_link_revoke,
)
from lotse.documents.uploads import UploadRefused, read_upload
from lotse.documents.worker import upload_link_send
from lotse.filecheck.crypto import DecryptionError
from lotse.filecheck.uploads import RefusalCode, refusal

router = Router(tags=["documents"])

WRITE_ERRORS: dict[int, type[Schema]] = {**OBJECT_ERRORS, 403: ErrorOut}


_user = request_user
_case = visible_case


class DocumentOut(Schema):
    id: int
    item: str
    filename: str
    mime_type: str
    size: int
    sha256: str
    page_count: int
    uploaded_at: datetime
    uploaded_by: str | None
    via_upload_link: bool
    current: bool
    translation_of: int | None
    language: str
    translation_required: bool
    issued_on: date | None
    expires_on: date | None
    review_state: Literal["uploaded", "accepted", "rejected"]
    rejection_reason: str
    acceptance_reason: str
    reviewed_at: datetime | None


def _out(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "item": document.item.document_code,
        "filename": document.filename,
        "mime_type": document.mime_type,
        "size": document.size,
        "sha256": document.sha256,
        "page_count": document.page_count,
        "uploaded_at": document.uploaded_at,
        "uploaded_by": document.uploaded_by.full_name if document.uploaded_by else None,
        "via_upload_link": document.uploaded_via_link_id is not None,
        "current": document.is_current,
        "translation_of": document.translation_of_id,
        "language": document.language,
        "translation_required": document.translation_required,
        "issued_on": document.issued_on,
        "expires_on": document.expires_on,
        "review_state": document.review_state,
        "rejection_reason": document.rejection_reason,
        "acceptance_reason": document.acceptance_reason,
        "reviewed_at": document.reviewed_at,
    }


class GapOut(Schema):
    item: str
    code: str
    message: str


class FindingOut(Schema):
    code: str
    severity: str
    rule: str
    legal_basis: str
    message: str
    document_id: int | None


class CaseDocumentsOut(Schema):
    complete: bool
    gaps: list[GapOut]
    findings: list[FindingOut]
    documents: list[DocumentOut]


@router.get(
    "/cases/{case_id}/documents",
    response={200: CaseDocumentsOut, **OBJECT_ERRORS},
    summary="Documents of a case, the gaps that keep it from being forwarded, and the findings",
)
def case_document_list(request: HttpRequest, case_id: int = OBJECT_ID) -> dict[str, Any]:
    case = _case(request, case_id)
    statuses = item_statuses(case)
    gaps = document_gaps(case, statuses)
    documents = (
        Document.objects.filter(case=case)
        .select_related("item", "uploaded_by")
        .order_by("item__position", "uploaded_at", "pk")
    )
    return {
        "complete": not gaps,
        "gaps": [
            {"item": g.item.document_code, "code": g.code, "message": g.message} for g in gaps
        ],
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "rule": f.rule,
                "legal_basis": f.legal_basis,
                "message": f.message,
                "document_id": f.document.pk if f.document else None,
            }
            for f in case_findings(case, statuses)
        ],
        "documents": [_out(d) for d in documents],
    }


# Optional so that an empty or missing file reaches lotse.filecheck, which names the problem.
FILE_PARAM: Any = File(None, description="PDF, JPEG, PNG or TIFF")  # type: ignore[type-arg]
ITEM_FORM: str = Form(  # type: ignore[type-arg]
    ..., min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$", description="checklist item code"
)
LANGUAGE_FORM: Any = Form("")  # type: ignore[type-arg]
TRANSLATION_OF_FORM: int = Form(  # type: ignore[type-arg]
    0, ge=0, le=2**63 - 1, description="id of the original; 0: not a translation"
)


@router.post(
    "/cases/{case_id}/documents",
    response={201: DocumentOut, 400: ErrorOut, 413: ErrorOut, **WRITE_ERRORS},
    summary="Upload a document for a checklist item (multipart); refused files are not stored",
)
def case_document_upload(
    request: HttpRequest,
    case_id: int = OBJECT_ID,
    file: UploadedFile | None = FILE_PARAM,
    item: str = ITEM_FORM,
    language: Literal["", "de", "en", "other"] = LANGUAGE_FORM,
    translation_of: int = TRANSLATION_OF_FORM,
) -> Status[dict[str, Any]]:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.UPLOAD, case)
    checklist_item = case.checklist.filter(document_code=item).first()
    if checklist_item is None:
        raise ApiError(422, "unknown_item", "The case's checklist has no item with this code.",
                       [{"field": "item", "message": "unknown checklist item"}])  # fmt: skip
    original = None
    if translation_of:
        original = Document.objects.filter(case=case, pk=translation_of).first()
        if original is None:
            raise ApiError(
                422, "unknown_document", "translation_of names no document of this case."
            )
    if file is None:
        empty = refusal(RefusalCode.EMPTY)
        raise ApiError(400, empty.code, empty.message(translation.get_language()))
    try:
        content = read_upload(file)
        document = document_upload(
            case=case,
            item=checklist_item,
            data=content,
            filename=file.name or "upload",
            declared_type=file.content_type,
            actor=user,
            translation_of=original,
            language=language,
        )
    except UploadRefused as refused:
        status = 413 if refused.code == "too_large" else 400
        raise ApiError(status, refused.code, refused.message(translation.get_language())) from None
    return Status(201, _out(document))


def _document(request: HttpRequest, document_id: int) -> Document:
    document = get_object_or_404(
        documents_visible_to(user=_user(request)).select_related(
            "item", "blob", "case", "uploaded_by"
        ),
        pk=document_id,
    )
    require(_user(request), Action.VIEW, document)
    return document


@router.get(
    "/documents/{document_id}",
    response={200: DocumentOut, **OBJECT_ERRORS},
    summary="One document's metadata",
)
def document_detail(request: HttpRequest, document_id: int = OBJECT_ID) -> dict[str, Any]:
    return _out(_document(request, document_id))


@router.get(
    "/documents/{document_id}/content",
    response={200: None, 500: ErrorOut, **OBJECT_ERRORS},
    summary="The file, decrypted and verified (audited)",
)
def document_content(request: HttpRequest, document_id: int = OBJECT_ID) -> HttpResponse:
    document = _document(request, document_id)
    try:
        data = stored_blob_read(document.blob)
    except DecryptionError:
        raise ApiError(500, "file_damaged", "The stored file failed its integrity check.") from None
    document_downloaded(document=document, actor=_user(request))
    response = HttpResponse(data, content_type=document.mime_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename) or ""
    response["X-Content-SHA256"] = document.sha256
    return response


class _MetadataIn(Schema):
    language: Literal["de", "en", "other", ""] | None = None
    translation_required: bool | None = None
    issued_on: date | None = None
    expires_on: date | None = None
    holder_surname: Annotated[str, Field(max_length=120)] | None = None
    holder_given_names: Annotated[str, Field(max_length=160)] | None = None
    holder_birth_date: date | None = None
    mrz_line1: Annotated[str, Field(max_length=44)] | None = None
    mrz_line2: Annotated[str, Field(max_length=44)] | None = None
    annual_gross_salary: Annotated[float, Field(ge=0, lt=100_000_000)] | None = None


class AcceptIn(_MetadataIn):
    decision: Literal["accept"]
    reason: str = Field(
        "",
        max_length=2000,
        description="why the document is accepted although an automatic check failed "
        "(required for a passport with an open MRZ problem)",
    )


class RejectIn(_MetadataIn):
    decision: Literal["reject"]
    reason: str = Field(
        min_length=1, max_length=2000, pattern=r"\S", description="shown to the uploader"
    )


ReviewIn = Annotated[AcceptIn | RejectIn, Field(discriminator="decision")]


@router.post(
    "/documents/{document_id}/review",
    response={200: DocumentOut, 400: ErrorOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Record what the document says and accept it, or reject it with a reason",
)
def document_review_api(
    request: HttpRequest, payload: ReviewIn, document_id: int = OBJECT_ID
) -> dict[str, Any]:
    user = _user(request)
    document = _document(request, document_id)
    require(user, Action.REVIEW, document)
    if not document.is_current:
        raise ApiError(409, "superseded", "This document was replaced by a newer upload.")
    changes = payload.dict(exclude={"decision", "reason"}, exclude_none=True)
    if "annual_gross_salary" in changes:
        changes["annual_gross_salary"] = Decimal(str(round(changes["annual_gross_salary"], 2)))
    if changes:
        document_metadata_update(document=document, actor=user, **changes)
    document_review(
        document=document,
        actor=user,
        accept=isinstance(payload, AcceptIn),
        reason=payload.reason,
    )
    return _out(document)


class UploadLinkOut(Schema):
    id: int
    url: str | None
    expires_at: datetime
    revoked_at: datetime | None


@router.post(
    "/cases/{case_id}/upload-links",
    response={201: UploadLinkOut, **WRITE_ERRORS},
    summary="Create the worker's personal upload link (?days=, default 14; the URL is returned only here)",
)
def upload_link_create_api(
    request: HttpRequest, case_id: int = OBJECT_ID, days: int | None = None
) -> Status[dict[str, Any]]:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.SHARE, case)
    link, token = upload_link_create(case=case, actor=user, days=days)
    url = request.build_absolute_uri(f"/u/{token}/")
    return Status(
        201, {"id": link.pk, "url": url, "expires_at": link.expires_at, "revoked_at": None}
    )


class UploadLinkSentOut(Schema):
    id: int
    url: str
    expires_at: datetime
    sent_to: str


@router.post(
    "/cases/{case_id}/upload-links/send",
    response={201: UploadLinkSentOut, **WRITE_ERRORS},
    summary="Create a new upload link and send it to the worker's e-mail (through the outbox)",
)
def upload_link_send_api(request: HttpRequest, case_id: int = OBJECT_ID) -> Status[dict[str, Any]]:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.SHARE, case)
    link, url = upload_link_send(case=case, actor=user)
    return Status(
        201,
        {"id": link.pk, "url": url, "expires_at": link.expires_at, "sent_to": case.worker_email},
    )


@router.post(
    "/upload-links/{link_id}/revoke",
    response={200: UploadLinkOut, **WRITE_ERRORS},
    summary="Revoke a worker's upload link",
)
def upload_link_revoke_api(request: HttpRequest, link_id: int = OBJECT_ID) -> dict[str, Any]:
    user = _user(request)
    link = get_object_or_404(
        UploadLink.objects.filter(case__in=cases_visible_to(user=user)).select_related("case"),
        pk=link_id,
    )
    require(user, Action.REVOKE, link)
    upload_link_revoke(link=link, actor=user)
    return {
        "id": link.pk,
        "url": None,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
    }


@router.get(
    "/cases/{case_id}/file",
    response={200: None, 500: ErrorOut, **OBJECT_ERRORS},
    summary="The sealed file as forwarded (ZIP); ?supplement=N for a later supplement",
)
def sealed_file_api(
    request: HttpRequest, case_id: int = OBJECT_ID, supplement: int = 0
) -> HttpResponse:
    user = _user(request)
    case = _case(request, case_id)
    sealed = get_object_or_404(
        SealedFile.objects.select_related("blob", "case"), case=case, number=supplement
    )
    require(user, Action.VIEW, sealed)
    try:
        data = sealed_file_read(sealed=sealed, actor=user)
    except DecryptionError:
        raise ApiError(500, "file_damaged", "The stored file failed its integrity check.") from None
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{sealed_file_name(sealed)}"'
    response["X-Content-SHA256"] = sealed.sha256
    return response


class SealedFileOut(Schema):
    number: int
    supplement: bool
    sha256: str
    size: int
    sealed_at: datetime
    documents: list[int]


@router.post(
    "/cases/{case_id}/file/supplements",
    response={201: SealedFileOut, 409: ErrorOut, **WRITE_ERRORS},
    summary="Seal the documents accepted since forwarding as the next supplement for the ABH",
)
def sealed_supplement_create_api(
    request: HttpRequest, case_id: int = OBJECT_ID
) -> Status[dict[str, Any]]:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.SEAL, case)
    if case.forwarded_at is None:
        raise ApiError(409, "not_forwarded", "The file is sealed when the case is forwarded.")
    if not unsealed_documents(case).exists():
        raise ApiError(
            409, "nothing_to_seal", "There is no new accepted document to send as a supplement."
        )
    sealed = case_file_seal(case=case, actor=user)
    return Status(
        201,
        {
            "number": sealed.number,
            "supplement": sealed.is_supplement,
            "sha256": sealed.sha256,
            "size": sealed.size,
            "sealed_at": sealed.sealed_at,
            "documents": [entry["id"] for entry in sealed.manifest["documents"]],
        },
    )


PAGE_PATH: int = Path(..., ge=1, le=10_000, description="page, counted from 1")  # type: ignore[type-arg]


@router.get(
    "/documents/{document_id}/pages/{page}",
    response={200: None, 500: ErrorOut, **OBJECT_ERRORS},
    summary="One page of a document rendered on the server as a PNG image (no active content)",
)
def document_preview_api(
    request: HttpRequest, document_id: int = OBJECT_ID, page: int = PAGE_PATH
) -> HttpResponse:
    document = _document(request, document_id)
    if page > min(document.page_count, MAX_PREVIEW_PAGES):
        raise ApiError(404, "no_such_page", "The document has no preview for this page.")
    try:
        data = stored_blob_read(document.blob)
    except DecryptionError:
        raise ApiError(500, "file_damaged", "The stored file failed its integrity check.") from None
    try:
        png = render_preview(data, mime_type=document.mime_type, page=page)
    except PreviewError:
        raise ApiError(404, "no_preview", "No preview for this page; fetch the content.") from None
    if page == 1:
        document_previewed(document=document, actor=_user(request))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    return response


class BulkReviewIn(Schema):
    documents: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(
        ..., min_length=1, max_length=200, description="ids of current documents of this case"
    )
    decision: Literal["accept", "reject"]
    reason: str = Field(
        "",
        max_length=2000,
        description="required for a rejection, and for accepting a passport whose MRZ check failed",
    )


class BulkReviewOut(Schema):
    documents: list[DocumentOut]


@router.post(
    "/cases/{case_id}/documents/review",
    response={200: BulkReviewOut, 400: ErrorOut, **WRITE_ERRORS},
    summary="Accept several documents at once, or reject them with one reason (all or none)",
)
def case_documents_review_api(
    request: HttpRequest, payload: BulkReviewIn, case_id: int = OBJECT_ID
) -> dict[str, Any]:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.REVIEW, case)
    ids = set(payload.documents)
    documents = list(
        Document.objects.filter(case=case, pk__in=ids).current().select_related("item", "case",
                                                                                "uploaded_by")
    )  # fmt: skip
    missing = ids - {d.pk for d in documents}
    if missing:
        raise ApiError(
            422,
            "unknown_document",
            "These ids name no current document of this case: "
            + ", ".join(str(i) for i in sorted(missing)),
            [{"field": "documents", "message": "not a current document of this case"}],
        )
    order = {pk: index for index, pk in enumerate(payload.documents)}
    documents.sort(key=lambda d: order[d.pk])
    reviewed = documents_review_bulk(case=case, documents=documents, actor=user,
                                     accept=payload.decision == "accept", reason=payload.reason)  # fmt: skip
    return {"documents": [_out(d) for d in reviewed]}


class BatchResultOut(Schema):
    item: str
    filename: str
    stored: bool
    document: DocumentOut | None
    code: str | None
    message: str | None


class BatchOut(Schema):
    stored: int
    refused: int
    results: list[BatchResultOut]


ItemCode = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$")]
FILES_PARAM: Any = File(  # type: ignore[type-arg]
    ..., min_length=1, max_length=20, description="one file per entry of `items`, in the same order"
)
ITEMS_FORM: Any = Form(  # type: ignore[type-arg]
    ..., min_length=1, max_length=20, description="checklist item code for each file, in order"
)
LANGUAGES_FORM: Any = Form([], description="language per file (de, en, other or empty)")  # type: ignore[type-arg]
TRANSLATIONS_FORM: Any = Form([], description="id of the original per file; 0: not a translation")  # type: ignore[type-arg]


@router.post(
    "/cases/{case_id}/documents/batch",
    response={200: BatchOut, 400: ErrorOut, 413: ErrorOut, **WRITE_ERRORS},
    summary="Upload several files at once (multipart `files` + `items`); each is stored or refused on its own",
)
def case_documents_batch_api(
    request: HttpRequest,
    case_id: int = OBJECT_ID,
    files: list[UploadedFile] = FILES_PARAM,
    items: list[ItemCode] = ITEMS_FORM,
    languages: list[Literal["", "de", "en", "other"]] = LANGUAGES_FORM,
    translation_of: list[Annotated[int, Field(ge=0, le=2**63 - 1)]] = TRANSLATIONS_FORM,
) -> dict[str, Any]:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.UPLOAD, case)
    languages = languages or [""] * len(files)
    originals = translation_of or [0] * len(files)
    if not 1 <= len(files) <= 20 or not len(files) == len(items) == len(languages) == len(
        originals
    ):
        raise ApiError(422, "batch_mismatch",
                       "Send 1 to 20 files and exactly one item code (and language, translation_of) per file.",
                       [{"field": "items", "message": "one per file"}])  # fmt: skip
    checklist = {i.document_code: i for i in case.checklist.all()}
    problems = [
        {"field": f"items[{n}]", "message": "unknown checklist item"}
        for n, code in enumerate(items) if code not in checklist
    ] + [
        {"field": f"languages[{n}]", "message": "de, en, other or empty"}
        for n, language in enumerate(languages) if language not in ("", "de", "en", "other")
    ]  # fmt: skip
    if problems:
        raise ApiError(422, "invalid_batch", "Some entries of the batch are invalid.", problems)
    results = []
    language_now = translation.get_language()
    for upload, code, language, original_id in zip(files, items, languages, originals, strict=True):
        item = checklist[code]
        entry: dict[str, Any] = {"item": code, "filename": upload.name or "upload",
                                 "stored": False, "document": None, "code": None, "message": None}  # fmt: skip
        original = current_original(item, original_id) if original_id else None
        if original_id and original is None:
            entry.update(code="unknown_document",
                         message="translation_of names no current original of this item.")  # fmt: skip
            results.append(entry)
            continue
        try:
            document = document_upload(case=case, item=item, data=read_upload(upload),
                                       filename=upload.name or "upload",
                                       declared_type=upload.content_type, actor=user,
                                       translation_of=original, language=language)  # fmt: skip
        except UploadRefused as refused:
            entry.update(code=refused.code, message=refused.message(language_now))
        except ValidationError as exc:
            entry.update(code="refused", message=" ".join(exc.messages))
        else:
            entry.update(stored=True, document=_out(document))
        results.append(entry)
    stored = sum(1 for r in results if r["stored"])
    return {"stored": stored, "refused": len(results) - stored, "results": results}
