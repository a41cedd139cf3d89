"""Idle sessions of authority staff end sooner; API tokens expire, have a scope, and show when
they were last used; sign-in events and denied access are audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.models import ApiToken, Role, TokenScope
from lotse.accounts.services import api_token_create
from lotse.audit.models import AuditEvent
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db


def test_authority_staff_sessions_end_after_30_idle_minutes(
    world: World, client_for: Callable[..., Client]
) -> None:
    caseworker = client_for(world.users[Role.ABH_CASEWORKER])
    page = caseworker.get(reverse("web:dashboard"))
    assert caseworker.session.get_expiry_age() == 30 * 60
    # The page warns before the end (lotse.js reads these attributes).
    assert 'data-session-seconds="1800"' in page.content.decode()
    company = client_for(world.users[Role.COMPANY_HR])
    company.get(reverse("web:dashboard"))
    assert company.session.get_expiry_age() == 8 * 60 * 60
    keepalive = caseworker.post(reverse("web:keepalive"))
    assert keepalive.json() == {"status": "ok", "seconds": 1800}


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_read_only_token_reads_but_may_not_write(world: World) -> None:
    issued = api_token_create(user=world.users[Role.COMPANY_ADMIN], name="x", scope=TokenScope.READ)
    client = Client()
    assert client.get("/api/v1/me", **_bearer(issued.secret)).status_code == 200
    response = client.post(
        "/api/v1/tokens", {"name": "y"}, content_type="application/json", **_bearer(issued.secret)
    )
    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"
    assert AuditEvent.objects.filter(action="account.access_denied").exists()


def test_a_token_stops_working_after_its_expiry_date(world: World) -> None:
    today = timezone.localdate()
    issued = api_token_create(
        user=world.users[Role.COMPANY_ADMIN], name="x", expires_on=today + dt.timedelta(days=2)
    )
    assert Client().get("/api/v1/me", **_bearer(issued.secret)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        assert Client().get("/api/v1/me", **_bearer(issued.secret)).status_code == 401


def test_a_token_cannot_outlive_a_year(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[Role.COMPANY_ADMIN])
    far = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    response = client.post(
        "/api/v1/tokens", {"name": "x", "expires_on": far}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field_errors"][0]["field"] == "expires_on"


def test_last_use_is_written_at_most_once_a_minute(world: World) -> None:
    issued = api_token_create(user=world.users[Role.COMPANY_ADMIN], name="x")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        Client().get("/api/v1/me", **_bearer(issued.secret))
    first = ApiToken.objects.get(pk=issued.token.pk).last_used_at
    assert first == start
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        Client().get("/api/v1/me", **_bearer(issued.secret))
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == first
    with time_machine.travel(start + dt.timedelta(seconds=90), tick=False):
        Client().get("/api/v1/me", **_bearer(issued.secret))
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == start + dt.timedelta(seconds=90)


def test_the_token_list_shows_scope_expiry_and_last_use(
    world: World, client_for: Callable[..., Client]
) -> None:
    user = world.users[Role.COMPANY_ADMIN]
    api_token_create(user=user, name="HR-System", scope=TokenScope.READ)
    page = client_for(user).get(reverse("accounts:tokens")).content.decode()
    assert "Nur lesen" in page
    assert 'data-testid="token-last-used">nie<' in page


def test_sign_in_failed_sign_in_denied_access_and_reset_are_audited(world: World) -> None:
    user = world.users[Role.COMPANY_HR]
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:team"), {})
    actions = set(
        AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert {"account.login_failed", "account.login", "account.access_denied"} <= actions
