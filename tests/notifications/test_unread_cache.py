"""The bell's unread count is cached per user and never outlives a change of the user's
notifications: a new one, one read, all read, and a count another request read before the
commit (lotse.notifications.selectors.notification_unread_count)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotse.accounts.models import User
from lotse.notifications.models import Kind, Notification
from lotse.notifications.selectors import notification_unread_count
from lotse.notifications.services import (
    notification_emit,
    notification_mark_all_read,
    notification_mark_read,
)
from tests.conftest import World
from tests.notifications.conftest import CA, CHR, advised_case

pytestmark = pytest.mark.django_db


def _count(user: User) -> tuple[int, int]:
    """The count and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        value = notification_unread_count(user=user)
    return value, len(queries.captured_queries)


def _emit(world: World, times: int = 1) -> None:
    case = advised_case(world)
    with transaction.atomic():
        for _ in range(times):
            notification_emit(kind=Kind.FILE_FORWARDED, case=case, actor=None)


def test_the_count_is_read_once_and_then_from_the_cache(world: World) -> None:
    hr = world.users[CHR]
    _emit(world, times=2)
    assert _count(hr) == (2, 1)
    assert _count(hr) == (2, 0)
    assert _count(hr) == (2, 0)


def test_every_write_of_the_users_notifications_renews_the_count(world: World) -> None:
    hr, admin = world.users[CHR], world.users[CA]
    assert _count(hr) == (0, 1)
    assert _count(admin) == (0, 1)
    _emit(world, times=3)
    assert _count(hr) == (3, 1)
    assert _count(admin) == (3, 1)
    first = Notification.objects.filter(recipient=hr).order_by("pk").first()
    assert first is not None
    notification_mark_read(notification=first, actor=hr)
    assert _count(hr) == (2, 1)
    # The other recipient's count stays cached: nothing of theirs changed.
    assert _count(admin) == (3, 0)
    # Reading one that is read already changes nothing.
    notification_mark_read(notification=first, actor=hr)
    assert _count(hr) == (2, 0)
    notification_mark_all_read(actor=hr)
    assert _count(hr) == (0, 1)
    assert _count(admin) == (3, 0)


def test_a_count_read_before_the_commit_is_not_kept_after_it(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    hr = world.users[CHR]
    case = advised_case(world)
    assert _count(hr) == (0, 1)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notification_emit(kind=Kind.FILE_FORWARDED, case=case, actor=None)
        # Another request counts while the transaction is still open (it sees 0) and stores
        # that under the generation it read, after the write's first bump.
        key = f"lotse:notifications:unread:{hr.pk}"
        generation = cache.get(f"lotse:notifications:unread-generation:{hr.pk}")
        cache.set(key, (generation, 0), 60)
        assert _count(hr) == (0, 0)
    # After the commit the stale count is not used.
    assert _count(hr) == (1, 1)


def test_the_bell_on_a_page_follows_reading(
    world: World, client_for: Callable[..., Client]
) -> None:
    _emit(world, times=1)
    client = client_for(world.users[CHR])
    assert 'data-testid="unread-count"' in client.get(reverse("web:dashboard")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert 'data-testid="unread-count"' not in client.get(reverse("web:dashboard")).content.decode()
