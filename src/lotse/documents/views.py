"""Thin views: objects come from the *_visible_to selectors, rights from lotse.access."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lotse.access import Action, can, cases_visible_to, require, upload_link_for
from lotse.accounts.models import User
from lotse.cases.models import Case, ChecklistItem
from lotse.core.client import client_ip
from lotse.core.ratelimit import Limit, hit
from lotse.documents.blobs import stored_blob_read
from lotse.documents.checks import case_findings
from lotse.documents.forms import (
    BulkReviewForm,
    MetadataForm,
    ReviewForm,
    UploadForm,
    UploadLinkForm,
    metadata_fields_for,
)
from lotse.documents.models import Document, ReviewState, SealedFile, UploadLink
from lotse.documents.preview import MAX_PREVIEW_PAGES, PreviewError, render_preview
from lotse.documents.sealing import case_file_seal, sealed_file_name, sealed_file_read
from lotse.documents.selectors import (
    current_original,
    document_gaps,
    documents_visible_to,
    item_statuses,
    powers_signed,
    sealed_files_of,
    unsealed_documents,
    upload_links_of,
)
from lotse.documents.services import (
    CLOSED_STATES,
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
from lotse.documents.worker import (
    WORKER_LANGUAGE_COOKIE,
    worker_items,
    worker_language_choose,
    worker_view,
)
from lotse.documents.worker_texts import (
    WORKER_LANGUAGE_CODES,
    WORKER_LANGUAGES,
    document_title,
    refusal_text,
    worker_language,
)
from lotse.filecheck.crypto import DecryptionError
from lotse.letters.context import LETTER_LABELS
from lotse.web.errors import form_errors_from

logger = logging.getLogger(__name__)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _case(request: HttpRequest, case_id: int) -> Case:
    case = get_object_or_404(
        cases_visible_to(user=_user(request)).select_related(
            "company", "site", "chamber", "authority", "advisor"
        ),
        pk=case_id,
    )
    require(_user(request), Action.VIEW, case)
    return case


def _damaged(request: HttpRequest, what: str, exc: Exception) -> HttpResponse:
    logger.error("stored file %s cannot be read: %s: %s", what, type(exc).__name__, exc)
    return render(request, "documents/damaged.html", {"section": "cases"}, status=500)


def case_documents_context(case: Case, user: User) -> dict[str, Any]:
    statuses = item_statuses(case)
    gaps = document_gaps(case, statuses)
    return {
        "case": case,
        "statuses": statuses,
        "gaps": gaps,
        "findings": case_findings(case, statuses),
        "powers": powers_signed(case),
        "can_upload": can(user, Action.UPLOAD, case) and case.state not in CLOSED_STATES,
        "can_review": can(user, Action.REVIEW, case),
        "can_share": can(user, Action.SHARE, case) and case.state not in CLOSED_STATES,
        "can_seal": can(user, Action.SEAL, case) and case.forwarded_at is not None,
        "upload_links": upload_links_of(case) if can(user, Action.SHARE, case) else [],
        "sealed_files": sealed_files_of(case),
        "unsealed_count": unsealed_documents(case).count() if case.forwarded_at else 0,
        "letters": list(LETTER_LABELS.items()),
        "upload_form": UploadForm(),
        "link_form": UploadLinkForm(initial={"days": settings.LOTSE_UPLOAD_LINK_DAYS}),
    }


@login_required
@require_GET
def case_documents(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    context = case_documents_context(case, _user(request))
    context["section"] = "cases"
    return render(request, "documents/case_documents.html", context)


@login_required
@require_POST
def upload(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.UPLOAD, case)
    item = get_object_or_404(case.checklist.all(), pk=item_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("documents:case", case_id=case.pk)
    upload_file = form.cleaned_data["file"]
    translation_of = None
    if form.cleaned_data["translation_of"]:
        translation_of = current_original(item, form.cleaned_data["translation_of"])
        if translation_of is None:
            messages.error(
                request,
                _("The translation must belong to the current original of this item."),
            )
            return redirect("documents:case", case_id=case.pk)
    try:
        document = _store(
            case, item, upload_file, user, translation_of, form.cleaned_data["language"]
        )
    except UploadRefused as refused:
        messages.error(request, _refused(upload_file, refused))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(file)s was uploaded for “%(item)s”.")
            % {"file": document.filename, "item": item.label},
        )
    return redirect(reverse("documents:case", args=[case.pk]) + f"#item-{item.pk}")


def _attachment(data: bytes, *, filename: str, content_type: str, inline: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = get_object_or_404(
        documents_visible_to(user=user).select_related("blob", "case", "item"), pk=pk
    )
    require(user, Action.VIEW, document)
    try:
        data = stored_blob_read(document.blob)
    except DecryptionError as exc:
        return _damaged(request, f"document {document.pk}", exc)
    document_downloaded(document=document, actor=user)
    return _attachment(
        data,
        filename=document.filename,
        content_type=document.mime_type,
        inline=request.GET.get("inline") == "1",
    )


def _review_saved(form: ReviewForm, *, document: Document, actor: User) -> bool:
    """One review decision from a submitted form; the service's refusal lands on the form."""
    if not form.is_valid():
        return False
    try:
        document_review(
            document=document,
            actor=actor,
            accept=form.cleaned_data["decision"] == "accept",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        form_errors_from(form, exc)
        return False
    return True


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    document = get_object_or_404(
        documents_visible_to(user=user).select_related("case", "item", "uploaded_by"), pk=pk
    )
    require(user, Action.REVIEW, document)
    case = document.case
    show = metadata_fields_for(document.item.document_code)
    metadata_form = MetadataForm(instance=document, show=show, prefix="meta")
    review_form = ReviewForm(prefix="review")
    if request.method == "POST":
        if "save_metadata" in request.POST:
            metadata_form = MetadataForm(request.POST, instance=document, show=show, prefix="meta")
            if metadata_form.is_valid():
                changes = {name: metadata_form.cleaned_data[name] for name in show}
                document.refresh_from_db()
                try:
                    document_metadata_update(document=document, actor=user, **changes)
                except ValidationError as exc:
                    form_errors_from(metadata_form, exc)  # type: ignore[arg-type]
                else:
                    messages.success(request, _("The details of the document were saved."))
                    return redirect("documents:review", pk=document.pk)
        else:
            review_form = ReviewForm(request.POST, prefix="review")
            if _review_saved(review_form, document=document, actor=user):
                messages.success(request, _("The review was saved."))
                return redirect(
                    reverse("documents:case", args=[case.pk]) + f"#item-{document.item_id}"
                )
    statuses = item_statuses(case)
    findings = [f for f in case_findings(case, statuses) if f.document == document]
    return render(
        request,
        "documents/review.html",
        {
            "section": "cases",
            "case": case,
            "document": document,
            "metadata_form": metadata_form,
            "review_form": review_form,
            "findings": findings,
        },
    )


@login_required
@require_POST
def link_create(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.SHARE, case)
    form = UploadLinkForm(request.POST)
    days = form.cleaned_data["days"] if form.is_valid() else None
    try:
        link, token = upload_link_create(case=case, actor=user, days=days)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        url = request.build_absolute_uri(reverse("documents:worker", args=[token]))
        request.session["lotse_new_upload_link"] = {"id": link.pk, "url": url}
        messages.success(
            request,
            _(
                "A new upload link was created. Copy it now and send it to the worker; it is shown only once."
            ),
        )
    return redirect(reverse("documents:case", args=[case.pk]) + "#upload-links")


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    link = get_object_or_404(
        UploadLink.objects.filter(case__in=cases_visible_to(user=user)).select_related("case"),
        pk=pk,
    )
    require(user, Action.REVOKE, link)
    upload_link_revoke(link=link, actor=user)
    messages.success(request, _("The upload link was revoked; it no longer opens."))
    return redirect(reverse("documents:case", args=[link.case_id]) + "#upload-links")


@login_required
@require_GET
def sealed_download(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, case_id)
    sealed = get_object_or_404(SealedFile.objects.select_related("blob", "case"), case=case,
                               number=number)  # fmt: skip
    require(user, Action.VIEW, sealed)
    try:
        data = sealed_file_read(sealed=sealed, actor=user)
    except DecryptionError as exc:
        return _damaged(request, f"sealed file {sealed.pk}", exc)
    return _attachment(
        data, filename=sealed_file_name(sealed), content_type="application/zip", inline=False
    )


@login_required
@require_POST
def seal_supplement(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.SEAL, case)
    if case.forwarded_at is None:
        messages.error(request, _("The file is sealed when the case is forwarded."))
    else:
        try:
            sealed = case_file_seal(case=case, actor=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Supplement %(number)s was sealed for the immigration office.")
                % {"number": sealed.number},
            )
    return redirect(reverse("documents:case", args=[case.pk]) + "#sealed-files")


# --- Several files at once, previews and the chamber's review of the whole file ---------------


@login_required
@require_POST
def upload_many(request: HttpRequest, case_id: int) -> HttpResponse:
    """One form with a file input per checklist item: every chosen file is stored on its own.

    A refused file is reported and loses nothing else; the item ids come from this case's
    checklist only (an id of another case's item is ignored).
    """
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.UPLOAD, case)
    only = request.POST.get("only", "")
    stored: list[str] = []
    chosen = 0
    for status in item_statuses(case):
        item = status.item
        upload_file = request.FILES.get(f"file_{item.pk}")
        if upload_file is None or not status.uploadable or (only and only != str(item.pk)):
            continue
        chosen += 1
        form = UploadForm(
            {
                "language": request.POST.get(f"language_{item.pk}", ""),
                "translation_of": request.POST.get(f"translation_of_{item.pk}", ""),
            },
            {"file": upload_file},
        )
        if not form.is_valid():
            messages.error(
                request,
                _("%(file)s was not stored: %(reason)s")
                % {"file": upload_file.name, "reason": " ".join(
                    str(e) for errors in form.errors.values() for e in errors)},
            )  # fmt: skip
            continue
        translation_of = None
        if form.cleaned_data["translation_of"]:
            translation_of = current_original(item, form.cleaned_data["translation_of"])
            if translation_of is None:
                messages.error(
                    request,
                    _("The translation must belong to the current original of this item."),
                )
                continue
        try:
            document = _store(
                case, item, upload_file, user, translation_of, form.cleaned_data["language"]
            )
        except UploadRefused as refused:
            messages.error(request, _refused(upload_file, refused))
        except ValidationError as exc:
            messages.error(
                request,
                _("%(file)s was not stored: %(reason)s")
                % {"file": upload_file.name, "reason": " ".join(exc.messages)},
            )
        else:
            stored.append(document.filename)
    if not chosen:
        messages.error(request, _("Choose a file to upload."))
    elif stored:
        messages.success(
            request,
            ngettext(
                "%(count)s file was uploaded: %(files)s",
                "%(count)s files were uploaded: %(files)s",
                len(stored),
            )
            % {"count": len(stored), "files": ", ".join(stored)},
        )
    return redirect(reverse("documents:case", args=[case.pk]) + "#checklist-heading")


