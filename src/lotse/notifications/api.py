"""The notifications API: /api/v1/notifications. A user sees and marks only their own."""

import datetime as dt
from enum import Enum
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from lotse.access import Action, notifications_visible_to, require
from lotse.accounts.models import User
from lotse.api.errors import COMMON_ERRORS, OBJECT_ERRORS, ErrorOut
from lotse.api.pagination import Pagination
from lotse.notifications import rendering, selectors, services
from lotse.notifications.models import Delivery, Kind, Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="One of: " + ", ".join(Kind.values))
    kind_label: str
    summary: str = Field(description="One line in the user's language.")
    case_id: int | None
    case_reference: str | None
    url: str = Field(description="The page of the case in Lotse.")
    created_at: dt.datetime
    read_at: dt.datetime | None
    delivery: str


class UnreadOut(Schema):
    unread: int


class ReadAllOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    category: str
    delivery: str = Field(description="immediate | digest | in_app")
    default: str


KindChoice = Enum(  # type: ignore[misc]
    "KindChoice", {kind: kind for kind in selectors.USER_KINDS}, type=str
)
DeliveryChoice = Enum(  # type: ignore[misc]
    "DeliveryChoice", {value: value for value in Delivery.values}, type=str
)


class PreferenceIn(Schema):
    kind: KindChoice
    delivery: DeliveryChoice = Field(
        description="immediate (e-mail at once) | digest (daily summary) | in_app (list only)"
    )


class PreferencesIn(Schema):
    choices: list[PreferenceIn] = Field(description="Kinds left out stay unchanged.")


class NotificationFilterIn(Schema):
    unread: bool = False


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "kind_label": str(notification.get_kind_display()),
        "summary": rendering.subject(notification),
        "case_id": notification.case_id,
        "case_reference": notification.case.reference if notification.case else None,
        "url": rendering.case_url(notification),
        "created_at": notification.created_at,
        "read_at": notification.read_at,
        "delivery": notification.delivery,
    }


class _LazyNotifications:
    def __init__(self, rows: Any) -> None:
        self.rows = rows

    def count(self) -> int:
        return int(self.rows.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_out(n) for n in self.rows[item]]


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **COMMON_ERRORS},
    summary="Your notifications, newest first",
)
@paginate(Pagination)
def notification_list(request: HttpRequest, params: Query[NotificationFilterIn]) -> Any:
    return _LazyNotifications(
        selectors.notification_list_for(user=_user(request), unread_only=params.unread)
    )


@router.get(
    "/notifications/unread-count",
    response={200: UnreadOut, **COMMON_ERRORS},
    summary="How many of your notifications are unread",
)
def notification_unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.notification_unread_count(user=_user(request))}


@router.post(
    "/notifications/read-all",
    response={200: ReadAllOut, **COMMON_ERRORS},
    summary="Mark all your notifications as read",
)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notification_mark_all_read(actor=_user(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **OBJECT_ERRORS, 403: ErrorOut},
    summary="Mark one notification as read",
)
def notification_read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    user = _user(request)
    notification = get_object_or_404(
        notifications_visible_to(user=user).select_related("case"), pk=notification_id
    )
    require(user, Action.EDIT, notification)
    return _out(services.notification_mark_read(notification=notification, actor=user))


@router.get(
    "/notifications/preferences",
    response={200: list[PreferenceOut], **COMMON_ERRORS},
    summary="How each kind of notification reaches you",
)
def preference_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "kind": row.kind,
            "label": row.label,
            "category": row.category,
            "delivery": row.delivery,
            "default": row.default,
        }
        for row in selectors.notification_preferences_for(user=_user(request))
    ]


@router.put(
    "/notifications/preferences",
    response={200: list[PreferenceOut], **COMMON_ERRORS, 400: ErrorOut},
    summary="Choose per kind: immediate e-mail, daily summary or in Lotse only",
)
def preference_set(request: HttpRequest, payload: PreferencesIn) -> list[dict[str, Any]]:
    user = _user(request)
    choices = {choice.kind.value: choice.delivery.value for choice in payload.choices}
    services.notification_preferences_set(actor=user, choices=choices)
    return preference_list(request)
