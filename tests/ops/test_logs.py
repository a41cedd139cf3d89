from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from lotse.accounts.models import Role
from lotse.accounts.services import api_token_create
from lotse.ops.logs import JsonFormatter, RequestContextLogFilter
from tests.conftest import World
from tests.documents.conftest import make_case


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextLogFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_every_line_is_json_with_request_user_and_organisation(
    world: World, json_log: io.StringIO
) -> None:
    user = world.users[Role.COMPANY_HR]
    secret = api_token_create(user=user, name="erp").secret
    case = make_case(world)
    client = Client()
    client.get(f"/api/v1/cases/{case.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}",
               HTTP_X_REQUEST_ID="req-0123456789")  # fmt: skip
    client.get("/api/v1/cases/999999999", HTTP_AUTHORIZATION=f"Bearer {secret}")
    lines = _lines(json_log)
    access = [line for line in lines if line["logger"] == "lotse.access"]
    assert len(access) == 2
    first = access[0]
    assert first["request_id"] == "req-0123456789"
    assert first["user_id"] == user.pk
    assert first["organisation_id"] == user.organisation_id
    assert first["status"] == 200
    assert str(first["view"]).startswith("api:")
    assert isinstance(first["duration_ms"], float)
    assert access[1]["status"] == 404


def test_no_personal_data_reaches_the_log(world: World, json_log: io.StringIO) -> None:
    user = world.users[Role.COMPANY_HR]
    secret = api_token_create(user=user, name="erp").secret
    case = make_case(world)
    client = Client()
    for path in (f"/api/v1/cases/{case.pk}", f"/api/v1/cases/{case.pk}/checklist",
                 "/api/v1/cases?q=" + case.worker_surname, "/api/v1/cases/0"):  # fmt: skip
        client.get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")
    logging.getLogger("lotse.test").warning("mail to %s bounced", user.email)
    text = json_log.getvalue()
    assert text
    personal = [user.email, user.full_name, case.worker_surname,
                case.worker_given_names, secret]  # fmt: skip
    passport = case.worker_passport_number
    for value in [*personal, passport]:
        if value:
            assert value not in text, f"{value!r} in the log"
    assert "[e-mail]" in text
