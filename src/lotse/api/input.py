"""Input rules every API operation keeps, whoever wrote its schema.

* No NUL character (``\\x00``) in any text: PostgreSQL cannot store one in a text column, and no
  field of Lotse has a use for it. The JSON body (every string, also inside free ``data``
  objects and in keys), the query string and form fields are checked.
* No silent coercion of JSON values: pydantic's lax mode reads ``0`` as the date 1970-01-01,
  ``false`` as the number 0 and ``1`` as ``true``. A JSON body must carry a date as a
  ``YYYY-MM-DD`` string, a number as a number, a text as a string and a yes/no as ``true`` or
  ``false``; anything else is a 422 naming the field.

The check runs as a ninja operation decorator (``install_input_checks``): after authentication
and the schema's own validation, before the endpoint does anything. Errors take ninja's
``ValidationError`` path, so the body is the documented ``{code, message, field_errors}``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import types
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.params.models import BodyModel, FileModel, FormModel
from pydantic import BaseModel

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, str]  # location, error type, message

_NONE = type(None)


def _nul_message() -> str:
    return _("Null characters (\\x00) are not allowed in text.")


def nul_problems(value: Any, loc: Loc = ()) -> Iterator[Problem]:
    """Every place in a parsed JSON value (or a form value) that holds a NUL character."""
    if isinstance(value, str):
        if "\x00" in value:
            yield loc, "null_character", _nul_message()
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                yield (*loc, key), "null_character", _nul_message()
            yield from nul_problems(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_problems(item, (*loc, index))


def _members(annotation: Any) -> tuple[Any, ...]:
    """The alternatives of a union (``X | None``, ``Optional[X]``), else the annotation itself."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return tuple(m for arg in typing.get_args(annotation) for m in _members(arg))
    return (annotation,)


def _is(annotation: Any, *kinds: type) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, kinds)


def strict_problems(value: Any, annotation: Any, loc: Loc = ()) -> Iterator[Problem]:
    """Where a JSON value has another JSON type than its field declares (lax coercion)."""
    members = [m for m in _members(annotation) if m is not _NONE]
    if value is None or not members or any(m is Any for m in members):
        return
    models = [m for m in members if _is(m, BaseModel)]
    if models:
        if isinstance(value, dict):
            model = _choose_model(models, value)
            if model is not None:
                yield from _model_problems(value, model, loc)
        return
    if len(members) != 1:
        return  # a union of plain types: pydantic's own (smart) validation decides
    (kind,) = members
    origin = typing.get_origin(kind)
    if origin in (list, tuple, set, frozenset) and isinstance(value, list):
        args = typing.get_args(kind)
        item = args[0] if args else Any
        for index, element in enumerate(value):
            yield from strict_problems(element, item, (*loc, index))
        return
    if origin is dict and isinstance(value, dict):
        args = typing.get_args(kind)
        item = args[1] if len(args) == 2 else Any
        for key, element in value.items():
            yield from strict_problems(element, item, (*loc, key))
        return
    if _is(kind, bool):
        if not isinstance(value, bool):
            yield loc, "bool_type", _("Enter true or false.")
    elif _is(kind, dt.datetime):
        if not isinstance(value, str):
            yield loc, "datetime_type", _("Enter a date and time as text, e.g. 2026-01-31T12:00.")
    elif _is(kind, dt.date):
        if not isinstance(value, str):
            yield loc, "date_type", _("Enter a date as text in the form YYYY-MM-DD.")
    elif _is(kind, int) and not _is(kind, enum.Enum):
        if isinstance(value, bool) or not isinstance(value, int):
            yield loc, "int_type", _("Enter a whole number.")
    elif _is(kind, float, Decimal):
        if isinstance(value, bool) or not isinstance(value, int | float):
            yield loc, "float_type", _("Enter a number.")
    elif _is(kind, str) and not isinstance(value, str):  # also str enums
        yield loc, "string_type", _("Enter text (a JSON string).")


