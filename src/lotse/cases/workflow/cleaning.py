"""Cleaning the data a step records (web form and API body alike)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from lotse.cases.models import (
    Case,
)
from lotse.organisations.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    pass
from lotse.cases.workflow.base import (
    Step,
    StepField,
)


def clean_data(step: Step, case: Case, raw: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """Validate the data a step records; ValidationError names each field that is wrong."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    known = {f.name for f in step.fields}
    for name in raw:
        if name not in known and name not in ("version", "action"):
            errors.setdefault(name, []).append(gettext("This step does not record this value."))
    for spec in step.fields:
        value = raw.get(spec.name)
        if value in (None, ""):
            if spec.required:
                errors.setdefault(spec.name, []).append(gettext("This value is required."))
            continue
        try:
            cleaned[spec.name] = _clean_value(spec, case, value, today)
        except ValidationError as exc:
            errors.setdefault(spec.name, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(spec: StepField, case: Case, value: Any, today: dt.date) -> Any:
    if spec.kind == "date":
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(str(value))
            except ValueError:
                raise ValidationError(gettext("Enter a date as YYYY-MM-DD.")) from None
        if day > today and spec.name != "valid_until":
            raise ValidationError(gettext("The date lies in the future."))
        return day
    if spec.kind in ("text", "longtext"):
        text = str(value).strip()
        limit = 4000 if spec.kind == "longtext" else 200
        if len(text) > limit:
            raise ValidationError(gettext("At most %(limit)s characters.") % {"limit": limit})
        return text
    if spec.kind == "int":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(gettext("Enter a whole number.")) from None
        if not 1 <= number <= 365:
            raise ValidationError(gettext("Enter a number from 1 to 365."))
        return number
    if spec.kind == "choice":
        if str(value) not in {code for code, _label in spec.choices}:
            raise ValidationError(gettext("Choose one of the offered values."))
        return str(value)
    if spec.kind == "body":
        if not Organisation.objects.filter(
            kind=OrganisationKind.EXTERNAL_BODY, code=str(value)
        ).exists():
            raise ValidationError(gettext("Unknown recognition body."))
        return str(value)
    if spec.kind == "clock":
        if not case.clocks.filter(pk=_int_or_zero(value), stopped_on__isnull=True).exists():
            raise ValidationError(gettext("Choose a deadline of this case that is running."))
        return _int_or_zero(value)
    raise ValidationError(f"unknown field kind {spec.kind}")  # pragma: no cover


def _int_or_zero(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
