"""Start Lotse as a cluster: `lotse serve` twice, `lotse worker` twice, `lotse scheduler` twice.

All processes share one PostgreSQL database (the test database of pytest-django), one Redis
database and one S3 endpoint (moto server). Each process runs in its own session so that a whole
server (gunicorn's arbiter and its workers) can be killed at once.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.s3server import S3Endpoint, free_port

LOTSE = [sys.executable, "-m", "lotse"]
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file-based mail backend between messages


@dataclass
class Cluster:
    environment: dict[str, str]
    log_dir: Path
    mail_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, *arguments: str) -> None:
        log = (self.log_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [*LOTSE, *arguments], env=self.environment, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def start_server(self, name: str) -> None:
        port = free_port()
        self.ports[name] = port
        self.start(name, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                   "--threads", "4")  # fmt: skip

    def url(self, server: str) -> str:
        return f"http://127.0.0.1:{self.ports[server]}"

    def kill(self, name: str) -> None:
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)

    def logs(self) -> str:
        return "\n".join(
            f"==> {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.log_dir.glob("*.log"))
        )

    def wait_ready(self, server: str, timeout: float = 90) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url(server)}/readyz", timeout=5) as answer:  # noqa: S310
                    return dict(json.loads(answer.read()))
            except urllib.error.HTTPError as error:
                last = error.read()
            except OSError as error:
                last = error
            time.sleep(0.5)
        raise AssertionError(f"{server} not ready: {last!r}\n{self.logs()}")

    def mails(self) -> Counter[tuple[str, str]]:
        """(recipient, subject) of every message the workers wrote, with its multiplicity."""
        found: Counter[tuple[str, str]] = Counter()
        for path in sorted(self.mail_dir.glob("*")):
            for chunk in path.read_bytes().split(SEPARATOR):
                if not chunk.strip():
                    continue
                message = email.message_from_bytes(chunk, policy=email.policy.default)
                found[(str(message["To"]), " ".join(str(message["Subject"]).split()))] += 1
        return found


def cluster_environment(*, database: str, s3: S3Endpoint, bucket: str, mail_dir: Path,
                        var_dir: Path) -> dict[str, str]:  # fmt: skip
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TMPDIR"}}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "lotse.conf.settings",
        "LOTSE_ENV": "development",
        "LOTSE_DEBUG": "false",
        "DATABASE_URL": database,
        # Redis for the cache (lotse.conf.settings reads LOTSE_REDIS_URL once it has a cache
        # setting for it; database 13 is this test's own).
        "LOTSE_REDIS_URL": os.environ.get("LOTSE_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/13"),
        "LOTSE_VAR_DIR": str(var_dir),
        "LOTSE_MAIL_DIR": str(mail_dir),
        "LOTSE_LOG_FORMAT": "json",
        "LOTSE_WORKER_HEARTBEAT_SECONDS": "1",
        "LOTSE_AXES_ENABLED": "false",
        "LOTSE_METRICS_TOKEN": "cluster-metrics-token",
        "PYTHONUNBUFFERED": "1",
        **s3.environment(bucket),
    }
