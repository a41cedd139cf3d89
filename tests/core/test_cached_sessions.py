"""Sessions in the shared cache, written through to the database (lotse.core.cached_sessions).

A signed-in request reads its session from the cache; a session that ends (sign-out, a changed
password) is gone from the cache as well as from the database; a flushed cache loses nothing; a
cache that does not answer neither fails signed-in pages nor leaves a signed-out session alive.
The cache here is a separate local-memory cache, so that a test can make it fail alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import BaseCache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotse.accounts.models import Role
from lotse.core.cached_sessions import SessionStore
from tests.conftest import World
from tests.settings_probe import settings_say

pytestmark = pytest.mark.django_db

PREFIX = "django.contrib.sessions.cached_db"


@pytest.fixture
def session_cache(settings: Any) -> BaseCache:
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lotse-test-sessions",
        },
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.SESSION_ENGINE = "lotse.core.cached_sessions"
    store = caches["sessions"]
    store.clear()
    return store


def _down(*args: Any, **kwargs: Any) -> NoReturn:
    raise ConnectionError("the cache does not answer")


def _key(client: Client) -> str:
    return str(client.cookies["sessionid"].value)


def _signed_in(client: Client) -> bool:
    return client.get(reverse("web:dashboard")).status_code == 200


def _session_queries(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


def test_production_with_redis_uses_the_cached_engine_and_without_it_the_database() -> None:
    probe = "print(settings.SESSION_ENGINE)"
    assert settings_say(probe, LOTSE_REDIS_URL="redis://cache.internal:6379/2") == (
        "lotse.core.cached_sessions"
    )
    assert settings_say(probe) == "django.contrib.sessions.backends.db"


def test_a_signed_in_request_reads_its_session_from_the_cache(
    world: World, client_for: Callable[..., Client], session_cache: BaseCache
) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    assert _signed_in(client)
    assert session_cache.get(PREFIX + _key(client)) is not None
    with CaptureQueriesContext(connection) as captured:
        assert _signed_in(client)
    assert _session_queries(captured) == []


def test_signing_out_removes_the_session_from_cache_and_database(
    world: World, client_for: Callable[..., Client], session_cache: BaseCache
) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    assert _signed_in(client)
    key = _key(client)
    client.post(reverse("accounts:logout"))
    assert session_cache.get(PREFIX + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    # The old cookie, sent again (a copy kept by someone else), signs in no one.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not _signed_in(replay)


def test_a_changed_password_ends_the_other_sessions_in_the_cache_too(
    world: World, client_for: Callable[..., Client], session_cache: BaseCache
) -> None:
    user = world.users[Role.COMPANY_HR]
    elsewhere = client_for(user)
    assert _signed_in(elsewhere)
    key = _key(elsewhere)
    user.set_password("a new password of some length")
    user.save(update_fields=["password"])
    assert not _signed_in(elsewhere)
    assert session_cache.get(PREFIX + key) is None
    assert not Session.objects.filter(session_key=key).exists()


def test_a_flushed_cache_loses_no_session(
    world: World, client_for: Callable[..., Client], session_cache: BaseCache
) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    assert _signed_in(client)
    session_cache.clear()
    assert _signed_in(client)
    assert session_cache.get(PREFIX + _key(client)) is not None


def test_a_cache_that_does_not_answer_fails_no_signed_in_page(
    world: World,
    client_for: Callable[..., Client],
    session_cache: BaseCache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    assert _signed_in(client)
    for method in ("get", "set", "add", "delete", "has_key"):
        monkeypatch.setattr(session_cache, method, _down)
    # Django's engine answered a failed read with a write into the same cache, which failed.
    assert _signed_in(client)


def test_a_sign_out_the_cache_does_not_confirm_leaves_no_session_alive_in_it(
    world: World,
    client_for: Callable[..., Client],
    session_cache: BaseCache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    client.raise_request_exception = False
    assert _signed_in(client)
    key = _key(client)
    with monkeypatch.context() as patch:
        patch.setattr(session_cache, "delete", _down)
        assert client.post(reverse("accounts:logout")).status_code == 500
    # Either both still hold the session (the sign-out failed, visibly) or neither does. Django's
    # engine deleted the row first: the copy in the cache signed the person in again once the
    # cache answered.
    in_cache = session_cache.get(PREFIX + key) is not None
    in_database = Session.objects.filter(session_key=key).exists()
    assert in_cache == in_database


def test_a_change_the_cache_refuses_leaves_no_stale_copy_in_it(
    world: World,
    client_for: Callable[..., Client],
    session_cache: BaseCache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = client_for(world.users[Role.COMPANY_HR])
    assert _signed_in(client)
    key = _key(client)
    store = SessionStore(key)
    store["lotse_test"] = "changed"
    with monkeypatch.context() as patch:
        patch.setattr(session_cache, "set", _down)
        store.save()
    assert session_cache.get(PREFIX + key) is None
    assert SessionStore(key)["lotse_test"] == "changed"
