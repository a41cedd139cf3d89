"""`lotse worker`: run the background tasks (mail delivery, reminders, digests, clean-up).

A thin wrapper around django-tasks-db's ``db_worker`` on all queues; any number of workers may
run at once (tasks and outbox rows are claimed exactly once).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a background worker for Lotse's tasks (mail, reminders, digests, clean-up)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            "db_worker",
            queue_name="*",
            interval=options["interval"],
            batch=options["batch"],
            reload=False,
            verbosity=options["verbosity"],
        )
