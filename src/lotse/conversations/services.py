"""Writes of the conversations area: a message, a request for documents, its answer and lapse.

Every service runs in one transaction with its audit event. Attachments pass the same checks as
document uploads (:func:`lotse.documents.uploads.validate_upload`) and are stored encrypted the
same way (:func:`lotse.documents.blobs.stored_blob_create`) before anything is written; a refused
attachment refuses the whole message, so nothing half-sent remains.

Audit actions: ``message.posted``, ``message.attachment_refused``, ``message.attachment_downloaded``,
``document_request.created``, ``document_request.answered``, ``document_request.lapsed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access import Action, can, case_party, message_audiences_writable
from lotse.audit.services import audit_record
from lotse.cases import deadlines
from lotse.cases.models import Case, ChecklistItem
from lotse.conversations.grounds import ground as ground_for_code
from lotse.conversations.models import (
    BODY_MAX_LENGTH,
    Audience,
    DocumentRequest,
    Message,
    MessageAttachment,
    MessageKind,
    RequestState,
)
from lotse.documents.blobs import stored_blob_create
from lotse.documents.models import BlobKind, Document
from lotse.documents.uploads import CheckedFile, UploadRefused, validate_upload
from lotse.notifications.models import Kind, Party
from lotse.notifications.services import notification_emit

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.organisations.models import Organisation

MAX_ATTACHMENTS = 5
# States after which the procedure has ended: nothing more is requested.
ENDED_STATES = frozenset(
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


@dataclass(frozen=True)
class AttachmentIn:
    """A file to attach, read (bounded) by the view: lotse.documents.uploads.read_upload."""

    data: bytes
    filename: str
    declared_type: str | None


def message_concerns(case: Case, audience: str) -> list[Organisation]:
    """The organisations whose audit trail shows the message: exactly its readers."""
    concerns: list[Organisation] = [case.chamber]
    if audience in (Audience.ALL, Audience.COMPANY_CHAMBER, Audience.WORKER):
        concerns.append(case.company)
    if audience in (Audience.ALL, Audience.CHAMBER_ABH) and case.forwarded_at is not None:
        concerns.append(case.authority)
    return concerns


# Who hears of a message, by audience (lotse.notifications parties); the author's own party not.
_AUDIENCE_PARTIES: dict[str, frozenset[str]] = {
    Audience.ALL: frozenset({Party.COMPANY, Party.CHAMBER, Party.AUTHORITY}),
    Audience.COMPANY_CHAMBER: frozenset({Party.COMPANY, Party.CHAMBER}),
    Audience.CHAMBER_ABH: frozenset({Party.CHAMBER, Party.AUTHORITY}),
    Audience.WORKER: frozenset({Party.WORKER, Party.COMPANY, Party.CHAMBER}),
}
_AUTHOR_PARTY = {"company": Party.COMPANY, "chamber": Party.CHAMBER, "abh": Party.AUTHORITY}


def _notify(message: Message) -> None:
    """Tell the readers of a new message or request, in this same transaction (no text in it)."""
    case = message.case
    parties = set(_AUDIENCE_PARTIES.get(message.audience, frozenset()))
    parties.discard(_AUTHOR_PARTY.get(message.author_party, ""))
    if case.forwarded_at is None:
        parties.discard(Party.AUTHORITY)
    if not parties:
        return
    if message.kind == MessageKind.REQUEST:
        kind = Kind.DOCUMENTS_MISSING
    elif message.author_party == "abh" and Party.CHAMBER in parties:
        kind = Kind.AUTHORITY_QUESTION
    else:
        kind = Kind.MESSAGE
    notification_emit(kind=kind, case=case, actor=message.author, parties=parties)


def _check_message(user: User, case: Case, audience: str, body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {"body": _("A message has at most %(max)d characters.") % {"max": BODY_MAX_LENGTH}}
        )
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who reads the message.")})
    if audience not in message_audiences_writable(user, case):
        if audience in (Audience.ALL, Audience.CHAMBER_ABH) and case.forwarded_at is None:
            raise ValidationError(
                {
                    "audience": _(
                        "The immigration office takes part only once the file has been "
                        "forwarded to it."
                    )
                }
            )
        raise ValidationError({"audience": _("You cannot write to this audience.")})
    return body


Checked = list[tuple[AttachmentIn, CheckedFile]]


def message_attachment_refused(
    *, case: Case, audience: str, filename: str, refused: UploadRefused, actor: User
) -> None:
    """Record a refused attachment in the audit trail (the file itself is gone)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="message.attachment_refused",
            obj=case,
            concerns=message_concerns(case, audience),
            after={"filename": filename[-255:], "code": refused.code},
        )


