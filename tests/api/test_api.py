from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from lotse.accounts.models import Role
from lotse.accounts.services import api_token_create
from tests.conftest import World


@pytest.fixture
def token(world: World) -> str:
    return api_token_create(user=world.users[Role.CHAMBER_ADVISOR], name="tests").secret


def test_openapi_is_3_1_and_documents_errors(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    me = schema["paths"]["/api/v1/me"]["get"]
    assert set(me["responses"]) >= {"200", "401"}
    assert "ErrorOut" in schema["components"]["schemas"]


def test_docs_are_served_from_our_own_static_files(db: None) -> None:
    html = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_me_with_a_token(world: World, token: str) -> None:
    body = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["role"] == Role.CHAMBER_ADVISOR
    assert body["organisation"]["code"] == "ihk-region-stuttgart"


def test_me_with_a_session(world: World) -> None:
    client = Client()
    client.force_login(world.users[Role.ABH_LEAD])
    assert client.get("/api/v1/me").json()["organisation"]["code"] == "lra-ludwigsburg"


def test_a_wrong_token_gets_the_error_body_in_the_requested_language(db: None) -> None:
    response = Client().get(
        "/api/v1/me", HTTP_AUTHORIZATION="Bearer lotse_wrong", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["message"].startswith("Melden Sie sich an")
    assert body["field_errors"] == []
    english = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["message"].startswith("Sign in")


def test_invalid_parameters_name_the_field(world: World, token: str) -> None:
    response = Client().get(
        "/api/v1/organisations?kind=spaceship&limit=-1", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    fields = {error["field"] for error in body["field_errors"]}
    assert "kind" in fields


def test_list_is_paginated_and_filtered_by_visibility(world: World, token: str) -> None:
    body = (
        Client()
        .get("/api/v1/organisations?kind=company", HTTP_AUTHORIZATION=f"Bearer {token}")
        .json()
    )
    names = {item["name"] for item in body["items"]}
    assert names == {"Weber Maschinenbau GmbH"}
    assert body["count"] == 1


def test_foreign_object_is_not_found_not_forbidden(world: World, token: str) -> None:
    response = Client().get(
        f"/api/v1/organisations/{world.other_company.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_web_pages_are_german_by_default_whatever_the_browser_says(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="de"' in page
    client.cookies["lotse_language"] = "en"
    assert '<html lang="en"' in client.get("/accounts/login/").content.decode()


def test_no_asset_comes_from_a_cdn(world: World) -> None:
    client = Client()
    client.force_login(world.users[Role.COMPANY_ADMIN])
    html = client.get("/").content.decode()
    assert "https://" not in html.split("<body", 1)[0]
    base = (
        Path(__file__).resolve().parents[2]
        / "src"
        / "lotse"
        / "web"
        / "templates"
        / "web"
        / "base.html"
    )
    assert "cdn" not in base.read_text(encoding="utf-8").lower()
