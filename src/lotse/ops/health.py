"""Readiness checks: each names one component and says "ok" or why it is not ready.

Nothing here returns an exception's message: ``/readyz`` is public (load balancers ask it) and a
message may carry a host name or a path. The class name says enough to start looking.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from lotse.documents.storage import document_storage
from lotse.ops.heartbeat import heartbeat_stale_after, latest_heartbeat


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"lotse:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return "ok" if found == "1" else "does not keep values"


def check_storage() -> str:
    # A lookup of a name that never exists: for S3 a real request to the bucket (a missing bucket
    # or wrong keys fail here), for a folder a stat.
    document_storage().exists("readyz-probe")
    return "ok"


def check_worker() -> str:
    beat = latest_heartbeat()
    if beat is None:
        return "no worker has reported"
    if timezone.now() - beat > heartbeat_stale_after():
        return "no recent heartbeat"
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "worker": check_worker,
}


def readiness() -> dict[str, str]:
    """Every component's state; a failing check does not stop the others from running."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # any failure means "not ready", named by its class
            results[name] = f"error: {type(exc).__name__}"
    return results