def _check_attachments(
    *, case: Case, audience: str, attachments: Sequence[AttachmentIn], actor: User
) -> Checked:
    """Every check of a document upload, before anything is written; a refusal is audited."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": _("At most %(max)d files can be attached to a message.")
                % {"max": MAX_ATTACHMENTS}
            }
        )
    checked: Checked = []
    for item in attachments:
        try:
            result = validate_upload(
                item.data, filename=item.filename, declared_type=item.declared_type
            )
        except UploadRefused as refused:
            message_attachment_refused(
                case=case, audience=audience, filename=item.filename, refused=refused, actor=actor
            )
            raise
        checked.append((item, result))
    return checked


def _create_message(
    *,
    case: Case,
    actor: User,
    audience: str,
    body: str,
    kind: str,
    attachments: Checked,
) -> Message:
    party = case_party(actor, case) or ""
    message = Message.objects.create(
        case=case,
        kind=kind,
        audience=audience,
        body=body,
        author=actor,
        author_label=actor.display_name,
        author_party=party,
        author_organisation=actor.organisation,
    )
    for item, checked in attachments:
        MessageAttachment.objects.create(
            message=message,
            blob=stored_blob_create(data=checked.data, kind=BlobKind.DOCUMENT),
            filename=item.filename[-255:] or "attachment",
            mime_type=checked.mime_type,
            size=checked.size,
            sha256=checked.sha256,
            page_count=checked.page_count,
        )
    return message


def _attachment_facts(message: Message) -> list[dict[str, object]]:
    return [
        {"filename": a.filename, "sha256": a.sha256, "size": a.size}
        for a in message.attachments.all()
    ]


def message_post(
    *,
    case: Case,
    audience: str,
    body: str,
    actor: User,
    attachments: Sequence[AttachmentIn] = (),
) -> Message:
    """Write a message on the case to one audience, with checked and encrypted attachments.

    Raises ``ValidationError`` (empty, too long, an audience the author may not address) or
    :class:`~lotse.filecheck.uploads.UploadRefused` (an attachment failed a check; nothing kept).
    """
    if not can(actor, Action.MESSAGE, case):
        raise ValidationError(_("You take no part in this case."))
    body = _check_message(actor, case, audience, body)
    if attachments and audience == Audience.WORKER:
        # The worker's page is reached by a link, not an account: files go through the checklist.
        raise ValidationError(
            {"attachments": _("Messages to the worker carry no files; use the checklist instead.")}
        )
    checked = _check_attachments(case=case, audience=audience, attachments=attachments, actor=actor)
    with transaction.atomic():
        message = _create_message(
            case=case,
            actor=actor,
            audience=audience,
            body=body,
            kind=MessageKind.MESSAGE,
            attachments=checked,
        )
        audit_record(
            actor=actor,
            action="message.posted",
            obj=message,
            concerns=message_concerns(case, audience),
            after={
                "case": case.reference,
                "audience": audience,
                "length": len(body),
                "attachments": _attachment_facts(message),
            },
        )
        _notify(message)
    return message


@transaction.atomic
def message_attachment_downloaded(*, attachment: MessageAttachment, actor: User) -> None:
    """Record that someone read an attachment (reads of files are audited like changes)."""
    message = attachment.message
    audit_record(
        actor=actor,
        action="message.attachment_downloaded",
        obj=attachment,
        concerns=message_concerns(message.case, message.audience),
        after={"sha256": attachment.sha256},
    )


# --- Requests for documents (Nachforderung) ------------------------------------------------------


def _check_request(
    *,
    actor: User,
    case: Case,
    ground_code: str,
    items: Sequence[ChecklistItem],
    reason: str,
    due_on: dt.date | None,
    today: dt.date,
) -> tuple[str, str]:
    """Validate a request against the case; returns (cleaned reason, audience)."""
    errors: dict[str, str] = {}
    party = case_party(actor, case)
    ground = ground_for_code(ground_code)
    if ground is None or ground.requested_by != party:
        errors["ground"] = _("Choose on whose behalf the documents are requested.")
    if case.state in ENDED_STATES:
        raise ValidationError(_("The procedure has ended; no documents can be requested."))
    if not items:
        errors["items"] = _("Name at least one document from the checklist.")
    elif any(item.case_id != case.pk for item in items):
        errors["items"] = _("A named document belongs to another case.")
    reason = reason.strip()
    if not reason:
        errors["reason"] = _("Say why the documents are requested.")
    elif len(reason) > BODY_MAX_LENGTH:
        errors["reason"] = _("A reason has at most %(max)d characters.") % {"max": BODY_MAX_LENGTH}
    if due_on is None:
        errors["due_on"] = _("Set a due date.")
    elif due_on < today:
        errors["due_on"] = _("The due date cannot lie in the past.")
    elif ground is not None and due_on > today + dt.timedelta(days=ground.max_due_days):
        errors["due_on"] = _("The due date can be at most %(days)d days from today.") % {
            "days": ground.max_due_days
        }
    if errors:
        raise ValidationError(errors)
    # The company answers the request, so it must read it; the ABH's requests go to all parties.
    audience = Audience.ALL if party == "abh" else Audience.COMPANY_CHAMBER
    return reason, audience


def document_request_create(
    *,
    case: Case,
    ground: str,
    items: Sequence[ChecklistItem],
    reason: str,
    due_on: dt.date | None,
    actor: User,
    attachments: Sequence[AttachmentIn] = (),
    today: dt.date | None = None,
) -> DocumentRequest:
    """Request missing or corrected documents (Nachforderung) and suspend the clocks the law
    suspends for this ground (``data/request_grounds.toml``)."""
    if not can(actor, Action.REQUEST_DOCUMENTS, case):
        raise ValidationError(_("You cannot request documents on this case."))
    today = today or timezone.localdate()
    reason, audience = _check_request(
        actor=actor,
        case=case,
        ground_code=ground,
        items=items,
        reason=reason,
        due_on=due_on,
        today=today,
    )
    definition = ground_for_code(ground)
    if definition is None or due_on is None:  # pragma: no cover - refused by _check_request
        raise ValidationError(_("Choose on whose behalf the documents are requested."))
    checked = _check_attachments(case=case, audience=audience, attachments=attachments, actor=actor)
    with transaction.atomic():
        message = _create_message(
            case=case,
            actor=actor,
            audience=audience,
            body=reason,
            kind=MessageKind.REQUEST,
            attachments=checked,
        )
        halted = deadlines.suspend(
            case,
            definition.suspends,
            today,
            f"Nachforderung ({definition.code}) {today.isoformat()}",
        )
        request = DocumentRequest.objects.create(
            message=message,
            case=case,
            ground=ground,
            requested_by_party=case_party(actor, case) or "",
            reason=reason,
            due_on=due_on,
            suspended_clocks=[row.code for row in halted],
            created_at=message.created_at,
        )
        request.items.set(items)
        audit_record(
            actor=actor,
            action="document_request.created",
            obj=request,
            concerns=message_concerns(case, audience),
            after={
                "case": case.reference,
                "ground": ground,
                "legal_basis": definition.legal_basis,
                "items": sorted(item.document_code for item in items),
                "due_on": due_on.isoformat(),
                "suspended_clocks": request.suspended_clocks,
                "attachments": _attachment_facts(message),
            },
        )
        _notify(message)
    return request


def _close(request: DocumentRequest, *, state: str, end: dt.date, actor: User | None) -> None:
    resumed = deadlines.resume(request.case, request.suspended_clocks, end)
    request.state = state
    request.closed_at = timezone.now()
    request.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=actor,
        action=f"document_request.{state}",
        obj=request,
        concerns=message_concerns(request.case, request.message.audience),
        after={
            "case": request.case.reference,
            "resumed_clocks": [row.code for row in resumed],
            "suspension_end": end.isoformat(),
        },
    )


def _suspension_end(request: DocumentRequest, today: dt.date) -> dt.date:
    definition = ground_for_code(request.ground)
    if definition is not None and definition.lasts_until_due_date:
        # § 14a Abs. 4 Satz 1 BQFG: halted until the deadline the body set runs out, even when the
        # documents arrive earlier.
        return request.due_on
    if definition is not None and definition.ends_by_due_date:
        return min(today, request.due_on)
    return today


@transaction.atomic
def document_requests_answer(*, document: Document, actor: User | None) -> list[DocumentRequest]:
    """Called by the upload service: close the open requests of the case that this upload
    completes (each named item has a current document uploaded after the request) and let
    their clocks run again."""
    today = timezone.localdate()
    answered = []
    open_requests = (
        DocumentRequest.objects.select_for_update()
        .filter(case_id=document.case_id, state=RequestState.OPEN, items=document.item_id)
        .select_related("case", "message")
    )
    for request in open_requests:
        item_ids = set(request.items.values_list("pk", flat=True))
        delivered = set(
            Document.objects.filter(
                case_id=request.case_id,
                item_id__in=item_ids,
                superseded_by__isnull=True,
                uploaded_at__gte=request.created_at,
            ).values_list("item_id", flat=True)
        )
        if item_ids <= delivered:
            _close(
                request,
                state=RequestState.ANSWERED,
                end=_suspension_end(request, today),
                actor=actor,
            )
            answered.append(request)
    return answered


@transaction.atomic
def document_requests_lapse(*, today: dt.date | None = None) -> list[DocumentRequest]:
    """Close the open requests whose due date has passed without an answer (periodic job).

    For a ground that ends the suspension with the due date (§ 14a Abs. 4 Satz 1 BQFG), the clocks run
    again from the due date; the documents may still arrive later, but they no longer halt them.
    Requests whose ground sets no such limit stay open until answered.
    """
    today = today or timezone.localdate()
    lapsed = []
    overdue = (
        DocumentRequest.objects.select_for_update()
        .filter(state=RequestState.OPEN, due_on__lt=today)
        .select_related("case", "message")
    )
    for request in overdue:
        definition = ground_for_code(request.ground)
        if definition is None or not definition.ends_by_due_date:
            continue
        _close(request, state=RequestState.LAPSED, end=request.due_on, actor=None)
        lapsed.append(request)
    return lapsed
