"""Contradictory input is refused with the field that contradicts (issue 10)."""

from __future__ import annotations

from typing import Any

import pytest

from lotse.rules.profile import ProfileError, parse_profile
from tests.rules.profiles import ACADEMIC, VOCATIONAL, with_


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(ProfileError) as info:
        parse_profile(data)
    return {p.path: p.reason for p in info.value.problems}


CONTRADICTIONS = [
    pytest.param(
        "degree before birth", with_(ACADEMIC, qualification__degree_date="1990-01-01"),
        "qualification.degree_date", id="degree_before_birth",
    ),
    pytest.param(
        "employment ends before it starts",
        with_(VOCATIONAL, job__start_date="2026-06-01", job__end_date="2026-05-31"),
        "job.end_date", id="employment_ends_before_start",
    ),
    pytest.param(
        "§ 5 Abs. 1 JArbSchG: experience longer than the working life (born 2008, 5 years)",
        with_(VOCATIONAL, worker__birth_date="2008-01-01",
              qualification__experience_years_last_5=5),
        "qualification.experience_years_last_5", id="experience_longer_than_working_life",
    ),
    pytest.param(
        "§ 18g Abs. 1 Satz 2 Nr. 2 AufenthG: application after the decision",
        with_(VOCATIONAL, application_date="2026-04-01"), "application_date",
        id="application_after_decision",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("what", "data", "path"), CONTRADICTIONS)
def test_contradictory_input_is_refused(what: str, data: dict[str, Any], path: str) -> None:
    found = problems(data)
    assert path in found, (what, found)
    assert found[path]


def test_consistent_optional_dates_are_accepted() -> None:
    data = with_(VOCATIONAL, application_date="2026-01-10", job__start_date="2026-06-01",
                 job__end_date="2028-05-31", worker__birth_date="2000-01-01",
                 qualification__experience_years_last_5=5)  # fmt: skip
    assert parse_profile(data).job.end_date is not None
