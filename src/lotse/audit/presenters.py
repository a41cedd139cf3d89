"""Audit events in words: the action's label and a readable name of its object.

The stored ``object_repr`` is the object's ``str()`` at the time of the act, which for some
objects is only ids ("6 #0"). The page names the object from the live row where it still exists
(the case reference, the file name) and falls back to the stored text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lotse.audit.actions import OBJECT_TEMPLATES, action_label
from lotse.rules import documents

if TYPE_CHECKING:
    from lotse.audit.models import AuditEvent

# A stored description made of ids only ("6 #0", "6 link 2026-01-05", "6 passport"): never shown.
_ID_ONLY = re.compile(r"^\d+\b")


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    label: str
    object: str


def _document_label(code: str) -> str:
    entry = documents.catalogue().get(code)
    if entry is None:
        return code
    return entry.label_en if (get_language() or "de").startswith("en") else entry.label_de


def _name(obj: models.Model) -> str:
    """The readable name of a live object, without the noun."""
    label = obj._meta.label_lower
    case = getattr(obj, "case", None)
    reference = str(getattr(case, "reference", "")) if case is not None else ""
    if label == "cases.case":
        return str(getattr(obj, "reference", ""))
    if label == "documents.document":
        return f"{getattr(obj, 'filename', '')} ({reference})"
    if label == "documents.sealedfile":
        number = int(getattr(obj, "number", 0))
        return (
            _("%(reference)s, supplement %(number)s") % {"reference": reference, "number": number}
            if number
            else reference
        )
    if label == "cases.checklistitem":
        return f"{_document_label(str(getattr(obj, 'document_code', '')))} ({reference})"
    if label == "conversations.messageattachment":
        message = getattr(obj, "message", None)
        case = getattr(message, "case", None)
        return f"{getattr(obj, 'filename', '')} ({getattr(case, 'reference', '')})"
    if label == "calendars.calendarfeed":
        user = getattr(obj, "user", None)
        return str(getattr(user, "display_name", "")) if user is not None else ""
    if label == "advice.advisoryrecord":
        return str(getattr(obj, "number", obj.pk))
    if reference:
        return reference
    return str(obj)


def _describe(object_type: str, name: str) -> str:
    template = OBJECT_TEMPLATES.get(object_type)
    if template is not None:
        return str(template) % {"name": name}
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return name
    return f"{capfirst(str(model._meta.verbose_name))} {name}"


def _live_objects(events: Iterable[AuditEvent]) -> dict[tuple[str, str], models.Model]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        wanted[event.object_type].add(event.object_id)
    found: dict[tuple[str, str], models.Model] = {}
    for object_type, ids in wanted.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        rows: Any = model._default_manager.all()
        if any(f.name == "case" for f in model._meta.get_fields()):
            rows = rows.select_related("case")
        try:
            pks = [model._meta.pk.to_python(pk) for pk in ids]
        except ValidationError:  # an id of another shape: the stored text is shown
            continue
        for row in rows.filter(pk__in=pks):
            found[(object_type, str(row.pk))] = row
    return found


def object_description(event: AuditEvent, live: models.Model | None = None) -> str:
    if live is not None:
        return _describe(event.object_type, _name(live))
    stored = event.object_repr
    if _ID_ONLY.match(stored):
        return _describe(event.object_type, "").strip() or _("(deleted)")
    return _describe(event.object_type, stored)


def event_views(events: Iterable[AuditEvent]) -> list[EventView]:
    rows = list(events)
    live = _live_objects(rows)
    return [
        EventView(
            event=event,
            label=action_label(event.action),
            object=object_description(event, live.get((event.object_type, event.object_id))),
        )
        for event in rows
    ]
