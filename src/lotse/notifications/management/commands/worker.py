"""`lotse worker`: run the background tasks (mail delivery, reminders, digests, clean-up).

A thin wrapper around django-tasks-db's ``db_worker`` on all queues; any number of workers may
run at once (tasks are claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, outbox
rows with a conditional update). Each worker writes a heartbeat row while it runs
(lotse.ops.heartbeat), which ``/readyz`` reads.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from lotse.ops.heartbeat import HeartbeatThread


class Command(BaseCommand):
    help = "Run a background worker for Lotse's tasks (mail, reminders, digests, clean-up)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        heartbeat = None if options["batch"] else HeartbeatThread()
        if heartbeat is not None:
            heartbeat.start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=options["interval"],
                batch=options["batch"],
                reload=False,
                verbosity=options["verbosity"],
            )
        finally:
            if heartbeat is not None:
                heartbeat.stop()
