"""Thin views: the case's conversation page, posting (htmx or plain form), attachment download."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lotse.access import (
    Action,
    can,
    case_party,
    cases_visible_to,
    message_audiences_writable,
    require,
)
from lotse.accounts.models import User
from lotse.cases.models import Case
from lotse.conversations.forms import DocumentRequestForm, MessageForm
from lotse.conversations.grounds import ground as ground_for_code
from lotse.conversations.models import Audience
from lotse.conversations.selectors import attachments_visible_to, case_messages_once
from lotse.conversations.services import (
    ENDED_STATES,
    MAX_ATTACHMENTS,
    AttachmentIn,
    document_request_create,
    message_attachment_downloaded,
)
from lotse.conversations.services import (
    message_post as message_post_service,
)
from lotse.documents.blobs import stored_blob_read
from lotse.documents.uploads import UploadRefused, read_upload
from lotse.filecheck.crypto import DecryptionError
from lotse.web.errors import form_errors_from

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, case_id: int) -> Case:
    case = get_object_or_404(
        cases_visible_to(user=_user(request)).select_related("company", "chamber", "authority"),
        pk=case_id,
    )
    require(_user(request), Action.VIEW, case)
    return case


def conversation_context(
    *,
    user: User,
    case: Case,
    form: MessageForm | None = None,
    request_form: DocumentRequestForm | None = None,
) -> dict[str, Any]:
    """What the conversation section shows; used by the page, htmx answers and the case page."""
    audiences = message_audiences_writable(user, case)
    party = case_party(user, case)
    can_write = can(user, Action.MESSAGE, case) and bool(audiences)
    can_request = can(user, Action.REQUEST_DOCUMENTS, case) and case.state not in ENDED_STATES
    language = translation.get_language()
    messages = case_messages_once(user=user, case=case)
    for message in messages:
        request = getattr(message, "request", None)
        if request is not None:
            definition = ground_for_code(request.ground)
            message.ground_label = definition.label(language) if definition else request.ground  # type: ignore[attr-defined]
    requests = [m.request for m in messages if m.kind == "request"]
    return {
        "case": case,
        "conversation": messages,
        "requests_total": len(requests),
        "requests_open": sum(1 for r in requests if r.state == "open"),
        "audience_labels": dict(Audience.choices),
        "can_write": can_write,
        "can_request": can_request,
        "message_form": form or (MessageForm(audiences=audiences) if can_write else None),
        "request_form": request_form
        or (DocumentRequestForm(case=case, party=party) if can_request else None),
        "max_attachments": MAX_ATTACHMENTS,
        "forwarded": case.forwarded_at is not None,
    }


def _render(request: HttpRequest, case: Case, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = conversation_context(user=_user(request), case=case, **forms)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "conversations/_section.html", context, status=status)
    context["section"] = "cases"
    return render(request, "conversations/case.html", context, status=status)


def _attachments(request: HttpRequest) -> list[AttachmentIn]:
    files = request.FILES.getlist("attachments")
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            {
                "attachments": _("At most %(max)d files can be attached to a message.")
                % {"max": MAX_ATTACHMENTS}
            }
        )
    return [
        AttachmentIn(
            data=read_upload(f), filename=f.name or "attachment", declared_type=f.content_type
        )
        for f in files
    ]


def _refused(refused: UploadRefused) -> str:
    reason = refused.message(translation.get_language())
    return _("An attachment was not accepted: %(reason)s") % {"reason": reason}


def _done(request: HttpRequest, case: Case) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _render(request, case)
    return redirect(reverse("cases:detail", args=[case.pk]) + "#conversation")


@login_required
@require_GET
def case_conversation(request: HttpRequest, case_id: int) -> HttpResponse:
    return _render(request, _case(request, case_id))


@login_required
@require_POST
def message_post(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.MESSAGE, case)
    form = MessageForm(request.POST, audiences=message_audiences_writable(user, case))
    if not form.is_valid():
        return _render(request, case, form=form)
    try:
        message_post_service(
            case=case,
            audience=form.cleaned_data["audience"],
            body=form.cleaned_data["body"],
            actor=user,
            attachments=_attachments(request),
        )
    except UploadRefused as refused:
        form.add_error(None, _refused(refused))
        return _render(request, case, form=form)
    except ValidationError as exc:
        form_errors_from(form, exc)
        return _render(request, case, form=form)
    return _done(request, case)


@login_required
@require_POST
def request_create(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.REQUEST_DOCUMENTS, case)
    form = DocumentRequestForm(request.POST, case=case, party=case_party(user, case))
    if not form.is_valid():
        return _render(request, case, request_form=form)
    try:
        document_request_create(
            case=case,
            ground=form.cleaned_data["ground"],
            items=list(form.cleaned_data["items"]),
            reason=form.cleaned_data["reason"],
            due_on=form.cleaned_data["due_on"],
            actor=user,
            attachments=_attachments(request),
        )
    except UploadRefused as refused:
        form.add_error(None, _refused(refused))
        return _render(request, case, request_form=form)
    except ValidationError as exc:
        form_errors_from(form, exc)
        return _render(request, case, request_form=form)
    return _done(request, case)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    attachment = get_object_or_404(
        attachments_visible_to(user=user).select_related("blob", "message__case"), pk=pk
    )
    require(user, Action.VIEW, attachment)
    try:
        data = stored_blob_read(attachment.blob)
    except DecryptionError as exc:
        logger.error("attachment %s cannot be read: %s", attachment.pk, exc)
        return render(request, "documents/damaged.html", {"section": "cases"}, status=500)
    message_attachment_downloaded(attachment=attachment, actor=user)
    response = HttpResponse(data, content_type=attachment.mime_type)
    safe = attachment.filename.replace('"', "").replace("\\", "")
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
