"""The label of a field's choice (``get_<field>_display``) without rebuilding the choices.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))`` on every
call, which hashes (and so translates) every lazy label of the field: a workbench row shows
three such labels, a list of 50 rows translated some 2,500 strings per request. The labels are
looked up here in a table built once per field and language, and answer the same value.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

_TABLES: dict[tuple[int, str | None], dict[Any, str]] = {}


def choice_label(field: models.Field[Any, Any], value: Any) -> Any:
    """What ``get_<field>_display()`` answers for ``value``: its label in the active language,
    or the value itself when it is not one of the choices."""
    key = (id(field), get_language())
    table = _TABLES.get(key)
    if table is None:
        table = {make_hashable(k): force_str(v) for k, v in field.flatchoices}
        _TABLES[key] = table
    return force_str(table.get(make_hashable(value), value), strings_only=True)


class ChoiceLabels:
    """Mixed into a model (before ``models.Model``): its ``get_<field>_display()`` use
    ``choice_label``. Choices are fixed at import time, so the table never goes stale."""

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:  # noqa: N802  (Django's name)
        return choice_label(field, getattr(self, field.attname))
