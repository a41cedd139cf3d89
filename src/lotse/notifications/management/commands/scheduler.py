"""`lotse scheduler`: enqueue the periodic jobs (outbox flush, reminders, digest, clean-up).

Any number of schedulers may run: a slot of a job is enqueued by exactly one of them.
"""

from __future__ import annotations

import signal
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from lotse.notifications.scheduler import scheduler_tick


class Command(BaseCommand):
    help = "Enqueue Lotse's periodic jobs on time (run one or more next to `lotse worker`)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")
        parser.add_argument("--interval", type=float, default=20.0)

    def handle(self, *args: Any, **options: Any) -> None:
        running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            close_old_connections()
            for name in scheduler_tick():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            slept = 0.0
            while running and slept < options["interval"]:
                time.sleep(0.5)
                slept += 0.5
