from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction

from lotse.audit.actions import is_known, require_known
from lotse.audit.chain import GENESIS, event_hash, lock_chain, personal_digest
from lotse.audit.models import AuditEvent, AuditEventConcern
from lotse.core.context import current_request_context

if TYPE_CHECKING:
    from lotse.accounts.models import User
    from lotse.organisations.models import Organisation


logger = logging.getLogger(__name__)


class AuditOutsideTransactionError(RuntimeError):
    """An audit event must commit or roll back together with the change it records."""


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    concerns: Iterable[Organisation],
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event inside the caller's transaction.

    Called by services only, never by views: the service knows what changed and runs
    in the transaction that changes it. ``action`` is a code of :data:`lotse.audit.actions.ACTIONS`;
    any other code is refused (in production it is logged and recorded, as evidence must not be
    lost over a missing label).
    """
    if not is_known(action):
        if not settings.PRODUCTION:
            require_known(action)
        logger.error("audit action %r is not registered in lotse.audit.actions", action)
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransactionError(
            f"audit_record({action!r}) was called outside a transaction; "
            "wrap the service in transaction.atomic()"
        )
    context = current_request_context()
    actor_is_user = actor is not None and actor.pk is not None
    organisation_ids = sorted({org.pk for org in concerns if org is not None})
    event = AuditEvent(
        actor=actor if actor_is_user else None,
        actor_label=(actor.display_name if actor is not None and actor_is_user else "system"),
        actor_organisation=actor.organisation if actor is not None and actor_is_user else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        request_id=context.request_id if context else "",
        ip_address=context.ip_address if context else None,
    )
    event.personal_sha256 = personal_digest(
        object_repr=event.object_repr,
        before=event.before,
        after=event.after,
        ip_address=event.ip_address,
    )
    # Held until commit: the next writer reads this event as the head (no fork, lotse.audit.chain).
    lock_chain()
    head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event.prev_hash = head or GENESIS
    event.hash = event_hash(
        prev_hash=event.prev_hash,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        actor_organisation_id=event.actor_organisation_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        request_id=event.request_id,
        personal_sha256=event.personal_sha256,
        concern_ids=organisation_ids,
    )
    event.save(force_insert=True)
    AuditEventConcern.objects.bulk_create(
        [AuditEventConcern(event=event, organisation_id=pk) for pk in organisation_ids]
    )
    return event
