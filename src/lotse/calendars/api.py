"""API of the calendar feed: one's own feed address, created, renewed and revoked.

No ``from __future__ import annotations`` here: ninja resolves the annotations at import.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from lotse.accounts.models import User
from lotse.api.errors import COMMON_ERRORS
from lotse.calendars.selectors import active_feed_of
from lotse.calendars.services import calendar_feed_create, calendar_feed_revoke

router = Router(tags=["calendar"])


class FeedOut(Schema):
    active: bool
    created_at: datetime | None
    last_used_at: datetime | None


class NewFeedOut(FeedOut):
    url: str


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _state(user: User) -> dict[str, Any]:
    feed = active_feed_of(user=user)
    return {
        "active": feed is not None,
        "created_at": feed.created_at if feed else None,
        "last_used_at": feed.last_used_at if feed else None,
    }


@router.get(
    "/me/calendar",
    response={200: FeedOut, **COMMON_ERRORS},
    summary="Whether the caller has a calendar feed address (the address itself is never shown again)",
)
def calendar_state(request: HttpRequest) -> dict[str, Any]:
    return _state(_user(request))


@router.post(
    "/me/calendar",
    response={201: NewFeedOut, **COMMON_ERRORS},
    summary="Create or renew the caller's calendar feed address (shown once; the old one stops)",
)
def calendar_renew(request: HttpRequest) -> Status[dict[str, Any]]:
    _feed, token = calendar_feed_create(actor=_user(request))
    url = request.build_absolute_uri(reverse("calendars:feed", args=[token]))
    return Status(201, {**_state(_user(request)), "url": url})


@router.post(
    "/me/calendar/revoke",
    response={200: FeedOut, **COMMON_ERRORS},
    summary="Revoke the caller's calendar feed address",
)
def calendar_revoke(request: HttpRequest) -> dict[str, Any]:
    feed = active_feed_of(user=_user(request))
    if feed is not None:
        calendar_feed_revoke(feed=feed, actor=_user(request))
    return _state(_user(request))
