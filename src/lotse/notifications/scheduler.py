"""The periodic jobs and the scheduler that enqueues them (``lotse scheduler``).

Any number of schedulers may run: each slot of each job is a ``ScheduledRun`` row with a unique
(job, slot) constraint, so exactly one scheduler enqueues it. The jobs themselves are idempotent
too (outbox claims, reminder rows, digest claims), so a slot enqueued late or twice costs
nothing but time. Times are UTC minutes; daily jobs run at ``LOTSE_DIGEST_HOUR`` local time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from lotse.documents.tasks import storage_orphans_delete
from lotse.insights.tasks import statistics_refresh_task
from lotse.notifications.jobs import digest_send_task, reminders_scan_task
from lotse.notifications.models import ScheduledRun
from lotse.notifications.tasks import outbox_flush_task
from lotse.privacy.tasks import retention_delete

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: Task[[], Any]
    slot: Callable[[dt.datetime], dt.datetime]  # the start of the slot a moment belongs to


def every_minutes(minutes: int) -> Callable[[dt.datetime], dt.datetime]:
    def slot(now: dt.datetime) -> dt.datetime:
        start = now.replace(second=0, microsecond=0)
        return start - dt.timedelta(minutes=start.minute % minutes)

    return slot


def daily_at(hour: int) -> Callable[[dt.datetime], dt.datetime]:
    """The last local ``hour``:00 at or before ``now`` (so a late scheduler still runs it)."""

    def slot(now: dt.datetime) -> dt.datetime:
        local = timezone.localtime(now)
        start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        if start > local:
            start -= dt.timedelta(days=1)
        return start.astimezone(dt.UTC)

    return slot


def jobs() -> tuple[Job, ...]:
    return (
        Job("outbox_flush", outbox_flush_task, every_minutes(1)),
        Job("reminders_scan", reminders_scan_task, every_minutes(60)),
        Job("digest_send", digest_send_task, daily_at(int(settings.LOTSE_DIGEST_HOUR))),
        # Blobs left behind by a crash (issue 8): lotse.documents.tasks.
        Job("documents_orphans_delete", storage_orphans_delete, daily_at(3)),
        # Expected dates of open cases, monthly rollups, open statistics (issue 13).
        Job("statistics_refresh", statistics_refresh_task, daily_at(2)),
        # Documents and personal data of ended cases after LOTSE_RETENTION_DAYS_* (lotse.privacy).
        Job("privacy_retention_delete", retention_delete, daily_at(2)),
    )


def scheduler_tick(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot no scheduler has enqueued yet; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs():
        slot = job.slot(now)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=job.name, slot=slot)
                job.task.enqueue()
        except IntegrityError:
            continue  # another scheduler has this slot
        enqueued.append(job.name)
    # Old slots are of no further use: keep a week for the record.
    ScheduledRun.objects.filter(slot__lt=now - dt.timedelta(days=7)).delete()
    return enqueued
