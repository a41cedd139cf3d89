"""`lotse run`: the web server, one worker and one scheduler together, for development.

Ctrl+C (or SIGTERM) stops all three; if one of them ends, the others are stopped too. The worker's
and the scheduler's output (in development the e-mails themselves, printed by the console mail
backend) goes to ``var/worker.log``, so that the terminal keeps the sign-in lines of ``make run``
in view instead of burying them under the demo's mails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from pathlib import Path
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server with a background worker and scheduler."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--background-log",
            default="var/worker.log",
            help="File for the worker's and the scheduler's output (default: var/worker.log).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lotse = [sys.executable, "-m", "lotse"]
        commands = {
            "worker": [*lotse, "worker", "--verbosity", "0"],
            "scheduler": [*lotse, "scheduler", "--verbosity", "0"],
            "web": [*lotse, "runserver", options["addrport"]],
        }
        log_path = Path(options["background_log"])
        log_path.parent.mkdir(parents=True, exist_ok=True)
        background_log = log_path.open("a", encoding="utf-8")
        self.stdout.write(f"Worker and scheduler (and the e-mails they send) log to {log_path}")
        # Each in its own process group, so that runserver's autoreloader child goes with it.
        processes = {
            name: subprocess.Popen(  # noqa: S603
                command,
                start_new_session=True,
                stdout=None if name == "web" else background_log,
                stderr=None if name == "web" else subprocess.STDOUT,
            )
            for name, command in commands.items()
        }
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while not stopping and all(p.poll() is None for p in processes.values()):
                time.sleep(0.3)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            background_log.close()
