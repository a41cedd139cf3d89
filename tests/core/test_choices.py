"""``get_<field>_display()`` answers exactly what Django's own does, in every language."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.utils import translation

from lotse.accounts.models import Role, User
from lotse.cases.models import BaState, Case, CaseState, RecognitionState, Title
from lotse.organisations.models import Organisation, OrganisationKind


def _django(obj: models.Model, name: str) -> Any:
    return models.Model._get_FIELD_display(obj, obj._meta.get_field(name))  # type: ignore[attr-defined]


CASES: list[tuple[type[models.Model], str, list[Any]]] = [
    (Case, "state", [*CaseState.values, "no_such_state", ""]),
    (Case, "title", [*Title.values, "x"]),
    (Case, "recognition_state", [*RecognitionState.values]),
    (Case, "ba_state", [*BaState.values]),
    (User, "role", [*Role.values, None]),
    (Organisation, "kind", [*OrganisationKind.values]),
]


@pytest.mark.parametrize(("model", "name", "values"), CASES)
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_label_is_django_s_label(
    model: type[models.Model], name: str, values: list[Any], language: str
) -> None:
    with translation.override(language):
        for value in values:
            obj = model(**{name: value})
            ours = getattr(obj, f"get_{name}_display")()
            assert ours == _django(obj, name)
            assert type(ours) is type(_django(obj, name))


def test_the_label_follows_the_active_language() -> None:
    case = Case(state=CaseState.FORWARDED)
    with translation.override("en"):
        english = case.get_state_display()
        assert english == str(CaseState.FORWARDED.label)
    with translation.override("de"):
        german = case.get_state_display()
        assert german == str(CaseState.FORWARDED.label)
    assert english != german
