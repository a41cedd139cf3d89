"""Errors of the API in production: always the documented JSON body, never an HTML page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from lotse.accounts.models import Role
from lotse.cases.models import Case
from tests.cases.conftest import WORKER
from tests.conftest import World

WORKER_IN = {k.removeprefix("worker_"): v for k, v in WORKER.items()}


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    return dict(body)


def test_an_unexpected_error_is_a_json_500(
    world: World, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    import lotse.api.endpoints as endpoints

    def broken(**kwargs: object) -> None:
        raise RuntimeError("a bug")

    settings.DEBUG = False
    monkeypatch.setattr(endpoints, "organisations_visible_to", broken)
    client = Client(raise_request_exception=False)
    client.force_login(world.users[Role.COMPANY_ADMIN])
    body = _error(client.get("/api/v1/organisations"), 500, "server_error")
    assert "a bug" not in json.dumps(body)


def test_a_body_that_is_too_large_is_a_json_413(
    world: World, client_for: Callable[..., Client], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    client = client_for(world.users[Role.COMPANY_ADMIN])
    body = {"site_id": 1, "worker": WORKER_IN, "title": "18a", "job_title": "x" * 5000}
    _error(client.post("/api/v1/cases", body, content_type="application/json"), 413, "too_large")
    # The same for a form: too large, and too many fields.
    form = client.post(f"/api/v1/cases/{1}/documents", {"item": "x" * 5000})
    _error(form, 413, "too_large")
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    many = client.post("/api/v1/cases/1/documents", {f"f{i}": "1" for i in range(10)})
    _error(many, 413, "too_large")


def test_an_anonymous_request_that_is_too_large_is_refused_as_too_large(
    db: None, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = Client().post("/api/v1/cases", {"x": "y" * 500}, content_type="application/json")
    _error(response, 413, "too_large")


def _site(world: World) -> int:
    return int(world.company.sites.get().pk)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"planned_start": 0}, "planned_start"),
        ({"planned_start": 20270101}, "planned_start"),
        ({"site_id": True}, "site_id"),
        ({"site_id": 1.5}, "site_id"),
        ({"title": 18}, "title"),
        ({"ba_required": 1}, "ba_required"),
        ({"ba_required": "yes"}, "ba_required"),
        ({"worker": {**WORKER_IN, "birth_date": 0}}, "worker.birth_date"),
        ({"worker": {**WORKER_IN, "passport_number": 1234567}}, "worker.passport_number"),
    ],
)
def test_json_values_are_not_coerced(
    world: World, client_for: Callable[..., Client], change: dict[str, Any], field: str
) -> None:
    client = client_for(world.users[Role.COMPANY_ADMIN])
    body = {"site_id": _site(world), "worker": WORKER_IN, "title": "18a", **change}
    response = client.post("/api/v1/cases", body, content_type="application/json")
    error = _error(response, 422, "invalid_input")
    assert field in {e["field"] for e in error["field_errors"]}, error
    assert not Case.objects.exists()


def test_correct_values_still_pass(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[Role.COMPANY_ADMIN])
    body = {"site_id": _site(world), "worker": WORKER_IN, "title": "18a",
            "planned_start": "2027-03-01"}  # fmt: skip
    response = client.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 201, response.json()


def test_a_salary_of_false_is_refused(world: World, client_for: Callable[..., Client]) -> None:
    from tests.documents import world as docs

    document = docs.own_document(world)
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    response = client.post(
        f"/api/v1/documents/{document.pk}/review",
        {"decision": "accept", "annual_gross_salary": False},
        content_type="application/json",
    )
    error = _error(response, 422, "invalid_input")
    assert "annual_gross_salary" in {e["field"] for e in error["field_errors"]}
    document.refresh_from_db()
    assert document.review_state == "uploaded"


@pytest.mark.parametrize(
    ("language", "query", "body", "expected"),
    [
        ("de", "limit=abc", None, ("limit", "ganze Zahl")),
        ("en", "limit=abc", None, ("limit", "whole number")),
        ("de", "limit=0", None, ("limit", "mindestens 1")),
        ("de", "", {"title": "18a"}, ("site_id", "Diese Angabe fehlt")),
        ("en", "", {"title": "18a"}, ("worker", "missing")),
    ],
)
def test_the_schema_s_own_errors_speak_the_user_s_language(
    world: World,
    client_for: Callable[..., Client],
    language: str,
    query: str,
    body: dict[str, Any] | None,
    expected: tuple[str, str],
) -> None:
    # Pydantic writes its messages in English; a German caseworker's client got
    # "Field required" under a German headline.
    client = client_for(world.users[Role.COMPANY_ADMIN])
    if body is None:
        response = client.get(f"/api/v1/cases?{query}", HTTP_ACCEPT_LANGUAGE=language)
    else:
        response = client.post(
            "/api/v1/cases", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
        )
    error = _error(response, 422, "invalid_input")
    messages = {e["field"]: e["message"] for e in error["field_errors"]}
    field, words = expected
    assert words in messages[field], messages
