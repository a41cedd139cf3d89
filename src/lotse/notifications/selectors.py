"""Reads of notifications: the user's list, the unread count, the preference table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def notification_unread_count(*, user: User) -> int:
    return notifications_visible_to(user=user).filter(read_at__isnull=True).count()


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
