"""Worker heartbeats: a row per worker process, updated from a thread next to the task loop.

The heartbeat runs in its own thread (with its own database connection) so that a long task does
not make a healthy worker look dead; a worker whose process hangs as a whole stops beating.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from lotse.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def heartbeat_interval() -> float:
    return float(settings.LOTSE_WORKER_HEARTBEAT_SECONDS)


def heartbeat_stale_after() -> timedelta:
    # Three missed beats: one slow database round trip is not a dead worker.
    return timedelta(seconds=3 * heartbeat_interval())


def heartbeat_beat(*, worker: str, now: datetime | None = None) -> None:
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": now})
    # A day-old row is a process that is long gone (a restart gets a new pid).
    WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(days=1)).delete()


def heartbeat_stop(*, worker: str) -> None:
    WorkerHeartbeat.objects.filter(worker=worker).delete()


def latest_heartbeat() -> datetime | None:
    row = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    return row


class HeartbeatThread(threading.Thread):
    """Beats every ``LOTSE_WORKER_HEARTBEAT_SECONDS`` until :meth:`stop`; removes its row then."""

    def __init__(self, worker: str | None = None) -> None:
        super().__init__(name="lotse-heartbeat", daemon=True)
        self.worker = worker or worker_identity()
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.is_set():
                try:
                    close_old_connections()
                    heartbeat_beat(worker=self.worker)
                except Exception:  # the database may be away for a moment; beat again later
                    logger.exception("worker heartbeat failed")
                self._stopped.wait(heartbeat_interval())
            try:
                heartbeat_stop(worker=self.worker)
            except Exception:
                logger.exception("could not remove the worker heartbeat")
        finally:
            connection.close()

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=10)
