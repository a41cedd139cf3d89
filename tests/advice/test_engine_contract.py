"""A fix in the engine's input contract found by the API's schema conformance test."""

from __future__ import annotations

from typing import Any

import pytest

from lotse.rules import ProfileError, parse_profile


def test_a_whole_number_written_as_12_0_is_an_integer(profile: dict[str, Any]) -> None:
    # JSON Schema (and so the published API schema) counts 330.0 as an integer; Python's json
    # writes a float month count that way. Strings and fractions stay errors.
    profile["job"]["duration_months"] = 330.0
    assert parse_profile(profile).job.duration_months == 330
    for wrong in ("330", 330.5, True):
        profile["job"]["duration_months"] = wrong
        with pytest.raises(ProfileError) as raised:
            parse_profile(profile)
        assert [p.path for p in raised.value.problems] == ["job.duration_months"]
