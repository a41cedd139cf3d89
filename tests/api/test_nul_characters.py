"""A NUL character in any text of any API input is a 422 naming the field (PostgreSQL cannot
store one; before, at least seven places answered 500 there). Parametrised over the OpenAPI
document, so a new operation or field is covered without a new test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from lotse.accounts.models import Role
from lotse.api.main import api
from lotse.cases.models import Case
from tests.cases.conftest import WORKER
from tests.conftest import World

NUL = "Ku\x00mar"
DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1")
COMPONENTS = DOCUMENT["components"]["schemas"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _text_fields(
    schema: dict[str, Any], path: tuple[str | int, ...] = (), depth: int = 0
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """(path, extra) for every string in ``schema``; ``extra`` holds discriminator values."""
    schema = _resolve(schema)
    if depth > 6:
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for member in schema.get(key, []):
            member_schema = _resolve(member)
            extra = {
                name: prop["const"] if "const" in prop else prop["enum"][0]
                for name, prop in (
                    (n, _resolve(p)) for n, p in member_schema.get("properties", {}).items()
                )
                if "const" in prop or (prop.get("enum") and len(prop["enum"]) == 1)
            }
            for found, more in _text_fields(member_schema, path, depth + 1):
                yield found, {**extra, **more}
    kind = schema.get("type")
    if (
        kind == "string"
        and not ({"enum", "const"} & set(schema))
        and schema.get("format") != "binary"
    ):
        yield path, {}
    if kind == "object" or "properties" in schema:
        for name, prop in schema.get("properties", {}).items():
            yield from _text_fields(prop, (*path, name), depth + 1)
        extra_props = schema.get("additionalProperties")
        if extra_props is True or extra_props == {} or (kind == "object" and not schema.get(
            "properties") and extra_props is None):  # fmt: skip
            yield (*path, "free_text"), {}
    if kind == "array" and "items" in schema:
        yield from _text_fields(schema["items"], (*path, 0), depth + 1)


def _cases() -> Iterator[Any]:
    for template, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            for media, spec in content.items():
                for path, extra in _text_fields(spec["schema"]):
                    field = ".".join(str(p) for p in path)
                    yield pytest.param(
                        method, template, media, path, extra,
                        id=f"{method.upper()} {template} {media.split('/')[-1]} {field}",
                    )  # fmt: skip
            for parameter in operation.get("parameters", []):
                schema = _resolve(parameter.get("schema", {}))
                types = {schema.get("type")} | {
                    _resolve(s).get("type") for s in schema.get("anyOf", [])
                }
                if parameter["in"] == "query" and "string" in types and "enum" not in schema:
                    yield pytest.param(
                        method, template, "query", (parameter["name"],), {},
                        id=f"{method.upper()} {template} query {parameter['name']}",
                    )  # fmt: skip


def _nest(path: tuple[str | int, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        return [_nest(rest, value)]
    return {head: _nest(rest, value)}


def _url(template: str, world: World) -> str:
    case = Case.objects.first()
    ids = {"case_id": case.pk if case else 1, "organisation_id": world.company.pk}
    url = template
    for name, value in ids.items():
        url = url.replace("{" + name + "}", str(value))
    import re

    return re.sub(r"\{[^}]+\}", "1", url)


CASES = list(_cases())


def test_the_document_has_text_fields_to_test() -> None:
    assert len(CASES) > 20


@pytest.mark.parametrize(("method", "template", "media", "path", "extra"), CASES)
def test_a_nul_character_is_refused_with_422(
    method: str,
    template: str,
    media: str,
    path: tuple[str | int, ...],
    extra: dict[str, Any],
    world: World,
    client_for: Callable[..., Client],
) -> None:
    client = client_for(world.users[Role.CHAMBER_LEAD])
    url = _url(template, world)
    call = getattr(client, method)
    if media == "query":
        response = call(url, {path[0]: NUL})
    elif media.endswith("json"):
        body = {**extra, **_nest(path, NUL)} if path else NUL
        response = call(url, body, content_type="application/json")
    else:  # a form
        response = call(url, {str(path[0]): NUL, **extra})
    assert response.status_code == 422, (response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] == "invalid_input"
    field = ".".join(str(p) for p in path) or "__all__"
    if media not in ("query",) and not media.endswith("json"):
        # A form names the key the client sent (``items``), even where the schema reads it as
        # a list (``items.0``).
        field = str(path[0])
    fields = {error["field"]: error["message"] for error in body["field_errors"]}
    assert field in fields, fields
    assert "\\x00" in fields[field]


@pytest.mark.parametrize(
    "worker_field", ["surname", "given_names", "birth_place", "passport_number", "email"]
)
def test_a_nul_character_in_an_otherwise_valid_case_saves_nothing(
    worker_field: str, world: World, client_for: Callable[..., Client]
) -> None:
    """The end-to-end case: on PostgreSQL this was a 500 from the database."""
    client = client_for(world.users[Role.COMPANY_ADMIN])
    worker = {k.removeprefix("worker_"): v for k, v in WORKER.items()}
    worker[worker_field] = NUL
    body = {"site_id": world.company.sites.get().pk, "worker": worker, "title": "18a"}
    response = client.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 422
    assert f"worker.{worker_field}" in {e["field"] for e in response.json()["field_errors"]}
    assert not Case.objects.exists()


def test_a_nul_character_inside_step_data_is_refused(
    world: World, client_for: Callable[..., Client]
) -> None:
    from tests.cases.conftest import create_case

    case = create_case(world)
    client = client_for(world.users[Role.CHAMBER_ADVISOR])
    response = client.post(
        f"/api/v1/cases/{case.pk}/transitions",
        {"action": "start_collecting", "version": case.version, "data": {"reason": NUL}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["field_errors"]} == {"data.reason"}
    assert Case.objects.get(pk=case.pk).version == case.version
