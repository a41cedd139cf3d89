"""Reads of the conversations area. What a user may read comes from lotse.access."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from lotse.access import messages_visible_to
from lotse.conversations.models import (
    Audience,
    DocumentRequest,
    Message,
    MessageAttachment,
    RequestState,
)

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.cases.models import Case


def case_messages(*, user: User, case: Case) -> QuerySet[Message]:
    """The messages of one case the user may read, oldest first, with attachments and requests."""
    return (
        messages_visible_to(user=user)
        .filter(case=case)
        .select_related("request", "author_organisation")
        .prefetch_related(
            Prefetch("attachments", queryset=MessageAttachment.objects.order_by("pk")),
            "request__items",
        )
        .order_by("created_at", "pk")
    )


def case_messages_once(*, user: User, case: Case) -> list[Message]:
    """``case_messages`` read once per case object and user: the case page shows the messages
    (its conversation section) and their requests for documents (its timeline). For a case
    loaded to be shown; one loaded before a write is loaded again (as the views do)."""
    key = f"_lotse_messages_{user.pk}"
    found: list[Message] | None = case.__dict__.get(key)
    if found is None:
        found = case.__dict__[key] = list(case_messages(user=user, case=case))
    return found


def document_requests_in(messages: Iterable[Message]) -> list[DocumentRequest]:
    """The requests for documents among ``messages`` (read with them), in the order of
    ``document_requests_of``: the same requests, as each belongs to its message's case."""
    found = [request for m in messages if (request := getattr(m, "request", None)) is not None]
    return sorted(found, key=lambda r: (r.created_at, r.pk))


def attachments_visible_to(*, user: User) -> QuerySet[MessageAttachment]:
    return MessageAttachment.objects.filter(message__in=messages_visible_to(user=user))


def document_requests_of(*, user: User, case: Case) -> QuerySet[DocumentRequest]:
    """The requests for documents on a case that the user may read (their message's audience)."""
    return (
        DocumentRequest.objects.filter(case=case, message__in=messages_visible_to(user=user))
        .select_related("message")
        .prefetch_related("items")
        .order_by("created_at", "pk")
    )


def open_document_requests(*, case: Case) -> QuerySet[DocumentRequest]:
    return DocumentRequest.objects.filter(case=case, state=RequestState.OPEN)


def with_document_request_counts(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate each case with how many Nachforderungen it had, in all and per requesting party.

    ``document_requests`` counts every request; ``abh_document_requests`` those of the
    immigration office (the cooperation's KPI, target zero); ``chamber_document_requests`` the
    chamber's own after its completeness check.
    """
    return cases.annotate(
        document_requests_total=Count("document_requests", distinct=True),
        abh_document_requests=Count(
            "document_requests",
            filter=Q(document_requests__requested_by_party="abh"),
            distinct=True,
        ),
        chamber_document_requests=Count(
            "document_requests",
            filter=Q(document_requests__requested_by_party="chamber"),
            distinct=True,
        ),
    )


def document_request_count(*, case: Case, party: str | None = None) -> int:
    """How many Nachforderungen a case had (of one requesting party, when given)."""
    requests = DocumentRequest.objects.filter(case=case)
    if party is not None:
        requests = requests.filter(requested_by_party=party)
    return requests.count()


def worker_messages(*, case: Case) -> QuerySet[Message]:
    """The messages addressed to the worker, for the worker's page (reached by the upload link)."""
    return (
        Message.objects.filter(case=case, audience=Audience.WORKER)
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
