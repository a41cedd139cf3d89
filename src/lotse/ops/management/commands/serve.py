"""`lotse serve`: the production web server (gunicorn, ADR 0021) with the settings' workers/threads.

Put it behind a TLS proxy (deploy/nginx/lotse.conf). Static files are served by whitenoise from
``LOTSE_STATIC_ROOT`` (run ``lotse collectstatic`` at install). SIGTERM stops it gracefully:
requests in flight finish (up to ``LOTSE_WEB_TIMEOUT`` seconds), new ones are refused.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application
from gunicorn.app.base import BaseApplication

from lotse.ops.logs import logging_config


class LotseServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return get_wsgi_application()


def _child_exit(server: Any, worker: Any) -> None:
    # A dead worker's live gauges must not be summed any more (its counters stay: they count).
    # Imported here, after metrics_directory() set PROMETHEUS_MULTIPROC_DIR.
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def metrics_directory() -> Path:
    """The folder where every server process writes its metric values (prometheus multiprocess).

    Set before prometheus_client is imported anywhere in this process, which is why this command
    runs no system checks (they load the URL configuration, and with it the metrics module).
    """
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if configured:
        directory = Path(configured)
        # Values of a previous run would be added to this one's.
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir(parents=True)
    else:
        directory = Path(tempfile.mkdtemp(prefix="lotse-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    return directory


class Command(BaseCommand):
    help = "Run the production web server (gunicorn) with LOTSE_WEB_* from the environment."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", help="host:port (default: LOTSE_WEB_BIND)")
        parser.add_argument("--workers", type=int, help="processes (default: LOTSE_WEB_WORKERS)")
        parser.add_argument("--threads", type=int, help="per process (default: LOTSE_WEB_THREADS)")

    def handle(self, *args: Any, **options: Any) -> None:
        metrics_directory()
        gunicorn_options = {
            "bind": [options["bind"] or settings.LOTSE_WEB_BIND],
            "workers": options["workers"] or settings.LOTSE_WEB_WORKERS,
            "threads": options["threads"] or settings.LOTSE_WEB_THREADS,
            "worker_class": "gthread",
            "timeout": settings.LOTSE_WEB_TIMEOUT,
            "graceful_timeout": settings.LOTSE_WEB_TIMEOUT,
            "keepalive": 5,
            # Each worker loads the application itself: no database connection is shared
            # across a fork.
            "preload_app": False,
            "proc_name": "lotse",
            "accesslog": None,
            "errorlog": "-",
            "logconfig_dict": logging_config(
                log_format=settings.LOTSE_LOG_FORMAT, level=settings.LOGGING["root"]["level"]
            ),
            # X-Forwarded-* are read by Django (LOTSE_TRUSTED_PROXIES), not rewritten here.
            "forwarded_allow_ips": "127.0.0.1,::1",
            "child_exit": _child_exit,
            # gunicorn's control socket sits at one path per user: two servers on one machine
            # would take it from each other, and systemd stops and reloads Lotse anyway.
            "control_socket_disable": True,
        }
        LotseServer(gunicorn_options).run()