@login_required
@require_GET
def preview(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    """One page of a document as a PNG rendered on the server (no active content)."""
    user = _user(request)
    document = get_object_or_404(
        documents_visible_to(user=user).select_related("blob", "case", "item"), pk=pk
    )
    require(user, Action.VIEW, document)
    if not 1 <= page <= min(document.page_count, MAX_PREVIEW_PAGES):
        return HttpResponse(_("This page does not exist."), status=404,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    try:
        data = stored_blob_read(document.blob)
    except DecryptionError as exc:
        return _damaged(request, f"document {document.pk}", exc)
    try:
        png = render_preview(data, mime_type=document.mime_type, page=page)
    except PreviewError as exc:
        logger.warning("no preview for document %s page %s: %s", document.pk, page, exc)
        return HttpResponse(_("No preview for this page; open the file instead."), status=404,
                            content_type="text/plain; charset=utf-8")  # fmt: skip
    if page == 1:
        document_previewed(document=document, actor=user)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def _review_cards(case: Case, forms: dict[int, ReviewForm] | None = None) -> list[dict[str, Any]]:
    statuses = item_statuses(case)
    findings = case_findings(case, statuses)
    cards = []
    for status in statuses:
        for document in (status.document, status.translation):
            if document is None:
                continue
            cards.append(_card(document, status.item.label, findings, forms))
    return cards


def _card(
    document: Document,
    label: str,
    findings: list[Any],
    forms: dict[int, ReviewForm] | None = None,
) -> dict[str, Any]:
    pages = min(document.page_count, MAX_PREVIEW_PAGES)
    return {
        "document": document,
        "label": label,
        "pages": range(1, pages + 1),
        "more_pages": document.page_count - pages,
        "findings": [
            f for f in findings if f.document is not None and f.document.pk == document.pk
        ],
        "form": (forms or {}).get(document.pk) or ReviewForm(prefix=f"d{document.pk}"),
    }


def _review_page(
    request: HttpRequest, case: Case, *, forms: dict[int, ReviewForm] | None = None,
    bulk: BulkReviewForm | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    cards = _review_cards(case, forms)
    return render(
        request,
        "documents/review_file.html",
        {
            "section": "cases",
            "case": case,
            "cards": cards,
            "to_review": sum(
                1 for c in cards if c["document"].review_state == ReviewState.UPLOADED
            ),
            "bulk_form": bulk or BulkReviewForm(),
        },
        status=status,
    )


@login_required
@require_GET
def review_file(request: HttpRequest, case_id: int) -> HttpResponse:
    """Every current document of the case in one view: previews, findings, decisions."""
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.REVIEW, case)
    return _review_page(request, case)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or reject one document from the review view (htmx swaps its card)."""
    user = _user(request)
    document = get_object_or_404(
        documents_visible_to(user=user).select_related("case", "item", "uploaded_by"), pk=pk
    )
    require(user, Action.REVIEW, document)
    case = _case(request, document.case_id)
    form = ReviewForm(request.POST, prefix=f"d{document.pk}")
    saved = _review_saved(form, document=document, actor=user)
    if request.htmx:  # type: ignore[attr-defined]
        document.refresh_from_db()
        statuses = item_statuses(case)
        card = _card(document, document.item.label, case_findings(case, statuses),
                     None if saved else {document.pk: form})  # fmt: skip
        card["saved"] = saved
        return render(request, "documents/_review_card.html", {"case": case, "card": card})
    if saved:
        messages.success(
            request, _("The review of %(file)s was saved.") % {"file": document.filename}
        )
        return redirect(reverse("documents:review_file", args=[case.pk]) + f"#doc-{document.pk}")
    return _review_page(request, case, forms={document.pk: form}, status=422)


@login_required
@require_POST
def review_bulk(request: HttpRequest, case_id: int) -> HttpResponse:
    """Accept every ticked document of the case at once (all or none)."""
    user = _user(request)
    case = _case(request, case_id)
    require(user, Action.REVIEW, case)
    form = BulkReviewForm(request.POST)
    if form.is_valid():
        ids = form.cleaned_data["documents"]
        documents = list(
            Document.objects.filter(case=case, pk__in=ids).current().select_related("item", "case")
        )
        try:
            if len(documents) != len(set(ids)):
                raise ValidationError(
                    {
                        "documents": _(
                            "A chosen document was replaced meanwhile or is not in this case."
                        )
                    }
                )
            documents_review_bulk(case=case, documents=documents, actor=user, accept=True,
                                  reason=form.cleaned_data["reason"])  # fmt: skip
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(count)s document was accepted.", "%(count)s documents were accepted.",
                         len(documents)) % {"count": len(documents)},
            )  # fmt: skip
            return redirect("documents:review_file", case_id=case.pk)
    return _review_page(request, case, bulk=form, status=422)


# --- The worker's page (no account: the link is the capability) -------------------------------


def _worker_language(request: HttpRequest, case: Case | None = None) -> str:
    """The language chosen on this page (?lang=, remembered in a cookie), else the one stored
    on the case (the worker's last choice or the staff's), else English."""
    for chosen in (request.GET.get("lang"), request.COOKIES.get(WORKER_LANGUAGE_COOKIE)):
        if chosen in WORKER_LANGUAGE_CODES:
            return str(chosen)
    return worker_language(case.worker_language if case is not None else None)


def _rate_limited(key: str, limit: int) -> bool:
    """A fixed one-hour window per key in the shared cache (lotse.core.ratelimit)."""
    return not hit(Limit("upload-link", limit, 3600), key)


@never_cache
def worker(request: HttpRequest, token: str) -> HttpResponse:
    if _rate_limited(f"ip:{client_ip(request)}",
                     settings.LOTSE_UPLOAD_LINK_VIEWS_PER_HOUR):  # fmt: skip
        response = _worker_page(request, "documents/worker_limited.html", {}, status=429)
    else:
        link = upload_link_for(token=token)
        if link is None:
            response = _worker_page(request, "documents/worker_invalid.html", {}, status=404)
        else:
            response = _worker(request, token, link)
    chosen = request.GET.get("lang")
    if chosen in WORKER_LANGUAGE_CODES:
        response.set_cookie(
            WORKER_LANGUAGE_COOKIE, str(chosen), max_age=365 * 86400, samesite="Lax",
            secure=request.is_secure(), httponly=True,
        )  # fmt: skip
    # The token is in the URL: it must never travel to another site in a Referer header.
    # (no-referrer would also make the browser send "Origin: null" on the upload form, which
    # the CSRF check rightly refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _worker_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    case: Case | None = None,
) -> HttpResponse:
    language = _worker_language(request, case)
    with translation.override(language):
        context.update({
            "language": language,
            "language_bidi": translation.get_language_bidi(),
            "worker_languages": WORKER_LANGUAGES,
        })  # fmt: skip
        return render(request, template, context, status=status)


def _worker(request: HttpRequest, token: str, link: UploadLink) -> HttpResponse:
    case = link.case
    language = _worker_language(request, case)
    if request.method == "POST":
        if _rate_limited(f"link:{link.pk}", settings.LOTSE_UPLOAD_LINK_UPLOADS_PER_HOUR):
            return _worker_page(request, "documents/worker_limited.html", {}, status=429)
        with translation.override(language):
            _worker_upload(request, link, case, language)
        return redirect(reverse("documents:worker", args=[token]) + f"?lang={language}")
    if request.GET.get("lang") in WORKER_LANGUAGE_CODES and case.worker_language != language:
        # The mails to the worker follow the language chosen here (issue 9).
        worker_language_choose(case=case, link=link, language=language)
    with translation.override(language):
        context = worker_view(case)
    context.update({"token": token, "link": link, "upload_form": UploadForm()})
    return _worker_page(request, "documents/worker.html", context, case=case)


def _worker_upload(request: HttpRequest, link: UploadLink, case: Case, language: str) -> None:
    item_id = request.POST.get("item", "")
    item = next((s.item for s in worker_items(case) if str(s.item.pk) == item_id), None)
    form = UploadForm(request.POST, request.FILES)
    if item is None or not form.is_valid():
        messages.error(request, _("Choose a document and a file."))
        return
    upload_file = form.cleaned_data["file"]
    translation_of = None
    if form.cleaned_data["translation_of"]:
        translation_of = current_original(item, form.cleaned_data["translation_of"])
        if translation_of is None:
            messages.error(request, _("Choose a document and a file."))
            return
    try:
        data = read_upload(upload_file)
        document_upload(
            case=case,
            item=item,
            data=data,
            filename=upload_file.name or "upload",
            declared_type=upload_file.content_type,
            translation_of=translation_of,
            actor=None,
            link=link,
            language=form.cleaned_data["language"],
        )
    except UploadRefused as refused:
        messages.error(
            request,
            _("%(file)s was not accepted: %(reason)s")
            % {
                "file": upload_file.name,
                "reason": refusal_text(
                    refused.code, refused.message_de, refused.message_en, language
                ),
            },
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Thank you. %(file)s was received for “%(item)s”. The chamber will check it.")
            % {
                "file": upload_file.name,
                "item": document_title(item.document_code, item.label_de, item.label_en, language),
            },
        )


def _store(
    case: Case,
    item: ChecklistItem,
    upload_file: UploadedFile,
    user: User,
    translation_of: Document | None,
    language: str,
) -> Document:
    """One upload of a page through the same service as the API (checks, encryption, audit)."""
    return document_upload(
        case=case,
        item=item,
        data=read_upload(upload_file),
        filename=upload_file.name or "upload",
        declared_type=upload_file.content_type,
        actor=user,
        translation_of=translation_of,
        language=language,
    )


def _refused(upload_file: UploadedFile, refused: UploadRefused) -> str:
    return _("%(file)s was not stored: %(reason)s") % {
        "file": upload_file.name,
        "reason": refused.message(translation.get_language()),
    }
