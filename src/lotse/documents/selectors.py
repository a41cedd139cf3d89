"""Reads of the documents area: what a case has, what it lacks, which powers are signed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from lotse.access import cases_visible_to
from lotse.documents.models import Document, ReviewState, SealedFile, UploadLink

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case, ChecklistItem

# Items that are data in Lotse rather than a file (the chamber ticks them on the checklist).
NOT_UPLOADABLE = frozenset({"company_details"})
# The powers of attorney whose signed copies come back as uploads (§ 81a Abs. 1 AufenthG).
POWERS = ("power_of_attorney", "sub_power_of_attorney")


def documents_visible_to(*, user: User) -> QuerySet[Document]:
    return Document.objects.filter(case__in=cases_visible_to(user=user))


def current_original(item: ChecklistItem, document_id: int) -> Document | None:
    """The item's current original with this id, or None (a translation needs one)."""
    return (
        Document.objects.filter(item=item, pk=document_id, translation_of__isnull=True)
        .current()
        .first()
    )


def is_uploadable(item: ChecklistItem) -> bool:
    return item.document_code not in NOT_UPLOADABLE


@dataclass
class ItemStatus:
    """One checklist item with its current upload, translation and what is still missing."""

    item: ChecklistItem
    document: Document | None = None
    translation: Document | None = None
    history: list[Document] = field(default_factory=list)
    uploadable: bool = True

    @property
    def on_paper(self) -> bool:
        return self.item.paper_original_seen_on is not None

    @property
    def translation_missing(self) -> bool:
        return (
            self.document is not None
            and self.document.translation_required
            and (self.translation is None or not self.translation.is_accepted)
        )

    @property
    def complete(self) -> bool:
        """Present for the forwarding gate: accepted (with translation) or seen on paper."""
        if not self.uploadable:
            return self.item.is_satisfied
        if self.on_paper:
            return True
        return (
            self.document is not None and self.document.is_accepted and not self.translation_missing
        )

    @property
    def state(self) -> str:
        """missing | optional | uploaded | rejected | accepted | paper | not_uploadable."""
        if not self.uploadable:
            return "not_uploadable"
        if self.on_paper and (self.document is None or not self.document.is_accepted):
            return "paper"
        if self.document is None:
            return "missing" if self.item.is_mandatory else "optional"
        return str(self.document.review_state)


def _item_documents() -> QuerySet[Document]:
    return Document.objects.select_related(
        "uploaded_by", "reviewed_by", "uploaded_via_link"
    ).order_by("uploaded_at", "pk")


# Where ``case_documents()`` puts a case's documents (a list, oldest upload first).
CASE_DOCUMENTS = "checklist_documents"


def case_documents() -> Prefetch[Any]:
    """The prefetch of every document of a case for ``item_statuses``: together with the
    case's prefetched ``checklist`` (lotse.cases.selectors.case_detail_queryset), the statuses
    are built without a query of their own."""
    return Prefetch("documents", queryset=_item_documents(), to_attr=CASE_DOCUMENTS)


def _prefetched_items(case: Case) -> list[Any] | None:
    """The case's checklist with ``all_documents`` from its prefetches, or None without them."""
    documents: list[Document] | None = getattr(case, CASE_DOCUMENTS, None)
    cache = getattr(case, "_prefetched_objects_cache", {})
    if documents is None or "checklist" not in cache:
        return None
    by_item: dict[int | None, list[Document]] = {}
    for document in documents:
        by_item.setdefault(document.item_id, []).append(document)
    items = list(cache["checklist"])
    for item in items:
        item.all_documents = by_item.get(item.pk, [])
    return items


def item_statuses(case: Case) -> list[ItemStatus]:
    """Every checklist item of ``case`` with its documents, in checklist order (2 queries; none
    when the case comes with ``checklist`` and ``case_documents()`` prefetched)."""
    items: list[Any] | None = _prefetched_items(case)
    if items is None:
        items = list(
            case.checklist.select_related("paper_original_seen_by").prefetch_related(
                Prefetch("documents", queryset=_item_documents(), to_attr="all_documents")
            )
        )
    result = []
    for item in items:
        status = ItemStatus(item=item, uploadable=is_uploadable(item))
        all_documents: list[Document] = item.all_documents
        for document in all_documents:
            if not document.is_current:
                status.history.append(document)
            elif document.translation_of_id is None:
                status.document = document
        if status.document is not None:
            for document in all_documents:
                if document.is_current and document.translation_of_id == status.document.pk:
                    status.translation = document
        result.append(status)
    return result


@dataclass(frozen=True)
class Gap:
    item: ChecklistItem
    code: str  # missing | not_reviewed | rejected | translation_missing | not_checked
    message: str


def document_gaps(case: Case, statuses: list[ItemStatus] | None = None) -> list[Gap]:
    """What keeps the file from being forwarded: every mandatory item that is not complete."""
    gaps = []
    for status in statuses if statuses is not None else item_statuses(case):
        item = status.item
        if not item.is_mandatory or status.complete:
            continue
        label = item.label
        if not status.uploadable:
            gaps.append(Gap(item, "not_checked", _("%(item)s: not yet checked.") % {"item": label}))
        elif status.document is None:
            gaps.append(
                Gap(
                    item,
                    "missing",
                    _("%(item)s: no document uploaded and no original seen on paper.")
                    % {"item": label},
                )
            )
        elif status.document.review_state == ReviewState.REJECTED:
            gaps.append(
                Gap(
                    item,
                    "rejected",
                    _("%(item)s: the document was rejected; a new one is needed.")
                    % {"item": label},
                )
            )
        elif status.document.review_state == ReviewState.UPLOADED:
            gaps.append(
                Gap(
                    item,
                    "not_reviewed",
                    _("%(item)s: uploaded, not yet accepted by the chamber.") % {"item": label},
                )
            )
        else:
            gaps.append(
                Gap(
                    item,
                    "translation_missing",
                    _("%(item)s: the sworn German translation is missing or not accepted.")
                    % {"item": label},
                )
            )
    return gaps


def powers_signed(case: Case) -> dict[str, bool]:
    """Which powers of attorney are signed: an accepted signed copy, or the original seen."""
    signed = dict.fromkeys(POWERS, False)
    for status in item_statuses(case):
        if status.item.document_code in signed:
            signed[status.item.document_code] = status.complete
    return signed


def upload_links_of(case: Case) -> QuerySet[UploadLink]:
    return case.upload_links.select_related("created_by", "revoked_by").order_by("-created_at")


def sealed_files_of(case: Case) -> QuerySet[SealedFile]:
    return case.sealed_files.select_related("sealed_by").order_by("number")


def unsealed_documents(case: Case) -> QuerySet[Document]:
    """Accepted current documents not yet in any sealed file (the next supplement)."""
    return (
        Document.objects.filter(case=case, review_state=ReviewState.ACCEPTED)
        .current()
        .filter(sealed_in__isnull=True)
        .select_related("item")
    )


def upload_link_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def upload_link_for_token(token: str) -> UploadLink | None:
    """The active link for ``token``, or None (unknown, expired or revoked)."""
    if not token or len(token) > 100:
        return None
    link = (
        UploadLink.objects.select_related("case")
        .filter(token_hash=upload_link_token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if link is None or not link.is_active:
        return None
    return link
