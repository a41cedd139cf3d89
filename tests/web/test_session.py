"""The session warns before it ends; "stay signed in" restarts it; a POST after it ended is safe."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import Role
from lotse.cases.models import Case, CaseState
from tests.cases.conftest import CA, create_case
from tests.conftest import PASSWORD, World


def test_every_signed_in_page_carries_the_warning_hidden_until_the_script_shows_it(
    world: World, client_for: Callable[..., Client]
) -> None:
    page = client_for(world.users[CA]).get(reverse("web:dashboard")).content.decode()
    box = re.search(r"<div [^>]*data-session-warning[^>]*>", page)
    assert box is not None
    tag = box.group(0)
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in tag
    assert 'data-warn-seconds="300"' in tag
    assert f'data-keepalive-url="{reverse("web:keepalive")}"' in tag
    assert " hidden" in tag
    assert 'data-testid="session-stay"' in page


def test_the_login_page_has_no_warning(client: Client) -> None:
    page = client.get(reverse("accounts:login")).content.decode()
    assert "data-session-warning" not in page


def test_stay_signed_in_restarts_the_session(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    response = client.post(reverse("web:keepalive"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "seconds": settings.SESSION_COOKIE_AGE}
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_keepalive_after_the_end_says_so_instead_of_redirecting(client: Client) -> None:
    response = client.post(reverse("web:keepalive"))
    assert response.status_code == 401
    assert response.json() == {"status": "expired"}
    assert client.get(reverse("web:keepalive")).status_code == 405


def test_a_step_sent_after_the_session_ended_leads_to_login_and_back_to_the_case(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    client = client_for(world.users[CA])
    client.session.flush()
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    url = reverse("cases:step", args=[case.pk, "withdraw"])
    response = client.post(url, {"version": case.version, "withdraw-reason": "typed"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert Case.objects.get(pk=case.pk).state != CaseState.WITHDRAWN
    login = client.post(response["Location"], {"username": world.users[CA].email,
                                               "password": PASSWORD})  # fmt: skip
    assert login.status_code == 302
    back = client.get(login["Location"])
    assert back.status_code == 302
    assert back["Location"] == reverse("cases:detail", args=[case.pk])


def test_other_case_actions_sent_after_the_end_also_come_back_to_the_case(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = create_case(world)
    client = client_for(world.users[CA])
    for url in (reverse("cases:note_add", args=[case.pk]),
                reverse("cases:advisor", args=[case.pk])):  # fmt: skip
        back = client.get(url)
        assert back.status_code == 302
        assert back["Location"] == reverse("cases:detail", args=[case.pk])


def _expiry(client: Client) -> Any:
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return Session.objects.get(session_key=key).expire_date


def _session_writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def test_a_page_view_writes_the_session_at_most_once_a_minute(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(reverse("web:dashboard"))
        first = _expiry(client)
        clock.shift(dt.timedelta(seconds=settings.LOTSE_SESSION_REFRESH_SECONDS - 5))
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("web:dashboard")).content.decode()
        assert _session_writes(captured) == []
        assert _expiry(client) == first
        # The countdown starts from what is really left, not from a full session.
        left = settings.SESSION_COOKIE_AGE - settings.LOTSE_SESSION_REFRESH_SECONDS + 5
        assert f'data-session-seconds="{left}"' in page
        clock.shift(dt.timedelta(seconds=10))
        page = client.get(reverse("web:dashboard")).content.decode()
        assert _expiry(client) == first + dt.timedelta(
            seconds=settings.LOTSE_SESSION_REFRESH_SECONDS + 5
        )
        assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page


def test_an_idle_authority_session_still_ends_after_its_idle_time(
    world: World, client_for: Callable[..., Client]
) -> None:
    caseworker = client_for(world.users[Role.ABH_CASEWORKER])
    idle = settings.LOTSE_AUTHORITY_SESSION_IDLE_MINUTES * 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert caseworker.get(reverse("web:dashboard")).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert caseworker.get(reverse("web:dashboard")).status_code == 200
        assert _session_writes(captured) == []
        clock.shift(dt.timedelta(seconds=idle - 30))
        assert caseworker.get(reverse("web:dashboard")).status_code == 200
        clock.shift(dt.timedelta(seconds=idle + 1))
        gone = caseworker.get(reverse("web:dashboard"))
        assert gone.status_code == 302
        assert gone["Location"].startswith(reverse("accounts:login"))


def test_an_anonymous_page_creates_no_session(client: Client, db: None) -> None:
    client.get(reverse("accounts:login"))
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert not Session.objects.exists()
