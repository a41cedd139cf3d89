"""Cheap counters of the workbenches: counted up to a cap, cached, invalidated on every change.

A page never counts a large set: it counts at most ``CAP + 1`` rows and shows "more than 1,000"
beyond. The result is cached (Django's cache: Redis in production, local memory otherwise) under
a generation number that every case or clock change bumps after its commit; a short lifetime
bounds what a per-process local-memory cache may show after a change made in another process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import QuerySet

CAP = 1000
LIFETIME = 60
_GENERATION = "lotse:cases:generation"
T = TypeVar("T")


def changed() -> None:
    """Invalidate every cached counter (called on commit of a case or clock change)."""
    try:
        cache.incr(_GENERATION)
    except ValueError:
        cache.set(_GENERATION, 1, None)


def _generation() -> int:
    value = cache.get(_GENERATION)
    if value is None:
        cache.add(_GENERATION, 0, None)
        value = cache.get(_GENERATION, 0)
    return int(value)


def capped_count(queryset: QuerySet[Any]) -> int:
    """The number of rows, counted up to CAP + 1 (CAP + 1 means "more than CAP")."""
    bare = queryset.select_related(None).prefetch_related(None).order_by()
    return int(bare[: CAP + 1].count())


def cached(name: str, key: Iterable[Hashable], compute: Callable[[], T]) -> T:
    """``compute()``, cached until the next case or clock change (or LIFETIME seconds)."""
    parts = hashlib.sha256(repr(tuple(key)).encode()).hexdigest()[:32]
    full = f"lotse:cases:{_generation()}:{name}:{parts}"
    value: T | None = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, LIFETIME)
    return value
