"""Cleaning the data a step records (web form and API body alike)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from lotse.cases import dates
from lotse.cases.models import Case, CaseTransition
from lotse.cases.workflow.base import (
    Step,
    StepField,
)
from lotse.cases.workflow.steps import STEP_BY_NAME
from lotse.organisations.models import Organisation, OrganisationKind


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
    if not errors:
        _check_order(step, case, cleaned, today, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def step_date(step: Step, cleaned: Mapping[str, Any], today: dt.date) -> dt.date:
    """The day the step happened: its date field, the latest of ``dated_by``, or today."""
    day = cleaned.get("occurred_on")
    if isinstance(day, dt.date):
        return day
    days = [cleaned[name] for name in step.dated_by if cleaned.get(name)]
    return max(days) if days else today


def preceding(step: Step, case: Case) -> tuple[dt.date, str] | None:
    """The date and label of the latest step recorded that ``step`` follows, or None.

    A step on the main line follows every step recorded before it (the pre-approval joins the
    recognition and the BA approval); a step of the recognition or BA track follows its own
    track and the main line (the agreement). The start of the case and the steps that only record
    a fact on the side (an extension, an invitation) are not steps that others follow.
    """
    tracks = None if step.track == "state" else {step.track, "state"}
    latest: CaseTransition | None = None
    for row in case.transitions.all():
        if row.action == "create" or (tracks is not None and row.track not in tracks):
            continue
        known = STEP_BY_NAME.get(row.action)
        if known is None or known.kind == "record":
            continue
        if latest is None or (row.occurred_on, row.pk) > (latest.occurred_on, latest.pk):
            latest = row
    if latest is None:
        return None
    return latest.occurred_on, str(STEP_BY_NAME[latest.action].done_label)


def _check_order(step: Step, case: Case, cleaned: dict[str, Any], today: dt.date,
                 errors: dict[str, list[str]]) -> None:  # fmt: skip
    """No recorded date lies before the step it follows; a validity not before the issue."""
    found = preceding(step, case)
    occurred_on = step_date(step, cleaned, today)
    if found is not None:
        before, label = found
        for spec in step.fields:
            if spec.kind != "date" or not spec.ordered:
                continue
            day = occurred_on if spec.name == "occurred_on" else cleaned.get(spec.name)
            if day is not None and day < before:
                errors.setdefault(spec.name, []).append(
                    gettext("The date lies before “%(step)s” on %(date)s, which this step follows.")
                    % {"step": label, "date": dates.short(before)}
                )
    valid_until = cleaned.get("valid_until")
    if valid_until is not None and valid_until < occurred_on:
        errors.setdefault("valid_until", []).append(
            gettext("The validity cannot end before the day of issue (%(date)s).")
            % {"date": dates.short(occurred_on)}
        )


def _clean_value(spec: StepField, case: Case, value: Any, today: dt.date) -> Any:
    if spec.kind == "date":
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(str(value))
            except ValueError:
                raise ValidationError(gettext("Enter a date as YYYY-MM-DD.")) from None
        message = dates.problem(day, today, future=spec.future)
        if message is not None:
            raise ValidationError(message)
        return day
    if spec.kind in ("text", "longtext"):
        text = str(value).strip()
        if "\x00" in text:
            raise ValidationError(gettext("Null characters are not allowed."))
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
