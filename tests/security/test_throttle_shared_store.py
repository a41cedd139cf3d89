"""The worker link's limit holds over several processes when they share Redis.

Before: each process counted in its own memory, and three workers let 58 of 60 uploads
through a limit of 30 an hour. Needs a Redis at 127.0.0.1:6379 (started by .ci/run where the
machine has one); without one the test says it was skipped.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import subprocess
import sys
import uuid
from typing import Any

import pytest
from django.test import override_settings

from lotse.documents.views import _rate_limited
from tests.settings_probe import settings_say

REDIS = ("127.0.0.1", 6379)
LIMIT = 30


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _redis_cache(prefix: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://{REDIS[0]}:{REDIS[1]}/9",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }


def _uploads(key: str, attempts: int, start: Any, allowed: Any) -> None:
    start.wait()
    for _attempt in range(attempts):
        if not _rate_limited(key, LIMIT):
            with allowed.get_lock():
                allowed.value += 1


def _run(processes: int, attempts: int) -> int:
    context = multiprocessing.get_context("fork")
    start = context.Event()
    allowed = context.Value("i", 0)
    key = f"link:{uuid.uuid4().hex}"
    workers = [
        context.Process(target=_uploads, args=(key, attempts, start, allowed))
        for _index in range(processes)
    ]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return int(allowed.value)


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_three_processes_let_exactly_the_limit_through_with_redis() -> None:
    with override_settings(CACHES=_redis_cache(f"lotse-test-{uuid.uuid4().hex}")):
        assert _run(processes=3, attempts=20) == LIMIT


def test_without_a_shared_store_each_process_counts_alone() -> None:
    """What LOTSE_REDIS_URL is for: local memory lets every process have its own 30."""
    assert _run(processes=3, attempts=20) == 60


def _settings_say(code: str, **env: str) -> str:
    return settings_say(code, **env)


def test_lotse_redis_url_makes_redis_the_shared_cache() -> None:
    backend = (
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION'))"
    )
    assert _settings_say(backend, LOTSE_REDIS_URL="redis://cache.internal:6379/2") == (
        "django_redis.cache.RedisCache redis://cache.internal:6379/2"
    )
    assert _settings_say(backend).startswith("django.core.cache.backends.locmem.LocMemCache")


def test_a_malformed_trusted_proxy_names_the_variable() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_")}
    clean.update(LOTSE_TRUSTED_PROXIES="10.0.0.0/8,proxy.internal")
    result = subprocess.run(
        [sys.executable, "-c", "import lotse.conf.settings"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "LOTSE_TRUSTED_PROXIES" in result.stderr
