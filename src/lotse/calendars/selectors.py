"""Reads of the calendar feeds: the feed for a token, a user's active feed."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from lotse.calendars.models import CalendarFeed

if TYPE_CHECKING:
    from lotse.accounts.models import User


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def calendar_feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed for ``token`` whose owner is still active, or None."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user", "user__organisation")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def active_feed_of(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
