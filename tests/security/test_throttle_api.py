"""The API's rate limit: per person and minute, whether by token or by browser session, counted
in the shared cache like the other limits (lotse.core.ratelimit; Redis in production)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings

from lotse.accounts.models import Role, User
from lotse.accounts.services import api_token_create
from tests.conftest import World

pytestmark = pytest.mark.django_db


@override_settings(LOTSE_API_REQUESTS_PER_MINUTE=3)
def test_a_person_is_slowed_after_the_limit_by_token_and_by_session_alike(
    world: World, client_for: Callable[[User], Client]
) -> None:
    user = world.users[Role.COMPANY_HR]
    token = api_token_create(user=user, name="t").secret
    bearer = {"Authorization": f"Bearer {token}"}
    statuses = [Client().get("/api/v1/me", headers=bearer).status_code for _n in range(3)]
    assert statuses == [200, 200, 200]
    # The same person in the browser shares the count: a second token or a session is no way round.
    refused = client_for(user).get("/api/v1/me")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert Client().get("/api/v1/me", headers=bearer).status_code == 429
    # Another person is not affected.
    other = api_token_create(user=world.users[Role.COMPANY_ADMIN], name="t").secret
    assert (
        Client().get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 200
    )
