"""Reads of notifications: the user's list, the unread count, the preference table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import QuerySet

from lotse.access import notifications_visible_to
from lotse.notifications.models import (
    DEFAULT_DELIVERY,
    KIND_CATEGORY,
    Category,
    Kind,
    Notification,
    Preference,
)
from lotse.notifications.recipients import RULES

if TYPE_CHECKING:
    from lotse.accounts.models import User


def notification_list_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    found = notifications_visible_to(user=user).select_related("case")
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-pk")


# The bell on every signed-in page: the unread count per user, in the shared cache (Redis in
# production) next to a generation number per user that every write of the user's notifications
# bumps (``unread_changed``). Both are read in one round trip; a count is used only if it was
# stored under the current generation, so a count read before a change is never shown after it.
# The lifetime bounds what a per-process local-memory cache, or a removal past the services
# (a case deleted with its notifications), may show.
UNREAD_LIFETIME = 60
_UNREAD_GENERATION = "lotse:notifications:unread-generation:{}"
_UNREAD_COUNT = "lotse:notifications:unread:{}"


def notification_unread_count(*, user: User) -> int:
    keys = _UNREAD_GENERATION.format(user.pk), _UNREAD_COUNT.format(user.pk)
    found = cache.get_many(keys)
    generation = found.get(keys[0], 0)
    stored = found.get(keys[1])
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == generation:
        return int(stored[1])
    count = notifications_visible_to(user=user).filter(read_at__isnull=True).count()
    cache.set(keys[1], (generation, count), UNREAD_LIFETIME)
    return count


def unread_changed(user_id: int) -> None:
    """The user's notifications were written: the cached count is stale (lotse.notifications.
    services calls it at once and again after the commit)."""
    key = _UNREAD_GENERATION.format(user_id)
    try:
        cache.incr(key)
    except ValueError:
        # No generation (never written, or evicted): a count stored under a generation that
        # this one might repeat goes as well.
        cache.set(key, 1, None)
        cache.delete(_UNREAD_COUNT.format(user_id))


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    category: str
    category_label: str
    delivery: str
    default: str


# Kinds a user account can receive (the worker has no account and no choice).
USER_KINDS: tuple[str, ...] = tuple(
    kind for kind in Kind.values if RULES[kind] - {"worker"} or not RULES[kind]
)


def notification_preferences_for(*, user: User) -> list[PreferenceRow]:
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    rows = []
    for kind in USER_KINDS:
        category = KIND_CATEGORY[kind]
        default = DEFAULT_DELIVERY[category]
        rows.append(
            PreferenceRow(
                kind=kind,
                label=str(Kind(kind).label),
                category=category,
                category_label=str(Category(category).label),
                delivery=chosen.get(kind, default),
                default=default,
            )
        )
    return rows
