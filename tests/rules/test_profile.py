from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from lotse.rules.profile import FieldProblem, Profile, ProfileError, parse_profile
from lotse.rules.thresholds import known_range
from tests.rules.profiles import ACADEMIC, DELETE, VOCATIONAL, with_


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(ProfileError) as info:
        parse_profile(data)
    return {p.path: p.reason for p in info.value.problems}


def test_valid_profile_parses() -> None:
    p = parse_profile(VOCATIONAL)
    assert isinstance(p, Profile)
    assert p.job.municipality == "Asperg"
    assert p.qualification.recognition == "none"
    assert p.worker.pension_provision is False


def test_unknown_fields_are_rejected_by_name() -> None:
    data = with_(VOCATIONAL, worker__shoe_size=44, job__bonus=1)
    data["extra"] = True
    found = problems(data)
    assert found == {
        "worker.shoe_size": "unknown field",
        "job.bonus": "unknown field",
        "extra": "unknown field",
    }


def test_missing_required_fields_are_all_reported() -> None:
    data = with_(VOCATIONAL, decision_date=DELETE, worker__birth_date=DELETE,
                 job__annual_gross_salary=DELETE, job__municipality=DELETE)  # fmt: skip
    found = problems(data)
    assert set(found) == {
        "decision_date",
        "worker.birth_date",
        "job.annual_gross_salary",
        "job.municipality",
    }
    assert all(reason == "required field is missing" for reason in found.values())


def test_every_problem_not_only_the_first() -> None:
    data = with_(VOCATIONAL, worker__abroad="yes", worker__german_level="B3",
                 job__annual_gross_salary="50000", job__kind="freelance",
                 qualification__experience_years_last_5=6)  # fmt: skip
    assert set(problems(data)) == {
        "worker.abroad",
        "worker.german_level",
        "job.annual_gross_salary",
        "job.kind",
        "qualification.experience_years_last_5",
    }


@pytest.mark.parametrize(
    "value",
    [
        (known_range()[1] + timedelta(days=4)).isoformat(),
        (known_range()[0] - timedelta(days=1)).isoformat(),
    ],
)
def test_decision_date_without_thresholds_is_rejected_and_says_so(value: str) -> None:
    found = problems(with_(VOCATIONAL, decision_date=value))
    assert "no salary thresholds are known" in found["decision_date"]
    assert value in found["decision_date"]


@pytest.mark.parametrize("value", ["01.03.2026", "2026-02-30", 1767225600, True])
def test_dates_must_be_iso(value: Any) -> None:
    assert "decision_date" in problems(with_(VOCATIONAL, decision_date=value))


def test_unknown_reference_occupation_names_suggestions() -> None:
    found = problems(with_(VOCATIONAL, qualification__reference_occupation="Industrimechaniker"))
    reason = found["qualification.reference_occupation"]
    assert "unknown reference occupation 'Industrimechaniker'" in reason
    assert "Industriemechaniker/in" in reason


def test_gender_form_of_reference_occupation_is_accepted() -> None:
    p = parse_profile(
        with_(VOCATIONAL, qualification__reference_occupation="Industriemechanikerin")
    )
    assert p.qualification.reference_occupation == "Industriemechanikerin"


def test_birth_date_after_decision_date_is_a_field_problem() -> None:
    assert problems(with_(VOCATIONAL, worker__birth_date="2026-03-03")) == {
        "worker.birth_date": "must be before decision_date"
    }


@pytest.mark.parametrize("value", [-1, float("nan"), True])
def test_salary_must_be_a_non_negative_number(value: Any) -> None:
    assert "job.annual_gross_salary" in problems(with_(ACADEMIC, job__annual_gross_salary=value))


def test_integer_salary_is_accepted() -> None:
    assert (
        parse_profile(with_(ACADEMIC, job__annual_gross_salary=50700)).job.annual_gross_salary
        == 50700
    )


def test_duration_null_means_unlimited() -> None:
    assert parse_profile(with_(ACADEMIC, job__duration_months=None)).job.duration_months is None


@pytest.mark.parametrize("data", [[], "x", None, 3])
def test_non_object_input(data: Any) -> None:
    assert problems(data) == {"": "expected a JSON object"}


def test_profile_error_message_lists_paths() -> None:
    error = ProfileError([FieldProblem("job.kind", "bad"), FieldProblem("", "worse")])
    assert str(error) == "job.kind: bad; <input>: worse"


def test_json_schema_is_available_for_the_api() -> None:
    schema = Profile.model_json_schema()
    assert set(schema["required"]) == {"decision_date", "worker", "qualification", "job"}
    job = schema["$defs"]["Job"]
    assert job["additionalProperties"] is False
