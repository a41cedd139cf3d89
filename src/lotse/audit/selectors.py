from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from lotse.audit.chain import BrokenLink, first_broken_link
from lotse.audit.models import AuditEvent, AuditEventConcern

if TYPE_CHECKING:
    from lotse.accounts.models import User


def audit_event_list_visible_to(*, user: User) -> QuerySet[AuditEvent]:
    """Events about objects of the user's own organisation; the platform administrator sees all."""
    events = AuditEvent.objects.select_related("actor_organisation").order_by("-occurred_at", "-id")
    if user.is_platform_admin:
        return events
    if user.organisation_id is None:
        return events.none()
    return events.filter(concerns=user.organisation_id)


def audit_chain_verify() -> tuple[int, BrokenLink | None]:
    """Recompute the hash chain over every event; the count checked and the first broken link."""
    concerns: dict[int, list[int]] = {}
    for event_id, organisation_id in AuditEventConcern.objects.values_list(
        "event_id", "organisation_id"
    ).iterator():
        concerns.setdefault(event_id, []).append(organisation_id)
    rows = (
        AuditEvent.objects.order_by("id")
        .values(
            "id",
            "prev_hash",
            "hash",
            "occurred_at",
            "actor_id",
            "actor_label",
            "actor_organisation_id",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "ip_address",
            "request_id",
            "personal_sha256",
            "redacted",
        )
        .iterator(chunk_size=2000)
    )
    return first_broken_link(rows, concerns)
