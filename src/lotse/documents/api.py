"""API of the documents area: upload, list, download, review, the worker's link, the sealed file.

No ``from __future__ import annotations`` here: ninja resolves the annotations at import.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from lotse.access import Action, cases_visible_to, require
from lotse.accounts.models import User
from lotse.api.errors import OBJECT_ERRORS, ApiError, ErrorOut
from lotse.api.schemas import OBJECT_ID
from lotse.cases.models import Case
from lotse.documents.blobs import stored_blob_read
from lotse.documents.checks import case_findings
from lotse.documents.models import Document, SealedFile, UploadLink
from lotse.documents.sealing import case_file_seal, sealed_file_name, sealed_file_read
from lotse.documents.selectors import (
    document_gaps,
    documents_visible_to,
    item_statuses,
    unsealed_documents,
)
from lotse.documents.services import (
    document_downloaded,
    document_metadata_update,
    document_review,
    document_upload,
    upload_link_create,
    upload_link_revoke,
)
from lotse.documents.uploads import UploadRefused, read_upload
from lotse.filecheck.crypto import DecryptionError
from lotse.filecheck.uploads import RefusalCode, refusal

router = Router(tags=["documents"])

WRITE_ERRORS: dict[int, type[Schema]] = {**OBJECT_ERRORS, 403: ErrorOut}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, case_id: int) -> Case:
    case = get_object_or_404(
        cases_visible_to(user=_user(request)).select_related("company", "chamber", "authority"),
        pk=case_id,
    )
    require(_user(request), Action.VIEW, case)
    return case


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
    response["Content-Disposition"] = (
        f'attachment; filename="{document.filename.replace(chr(34), "")}"'
    )
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
