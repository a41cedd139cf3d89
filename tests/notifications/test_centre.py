"""Preferences, the daily summary, the notification centre and its API twins, the scheduler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.notifications.digest import digest_send_all
from lotse.notifications.models import Delivery, Kind, Notification, OutboundMail, ScheduledRun
from lotse.notifications.scheduler import scheduler_tick
from lotse.notifications.services import notification_emit, notification_preferences_set
from tests.conftest import World
from tests.notifications.conftest import CA, CHR, advised_case


def _emit(world: World, kind: str, times: int = 1) -> None:
    case = advised_case(world)
    with transaction.atomic():
        for _ in range(times):
            notification_emit(kind=kind, case=case, actor=None)


def test_defaults_action_needed_is_mailed_information_waits_for_the_digest(world: World) -> None:
    hr = world.users[CHR]
    _emit(world, Kind.FILE_FORWARDED)  # the company waits for the ABH: mailed at once
    _emit(world, Kind.STEP_RECORDED, times=11)  # eleven steps in four minutes
    rows = Notification.objects.filter(recipient=hr)
    assert {r.delivery for r in rows.filter(kind=Kind.STEP_RECORDED)} == {Delivery.DIGEST}
    assert {r.delivery for r in rows.filter(kind=Kind.FILE_FORWARDED)} == {Delivery.IMMEDIATE}
    assert OutboundMail.objects.filter(to=hr.email).count() == 1  # not eleven


def test_the_digest_holds_everything_once_and_in_the_users_language(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    hr = world.users[CHR]
    hr.language = "en"
    hr.save()
    _emit(world, Kind.STEP_RECORDED, times=11)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_all() == 22  # 11 each for the company admin and HR
        assert digest_send_all() == 0  # a second run (another scheduler) finds nothing
    to_hr = [m for m in mail.outbox if m.to == [hr.email]]
    assert len(to_hr) == 1
    assert "daily summary (11)" in to_hr[0].subject
    assert to_hr[0].body.count("/cases/") == 11


def test_a_user_chooses_in_app_only_and_gets_no_mail(world: World) -> None:
    hr = world.users[CHR]
    notification_preferences_set(actor=hr, choices={Kind.FILE_FORWARDED: Delivery.IN_APP})
    _emit(world, Kind.FILE_FORWARDED)
    assert not OutboundMail.objects.filter(to=hr.email).exists()
    assert Notification.objects.filter(recipient=hr, kind=Kind.FILE_FORWARDED).count() == 1
    assert digest_send_all() == 0  # in-app only is not in the summary either


def test_centre_lists_counts_and_marks_read(
    world: World, client_for: Callable[..., Client]
) -> None:
    hr = world.users[CHR]
    _emit(world, Kind.FILE_FORWARDED, times=2)
    client = client_for(world.users[CHR])
    page = client.get(reverse("notifications:list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="unread-count"' in html
    mine = list(Notification.objects.filter(recipient=hr))
    assert len(mine) == 2
    response = client.post(reverse("notifications:read", args=[mine[0].pk]), {"next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    # An outside address is not followed.
    response = client.post(
        reverse("notifications:read", args=[mine[1].pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications:list")
    assert Notification.objects.filter(recipient=hr, read_at__isnull=True).count() == 0
    assert 'data-testid="unread-count"' not in client.get(reverse("web:dashboard")).content.decode()


def test_mark_all_read_and_someone_elses_notification_is_404(
    world: World, client_for: Callable[..., Client]
) -> None:
    _emit(world, Kind.FILE_FORWARDED, times=3)
    other = Notification.objects.filter(recipient=world.users[CA]).first()
    assert other is not None
    client = client_for(world.users[CHR])
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=world.users[CHR], read_at=None).exists()
    assert Notification.objects.filter(recipient=world.users[CA], read_at=None).count() == 3


def test_settings_page_saves_a_choice(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[CHR])
    page = client.get(reverse("notifications:settings"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data[Kind.STEP_RECORDED] = Delivery.IN_APP
    assert client.post(reverse("notifications:settings"), data).status_code == 302
    _emit(world, Kind.STEP_RECORDED)
    row = Notification.objects.get(recipient=world.users[CHR], kind=Kind.STEP_RECORDED)
    assert row.delivery == Delivery.IN_APP
    data[Kind.STEP_RECORDED] = "carrier pigeon"
    refused = client.post(reverse("notifications:settings"), data)
    assert refused.status_code == 200
    assert refused.context["form"].errors


def test_api_twins(world: World, client_for: Callable[..., Client]) -> None:
    _emit(world, Kind.FILE_FORWARDED, times=2)
    client = client_for(world.users[CHR])
    listed = client.get("/api/v1/notifications").json()
    assert listed["count"] == 2
    first = listed["items"][0]
    assert first["case_reference"]
    assert first["url"].startswith("http")
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 2}
    marked = client.post(f"/api/v1/notifications/{first['id']}/read")
    assert marked.status_code == 200
    assert marked.json()["read_at"]
    assert client.get("/api/v1/notifications?unread=true").json()["count"] == 1
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 1}
    prefs = client.get("/api/v1/notifications/preferences").json()
    assert {p["kind"] for p in prefs} >= {Kind.STEP_RECORDED, Kind.FILE_FORWARDED}
    changed = client.put(
        "/api/v1/notifications/preferences",
        {"choices": [{"kind": Kind.STEP_RECORDED, "delivery": "in_app"}]},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert {p["kind"]: p["delivery"] for p in changed.json()}[Kind.STEP_RECORDED] == "in_app"
    wrong = client.put(
        "/api/v1/notifications/preferences",
        {
            "choices": [
                {"kind": "nonsense", "delivery": "in_app"},
                {"kind": Kind.STEP_RECORDED, "delivery": "pigeon"},
            ]
        },
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert len(wrong.json()["field_errors"]) == 2
    other = Notification.objects.filter(recipient=world.users[CA]).first()
    assert other is not None
    assert client.post(f"/api/v1/notifications/{other.pk}/read").status_code == 404


def test_two_schedulers_enqueue_each_slot_once(world: World) -> None:
    now = timezone.now()
    first = scheduler_tick(now=now)
    assert "outbox_flush" in first
    assert "reminders_scan" in first
    assert "documents_orphans_delete" in first
    assert scheduler_tick(now=now) == []  # the second scheduler, same minute
    later = scheduler_tick(now=now + dt.timedelta(minutes=1))
    assert "outbox_flush" in later
    assert "digest_send" not in later
    assert ScheduledRun.objects.filter(job="outbox_flush").count() == 2
