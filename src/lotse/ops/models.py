"""The heartbeat each background worker writes, so that readiness can tell whether work is done."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """One row per running worker process (host and pid), refreshed every few seconds.

    A row whose ``beat_at`` is old belongs to a worker that died or hangs; ``/readyz`` fails when
    no row is recent. Rows of long-gone processes are removed by the workers themselves.
    """

    worker = models.CharField(max_length=120, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.worker} {self.beat_at:%Y-%m-%d %H:%M:%S}"
