from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from lotse.audit.models import AuditEvent

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