def _choose_model(models: list[type[BaseModel]], value: dict[str, Any]) -> type[BaseModel] | None:
    """The member of a (discriminated) union of models that ``value`` is meant for."""
    if len(models) == 1:
        return models[0]
    for model in models:
        literals = {
            name: typing.get_args(field.annotation)
            for name, field in model.model_fields.items()
            if typing.get_origin(field.annotation) is typing.Literal
        }
        if literals and all(value.get(name) in allowed for name, allowed in literals.items()):
            return model
    return None


def _model_problems(value: dict[str, Any], model: type[BaseModel], loc: Loc) -> Iterator[Problem]:
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in value:
            yield from strict_problems(value[key], field.annotation, (*loc, key))


def _body_problems(request: HttpRequest, models: list[type[BaseModel]]) -> list[Problem]:
    body_models = [m for m in models if _is(m, BodyModel)]
    if not body_models or not (request.content_type or "").endswith("json") or not request.body:
        return []
    try:
        data = json.loads(request.body)
    except ValueError:  # pragma: no cover - ninja refused the body before (400)
        return []
    problems: list[Problem] = []
    for model in body_models:
        # ninja reads a single body schema as one parameter (``payload``) and names it in the
        # error location; so do we, and the error body then names the field as the client sent it.
        single = getattr(model, "__read_from_single_attr__", None)
        if single:
            at: Loc = ("body", single)
            problems.extend(nul_problems(data, at))
            problems.extend(strict_problems(data, model.model_fields[single].annotation, at))
        elif isinstance(data, dict):
            problems.extend(nul_problems(data, ("body",)))
            problems.extend(_model_problems(data, model, ("body",)))
    return problems


def _querydict_problems(request: HttpRequest, models: list[type[BaseModel]]) -> list[Problem]:
    problems: list[Problem] = []
    sources = [("query", request.GET)]
    # The form only where the operation reads one: parsing it consumes the body otherwise.
    if any(_is(m, FormModel, FileModel) for m in models):
        sources.append(("form", request.POST))
    for source, querydict in sources:
        for key, values in querydict.lists():
            if any("\x00" in value for value in values):
                problems.append(((source, key), "null_character", _nul_message()))
    return problems


def input_problems(request: HttpRequest, models: list[type[BaseModel]]) -> list[dict[str, Any]]:
    """The problems of this request's input as ninja validation errors (``loc``, ``msg``)."""
    unique: dict[Loc, dict[str, Any]] = {}
    for loc, kind, message in [
        *_body_problems(request, models),
        *_querydict_problems(request, models),
    ]:
        # "lotse": the message is Lotse's own, already in the user's language.
        unique.setdefault(loc, {"loc": loc, "type": kind, "msg": message, "lotse": True})
    return list(unique.values())


_STASH = "_lotse_input_problems"


def stashed_problems(request: HttpRequest) -> list[dict[str, Any]]:
    """The input problems found for this request (the validation error handler adds them)."""
    return list(getattr(request, _STASH, []))


def install_input_checks(api: NinjaAPI) -> None:
    """Check the input of every operation of ``api`` (see the module's docstring).

    The check looks at the request before the schema validation (so that its findings join
    the schema's own errors in one 422) but acts only after authentication: an anonymous
    request still gets its 401 first.
    """

    def look(run: Callable[..., Any]) -> Callable[..., Any]:
        operation = getattr(run, "__self__", None)
        models: list[type[BaseModel]] = list(getattr(operation, "models", []) or [])

        @functools.wraps(run)
        def looked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                setattr(request, _STASH, input_problems(request, models))
            except Exception as exc:  # a body Django refuses to read (too large)
                return api.on_exception(request, exc)
            return run(request, *args, **kwargs)

        return looked

    def refuse(view_func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view_func)
        def refused(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            problems = stashed_problems(request)
            if problems:
                raise ValidationError(problems)
            return view_func(request, *args, **kwargs)

        return refused

    api.add_decorator(look, mode="view")
    api.add_decorator(refuse, mode="operation")
