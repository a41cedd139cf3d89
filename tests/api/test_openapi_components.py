"""The OpenAPI document names every schema once: ninja silently lets a second class of the same
name overwrite the first component, and the endpoints that use the first then document (and are
validated against) the wrong shape."""

from __future__ import annotations

import enum
import typing
from collections import defaultdict
from typing import Any

from ninja import NinjaAPI
from pydantic import BaseModel

from lotse.api.main import api


def _walk_annotation(annotation: Any, found: dict[str, set[type]], seen: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        _walk_model(annotation, found, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found[annotation.__name__].add(annotation)
        return
    for arg in typing.get_args(annotation):
        _walk_annotation(arg, found, seen)


def _walk_model(model: type[BaseModel], found: dict[str, set[type]], seen: set[type]) -> None:
    if model in seen:
        return
    seen.add(model)
    found[model.__name__].add(model)
    _walk_fields(model, found, seen)


def _walk_fields(model: type[BaseModel], found: dict[str, set[type]], seen: set[type]) -> None:
    for field in model.model_fields.values():
        _walk_annotation(field.annotation, found, seen)


def schema_classes_by_name(ninja_api: NinjaAPI) -> dict[str, set[type]]:
    """Every pydantic model and enum an operation of ``ninja_api`` reads or answers, by name."""
    found: dict[str, set[type]] = defaultdict(set)
    seen: set[type] = set()
    ninja_api.get_openapi_schema(path_prefix="")  # binds the routers
    for _prefix, router in ninja_api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                # Ninja's own wrappers (the body/query/path models and the response wrappers)
                # never become components; the models inside them do.
                for model in operation.models:
                    _walk_fields(model, found, seen)
                for response in (operation.response_models or {}).values():
                    if isinstance(response, type) and issubclass(response, BaseModel):
                        _walk_fields(response, found, seen)
    return found


def test_no_two_schemas_share_a_component_name() -> None:
    clashes = {
        name: sorted(f"{c.__module__}.{c.__qualname__}" for c in classes)
        for name, classes in schema_classes_by_name(api).items()
        if len(classes) > 1
    }
    assert not clashes, f"rename one of each: {clashes}"


def test_the_collision_detector_finds_a_collision() -> None:
    from ninja import Router, Schema

    def make(field: str) -> type[Schema]:
        return type("Clash", (Schema,), {"__annotations__": {field: int}})

    first, second = make("a"), make("b")
    probe = NinjaAPI(urls_namespace="probe-components")
    router = Router()

    @router.get("/one", response=first)
    def one(request: Any) -> Any:  # pragma: no cover - never called
        return None

    @router.get("/two", response=second)
    def two(request: Any) -> Any:  # pragma: no cover - never called
        return None

    probe.add_router("/", router)
    assert schema_classes_by_name(probe)["Clash"] == {first, second}


def test_every_referenced_component_is_defined() -> None:
    document = api.get_openapi_schema()
    defined = set(document["components"]["schemas"])
    referenced: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                referenced.add(ref.rsplit("/", 1)[1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert referenced <= defined, sorted(referenced - defined)
