"""No personal page, API answer or download stays in a cache; features the pages never use are off."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from lotse.accounts.models import Role, User
from lotse.accounts.services import api_token_create
from lotse.documents.models import Document
from tests.conftest import World
from tests.documents.world import own_document

pytestmark = pytest.mark.django_db


def _no_store(response: object) -> bool:
    return "no-store" in response["Cache-Control"]  # type: ignore[index]


def test_signed_in_pages_are_not_stored(world: World, client_for: Callable[[User], Client]) -> None:
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    for url in ("/", reverse("cases:list")):
        response = client.get(url)
        assert response.status_code == 200
        assert _no_store(response)


def test_api_answers_are_not_stored(world: World) -> None:
    token = api_token_create(user=world.users[Role.CHAMBER_LEAD], name="t").secret
    client = Client()
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert _no_store(response)
    refused = client.get("/api/v1/cases")
    assert refused.status_code == 401
    assert _no_store(refused)


def test_downloads_are_not_stored(world: World, client_for: Callable[[User], Client]) -> None:
    document: Document = own_document(world)
    client = client_for(world.users[Role.COMPANY_HR])
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert _no_store(response)
    api = client.get(f"/api/v1/documents/{document.pk}/content")
    assert api.status_code == 200
    assert _no_store(api)


def test_every_answer_switches_unused_browser_features_off(client: Client) -> None:
    response = client.get(reverse("accounts:login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@override_settings(LOTSE_PUBLIC_API_DOCS=False)
@pytest.mark.no_response_validation
def test_api_docs_are_for_signed_in_people_unless_made_public(
    world: World, client_for: Callable[[User], Client]
) -> None:
    anonymous = Client()
    assert anonymous.get("/api/v1/openapi.json").status_code == 401
    assert anonymous.get("/api/v1/docs").status_code == 401
    signed_in = client_for(world.users[Role.COMPANY_HR])
    assert signed_in.get("/api/v1/openapi.json").status_code == 200
    assert signed_in.get("/api/v1/docs").status_code == 200
    token = api_token_create(user=world.users[Role.CHAMBER_LEAD], name="t").secret
    with_token = anonymous.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert with_token.status_code == 200


@override_settings(LOTSE_PUBLIC_API_DOCS=True)
@pytest.mark.no_response_validation
def test_api_docs_are_public_when_the_setting_says_so() -> None:
    assert Client().get("/api/v1/openapi.json").status_code == 200
