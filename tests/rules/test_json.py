"""``QuickCheckResult.to_json()`` writes exactly what ``json.dumps(result.to_dict())`` writes.

The JSON text is put together from the memoised parts of a result (findings, checklists,
routes) for speed (docs/performance.md); these tests hold it to the standard encoder, character
for character, including non-ASCII escapes, floats, the optional family and the follow-ups.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lotse.rules.profile import parse_profile
from lotse.rules.quickcheck import evaluate
from tests.rules.profiles import ACADEMIC, NURSE, TRAINEE, VOCATIONAL, with_
from tests.rules.test_properties import profiles

FAMILY = {"spouse": True, "minor_children": 2, "spouse_german_level": "A1"}
FIXED = [
    VOCATIONAL,
    ACADEMIC,
    NURSE,
    TRAINEE,
    with_(VOCATIONAL, family=FAMILY),
    with_(ACADEMIC, family={"minor_children": 1, "months_after_worker": 9}),
    with_(VOCATIONAL, job__annual_gross_salary=48_000.005, job__municipality="Stuttgart"),
    with_(ACADEMIC, worker__nationality="SRB", decision_date="2028-01-10"),
    with_(NURSE, qualification__reference_occupation="Altenpflegehelfer/in"),
]


def _assert_same(data: dict[str, Any]) -> None:
    result = evaluate(parse_profile(data))
    for followups in (False, True):
        expected = json.dumps(result.to_dict(include_followups=followups))
        assert result.to_json(include_followups=followups) == expected
    # Asked twice (memoised parts reused), still the same text.
    assert result.to_json() == json.dumps(result.to_dict())


@pytest.mark.parametrize("data", FIXED)
def test_to_json_is_json_dumps_of_to_dict(data: dict[str, Any]) -> None:
    _assert_same(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_to_json_is_json_dumps_of_to_dict_for_any_profile(data: dict[str, Any]) -> None:
    _assert_same(data)


def test_to_dict_hands_out_fresh_dictionaries() -> None:
    first = evaluate(parse_profile(VOCATIONAL)).to_dict()
    first["options"][0]["documents"][0]["code"] = "changed"
    first["options"][0]["warnings"].append({"code": "x"})
    if first["options"][0]["blockers"]:
        first["options"][0]["blockers"][0]["code"] = "changed"
    second = evaluate(parse_profile(VOCATIONAL)).to_dict()
    assert second["options"][0]["documents"][0]["code"] != "changed"
    assert {"code": "x"} not in second["options"][0]["warnings"]
    assert all(b["code"] != "changed" for b in second["options"][0]["blockers"])
    assert evaluate(parse_profile(VOCATIONAL)).to_json() == json.dumps(second)
