"""Fixed-window counters in the shared cache: login, password reset, worker link, API.

The counters live in Django's default cache, which is Redis (django-redis) in production, so
every web process and every worker counts into the same number (``LOTSE_REDIS_URL``; without
it, each process has its own local-memory cache and the limits hold per process only).

A counter is never read-then-written: ``cache.add`` creates it (only if absent) and
``cache.incr`` is one atomic INCR in Redis, so three processes at the limit cannot let a
request through twice. The window is part of the key, so a new hour starts a new counter
instead of racing to reset the old one.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

PREFIX = "lotse:rl"


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events per ``seconds`` for one key of one ``scope``."""

    scope: str
    count: int
    seconds: int


def _cache_key(limit: Limit, key: str, now: float | None = None) -> str:
    window = int((time.time() if now is None else now) // limit.seconds)
    # Keys may carry e-mail addresses; the cache sees only their hash.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"{PREFIX}:{limit.scope}:{window}:{digest}"


def hit(limit: Limit, key: str) -> bool:
    """Count one event; True when it is within the limit, False when it is one too many."""
    if limit.count <= 0:
        return True
    cache_key = _cache_key(limit, key)
    # The key outlives its window by a little so that a late incr never recreates it at 1.
    cache.add(cache_key, 0, timeout=limit.seconds + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # Evicted between add and incr (local memory under pressure): start again at one.
        cache.add(cache_key, 1, timeout=limit.seconds + 60)
        count = 1
    return count <= limit.count


def exceeded(limit: Limit, key: str) -> bool:
    """Whether the key has used up its limit, without counting."""
    if limit.count <= 0:
        return False
    count = cache.get(_cache_key(limit, key), 0)
    return int(count) >= limit.count


def clear(limit: Limit, key: str) -> None:
    cache.delete(_cache_key(limit, key))
