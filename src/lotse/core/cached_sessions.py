"""Sessions read from the shared cache and written through to the database (ADR 0027).

The session engine when ``LOTSE_REDIS_URL`` is set. Django's ``cached_db`` engine reads a
session from the cache and writes every change to the database first and then to the cache, so
a flushed or restarted Redis loses no session: the next request reads the row and puts it back.
A signed-in request then costs no session query.

Three changes to Django's engine, each about a cache that does not answer (a restart, the
network), where Django's engine either fails every signed-in request or could bring a session
back to life:

- **Reading** falls back to the row, which holds every session, and does not put it back into a
  cache that failed: Django's engine answers a failed read with a write, which fails the request.
- **Deleting** (sign-out, a new session key at sign-in, a session whose password changed) takes
  the session out of the cache *before* the row. When the cache does not answer, the deletion
  fails with the error and the row stays: the person sees that the sign-out failed and the
  session stays what it is. Django deletes the row first, so a failed cache deletion left a
  signed-out session alive in the cache for the rest of its age, to be read again once the
  cache answered.
- **Writing** a changed session that the cache then refuses takes the stale copy out of the
  cache, so that the next read goes to the row instead of to the old contents.

A session row deleted by other means than the engine (SQL, ``Session.objects.delete()``) stays
in the cache until its age runs out: docs/operations.md says how to sign everyone out.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

if TYPE_CHECKING:
    from django.contrib.sessions.models import Session
    from django.core.cache import BaseCache

log = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    if TYPE_CHECKING:  # set or defined by Django's engines, absent from django-stubs
        _cache: BaseCache
        _session: dict[str, Any]

        def _get_session_from_db(self) -> Session | None: ...

    def load(self) -> dict[str, Any]:
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            log.warning("session: the cache did not answer, read from the database", exc_info=True)
            row = self._get_session_from_db()
            return self.decode(row.session_data) if row else {}
        if data is not None:
            return dict(data)
        row = self._get_session_from_db()
        if row is None:
            return {}
        data = self.decode(row.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date))
        except Exception:
            log.warning("session: the cache did not answer, not cached", exc_info=True)
        return dict(data)

    def exists(self, session_key: str | None) -> bool:
        if not session_key:
            return False
        try:
            if (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            log.warning("session: the cache did not answer, asked the database", exc_info=True)
        return bool(super(CachedDBStore, self).exists(session_key))

    def save(self, must_create: bool = False) -> None:
        super(CachedDBStore, self).save(must_create)
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            log.warning("session: the cache did not take the change", exc_info=True)
            try:
                self._cache.delete(self.cache_key)
            except Exception:
                # The old contents may be read again once the cache answers, until their age
                # runs out: said loudly.
                log.error("session: a stale copy may remain in the cache", exc_info=True)

    def delete(self, session_key: str | None = None) -> None:
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        # The cache first: if it does not answer, this raises and the row stays (see above).
        self._cache.delete(self.cache_key_prefix + session_key)
        super(CachedDBStore, self).delete(session_key)
