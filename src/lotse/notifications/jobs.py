"""Periodic jobs of notifications, enqueued by `lotse scheduler` (see scheduler.py)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from lotse.notifications import digest, reminders


@task()
def digest_send_task() -> int:
    return digest.digest_send_all()


@task()
def reminders_scan_task() -> dict[str, Any]:
    return reminders.reminders_scan().as_dict()
