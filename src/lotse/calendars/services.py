"""Writes of the calendar feeds: create (or renew) and revoke, each with its audit event.

Audit actions: ``calendar_feed.created``, ``calendar_feed.revoked``.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from lotse.audit.services import audit_record
from lotse.calendars.models import CalendarFeed
from lotse.calendars.selectors import token_hash

if TYPE_CHECKING:
    from lotse.accounts.models import User


def _revoke(feed: CalendarFeed, actor: User) -> None:
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="calendar_feed.revoked",
        obj=feed,
        concerns=[actor.organisation] if actor.organisation else [],
        after={"user": feed.user_id},
    )


@transaction.atomic
def calendar_feed_create(*, actor: User) -> tuple[CalendarFeed, str]:
    """A new secret feed URL token for the actor (shown once); the previous one stops working."""
    for feed in CalendarFeed.objects.select_for_update().filter(
        user=actor, revoked_at__isnull=True
    ):
        _revoke(feed, actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, token_hash=token_hash(token))
    audit_record(
        actor=actor,
        action="calendar_feed.created",
        obj=feed,
        concerns=[actor.organisation] if actor.organisation else [],
        after={"user": actor.pk},
    )
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, actor: User) -> CalendarFeed:
    if feed.revoked_at is None:
        _revoke(feed, actor)
    return feed


def calendar_feed_read(*, feed: CalendarFeed) -> None:
    """Note when a calendar program last fetched the feed (no audit event: it polls hourly)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
