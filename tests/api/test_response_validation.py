"""The suite-wide check of API responses against the OpenAPI document (tests/conftest.py)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from lotse.accounts.models import Role
from tests.api.openapi_validation import ResponseMismatchError, responses
from tests.conftest import World


def _check(method: str, path: str, status: int, body: object) -> None:
    responses().check(method, path, status, "application/json", json.dumps(body).encode())


def test_a_documented_body_passes(db: None) -> None:
    _check("get", "/api/v1/me", 401, {"code": "x", "message": "y", "field_errors": []})


def test_an_undocumented_status_fails(db: None) -> None:
    with pytest.raises(ResponseMismatchError, match="status not documented"):
        _check("get", "/api/v1/me", 418, {"code": "x", "message": "y", "field_errors": []})


def test_a_body_of_the_wrong_shape_fails(db: None) -> None:
    with pytest.raises(ResponseMismatchError, match="does not match its schema"):
        _check("get", "/api/v1/me", 401, {"detail": "Not authenticated"})


def test_path_parameters_match_their_template(db: None) -> None:
    with pytest.raises(ResponseMismatchError, match=r"/api/v1/cases/\{case_id\}/checklist"):
        _check("get", "/api/v1/cases/12/checklist", 200, [{"id": "not a number"}])


def test_every_client_call_is_checked(
    world: World, client_for: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lotse.api.endpoints as endpoints
    from lotse.api.errors import ApiError

    def refuse(org: object) -> None:
        raise ApiError(418, "teapot", "An error no operation documents.")

    client: Client = client_for(world.users[Role.COMPANY_ADMIN])  # type: ignore[operator]
    assert client.get("/api/v1/me").status_code == 200
    monkeypatch.setattr(endpoints, "_ref", refuse)
    with pytest.raises(ResponseMismatchError, match="418: status not documented"):
        client.get("/api/v1/me")
