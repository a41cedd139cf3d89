"""API of the conversations area: a case's messages and requests for documents, attachments.

No ``from __future__ import annotations`` here: ninja resolves the annotations at import.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from lotse.access import Action, require
from lotse.api.errors import OBJECT_ERRORS, ApiError, ErrorOut
from lotse.api.objects import request_user, visible_case
from lotse.api.schemas import OBJECT_ID
from lotse.conversations.grounds import ground as ground_for_code
from lotse.conversations.models import BODY_MAX_LENGTH, DocumentRequest, Message
from lotse.conversations.selectors import (
    attachments_visible_to,
    case_messages,
    document_requests_of,
)
from lotse.conversations.services import (
    MAX_ATTACHMENTS,
    AttachmentIn,
    document_request_create,
    message_attachment_downloaded,
    message_post,
)
from lotse.documents.blobs import stored_blob_read
from lotse.documents.uploads import UploadRefused, read_upload
from lotse.filecheck.crypto import DecryptionError

router = Router(tags=["conversations"])

WRITE_ERRORS: dict[int, type[Schema]] = {**OBJECT_ERRORS, 403: ErrorOut}
AudienceCode = Literal["all", "company_chamber", "chamber_abh", "worker"]


_user = request_user
_case = visible_case


class AttachmentOut(Schema):
    id: int
    filename: str
    mime_type: str
    size: int
    sha256: str
    url: str


class RequestOut(Schema):
    id: int
    message_id: int
    ground: str
    ground_label: str
    legal_basis: str
    requested_by: str
    items: list[str]
    reason: str
    due_on: date
    state: Literal["open", "answered", "lapsed"]
    suspended_clocks: list[str]
    created_at: datetime
    closed_at: datetime | None


class MessageOut(Schema):
    id: int
    kind: Literal["message", "request"]
    audience: AudienceCode
    body: str
    author: str
    author_party: str
    author_organisation: str | None
    created_at: datetime
    attachments: list[AttachmentOut]
    request: RequestOut | None


def _request_out(request: DocumentRequest) -> dict[str, Any]:
    definition = ground_for_code(request.ground)
    return {
        "id": request.pk,
        "message_id": request.message_id,
        "ground": request.ground,
        "ground_label": definition.label(translation.get_language()) if definition else "",
        "legal_basis": definition.legal_basis if definition else "",
        "requested_by": request.requested_by_party,
        "items": sorted(item.document_code for item in request.items.all()),
        "reason": request.reason,
        "due_on": request.due_on,
        "state": request.state,
        "suspended_clocks": list(request.suspended_clocks),
        "created_at": request.created_at,
        "closed_at": request.closed_at,
    }


def _message_out(message: Message) -> dict[str, Any]:
    request = getattr(message, "request", None) if message.kind == "request" else None
    return {
        "id": message.pk,
        "kind": message.kind,
        "audience": message.audience,
        "body": message.body,
        "author": message.author_label,
        "author_party": message.author_party,
        "author_organisation": (
            message.author_organisation.name if message.author_organisation else None
        ),
        "created_at": message.created_at,
        "attachments": [
            {
                "id": a.pk,
                "filename": a.filename,
                "mime_type": a.mime_type,
                "size": a.size,
                "sha256": a.sha256,
                "url": f"/api/v1/message-attachments/{a.pk}/content",
            }
            for a in message.attachments.all()
        ],
        "request": _request_out(request) if request is not None else None,
    }


@router.get(
    "/cases/{case_id}/messages",
    response={200: list[MessageOut], **OBJECT_ERRORS},
    summary="The case's messages the caller may read (their audience includes the caller's party)",
)
def case_message_list(request: HttpRequest, case_id: int = OBJECT_ID) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    messages = case_messages(user=_user(request), case=case).select_related("author_organisation")
    return [_message_out(m) for m in messages]


AUDIENCE_FORM: Any = Form(  # type: ignore[type-arg]
    ..., description="all | company_chamber | chamber_abh | worker"
)
BODY_FORM: str = Form(..., min_length=1, max_length=BODY_MAX_LENGTH)  # type: ignore[type-arg]
ATTACHMENTS_PARAM: Any = File(  # type: ignore[type-arg]
    None, description=f"up to {MAX_ATTACHMENTS} files: PDF, JPEG, PNG or TIFF"
)


def _refusal(refused: UploadRefused) -> ApiError:
    status = 413 if refused.code == "too_large" else 400
    return ApiError(status, refused.code, refused.message(translation.get_language()))


def _read(files: list[UploadedFile] | None) -> list[AttachmentIn]:
    files = files or []
    if len(files) > MAX_ATTACHMENTS:
        raise ApiError(
            422,
            "too_many_attachments",
            f"At most {MAX_ATTACHMENTS} files can be attached to a message.",
            [{"field": "attachments", "message": f"at most {MAX_ATTACHMENTS}"}],
        )
    return [
        AttachmentIn(
            data=read_upload(f), filename=f.name or "attachment", declared_type=f.content_type
        )
        for f in files
    ]


@router.post(
    "/cases/{case_id}/messages",
    response={201: MessageOut, 400: ErrorOut, 413: ErrorOut, **WRITE_ERRORS},
    summary="Write a message to one audience (multipart: audience, body, attachments)",
)
def case_message_create(
    request: HttpRequest,
    case_id: int = OBJECT_ID,
    audience: AudienceCode = AUDIENCE_FORM,
    body: str = BODY_FORM,
    attachments: list[UploadedFile] | None = ATTACHMENTS_PARAM,
) -> Status[dict[str, Any]]:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.MESSAGE, case)
    try:
        message = message_post(
            case=case, audience=audience, body=body, actor=user, attachments=_read(attachments)
        )
    except UploadRefused as refused:
        raise _refusal(refused) from None
    return Status(201, _message_out(message))


@router.get(
    "/message-attachments/{attachment_id}/content",
    response={200: None, 500: ErrorOut, **OBJECT_ERRORS},
    summary="An attachment of a message the caller may read (decrypted, verified, audited)",
)
def message_attachment_content(
    request: HttpRequest, attachment_id: int = OBJECT_ID
) -> HttpResponse:
    user = _user(request)
    attachment = get_object_or_404(
        attachments_visible_to(user=user).select_related("blob", "message__case"),
        pk=attachment_id,
    )
    require(user, Action.VIEW, attachment)
    try:
        data = stored_blob_read(attachment.blob)
    except DecryptionError:
        raise ApiError(500, "file_damaged", "The stored file failed its integrity check.") from None
    message_attachment_downloaded(attachment=attachment, actor=user)
    response = HttpResponse(data, content_type=attachment.mime_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{attachment.filename.replace(chr(34), "")}"'
    )
    response["X-Content-SHA256"] = attachment.sha256
    return response


@router.get(
    "/cases/{case_id}/document-requests",
    response={200: list[RequestOut], **OBJECT_ERRORS},
    summary="The case's requests for documents (Nachforderungen) the caller may read",
)
def case_document_request_list(
    request: HttpRequest, case_id: int = OBJECT_ID
) -> list[dict[str, Any]]:
    case = _case(request, case_id)
    return [_request_out(r) for r in document_requests_of(user=_user(request), case=case)]


class RequestIn(Schema):
    ground: str = Field(..., min_length=1, max_length=40)
    items: list[str] = Field(..., min_length=1, max_length=60)
    reason: str = Field(..., min_length=1, max_length=BODY_MAX_LENGTH)
    due_on: date


@router.post(
    "/cases/{case_id}/document-requests",
    response={201: RequestOut, 400: ErrorOut, **WRITE_ERRORS},
    summary="Request documents (Nachforderung): checklist item codes, a reason and a due date",
)
def case_document_request_create(
    request: HttpRequest, payload: RequestIn, case_id: int = OBJECT_ID
) -> Status[dict[str, Any]]:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.REQUEST_DOCUMENTS, case)
    items = list(case.checklist.filter(document_code__in=payload.items))
    unknown = sorted(set(payload.items) - {item.document_code for item in items})
    if unknown:
        raise ApiError(
            422,
            "unknown_item",
            "The case's checklist has no item with this code.",
            [{"field": "items", "message": f"unknown checklist item: {code}"} for code in unknown],
        )
    created = document_request_create(
        case=case,
        ground=payload.ground,
        items=items,
        reason=payload.reason,
        due_on=payload.due_on,
        actor=user,
    )
    return Status(201, _request_out(created))
