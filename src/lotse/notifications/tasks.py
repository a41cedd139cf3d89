"""Background work of notifications (django-tasks; `lotse worker` runs it, `lotse scheduler`
enqueues the periodic jobs).

The outbox row is the truth; a task is only a wake-up call. A lost wake-up (a crash between the
commit and the enqueue) costs at most one minute: the scheduler runs ``outbox_flush_task``
every minute.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django_tasks import default_task_backend, task

from lotse.notifications import delivery

logger = logging.getLogger(__name__)


def wake(mail_id: int, *, run_after: datetime | None = None) -> None:
    """Enqueue the delivery of one mail; never raises (the periodic flush is the safety net)."""
    try:
        if run_after is not None:
            if not default_task_backend.supports_defer:
                return
            mail_deliver.using(run_after=run_after).enqueue(mail_id)
        else:
            mail_deliver.enqueue(mail_id)
    except Exception:  # the row stays due; the next flush sends it
        logger.exception("could not enqueue the delivery of mail %s", mail_id)


def wake_after_commit(mail_id: int) -> None:
    transaction.on_commit(lambda: wake(mail_id))


@task()
def mail_deliver(mail_id: int) -> bool:
    outcome = delivery.mail_deliver_one(mail_id)
    if outcome is not None and outcome.retry_at is not None:
        wake(mail_id, run_after=outcome.retry_at)
    return bool(outcome and outcome.sent)


@task()
def outbox_flush_task() -> int:
    return sum(1 for outcome in delivery.outbox_flush() if outcome.sent)
