"""Family members in the Quick-Check (§ 81a Abs. 4 AufenthG, §§ 29, 30, 32 AufenthG), table-driven.

Expected values are read from the statute and the sources in the data, not from the engine.
"""

from __future__ import annotations

from typing import Any

import pytest

from lotse.rules.profile import ProfileError
from tests.rules.profiles import (
    ACADEMIC,
    IT_NO_QUALIFICATION,
    TRAINEE,
    VOCATIONAL,
    profile,
    run,
    with_,
)


def _codes(data: dict[str, Any]) -> list[str]:
    result = run(data).family
    assert result is not None
    return [item.code for item in result.items]


def test_a_profile_without_family_keeps_its_output_shape() -> None:
    """Issue 10: new input fields are optional; every valid profile keeps its output shape."""
    assert "family" not in run(VOCATIONAL).to_dict()
    assert run(VOCATIONAL).family is None
    nobody = with_(VOCATIONAL, family={"spouse": False, "minor_children": 0})
    assert "family" not in run(nobody).to_dict()


@pytest.mark.parametrize(
    ("months", "covered", "code", "norm"),
    [
        (None, True, "family_covered", "§ 81a Abs. 4 AufenthG: applications together"),
        (0, True, "family_covered", "§ 81a Abs. 4 AufenthG: applications together"),
        (6, True, "family_covered", "§ 81a Abs. 4 AufenthG: within six months (practice)"),
        (7, False, "family_not_covered", "§ 81a Abs. 4 AufenthG: no temporal connection"),
    ],
)
def test_the_family_is_in_the_accelerated_procedure_only_in_a_temporal_connection(
    months: int | None, covered: bool, code: str, norm: str
) -> None:
    family: dict[str, Any] = {"spouse": True}
    if months is not None:
        family["months_after_worker"] = months
    result = run(with_(VOCATIONAL, family=family)).family
    assert result is not None
    assert result.covered is covered, norm
    assert result.within_months == 6
    assert result.items[0].code == code
    assert result.items[0].legal_basis.startswith("§ 81a Abs. 4 AufenthG")


@pytest.mark.parametrize(
    ("base", "spouse_level", "language", "code", "norm"),
    [
        # § 18a recommended for the mechanic: the spouse of a skilled worker needs no German.
        (VOCATIONAL, None, None, "family_spouse_language_exempt", "§ 30 Abs. 1 Satz 3 Nr. 5"),
        # § 18g / § 18b recommended for the graduate: the same exemption.
        (ACADEMIC, "none", None, "family_spouse_language_exempt", "§ 30 Abs. 1 Satz 3 Nr. 5"),
        # § 19c Abs. 2 (IT specialist without formal qualification, § 6 Abs. 1 Satz 3 BeschV):
        # § 30 Abs. 1 Satz 3 Nr. 5 names "§ 19c Absatz 2 oder 4 Satz 1", so the same exemption.
        (
            IT_NO_QUALIFICATION,
            "none",
            None,
            "family_spouse_language_exempt",
            "§ 30 Abs. 1 Satz 3 Nr. 5",
        ),
        # § 16a (training) is not among the exempt titles: simple German (A1) is needed.
        (TRAINEE, None, "A1", "family_spouse_language_required", "§ 30 Abs. 1 Satz 1 Nr. 2"),
        (TRAINEE, "A2", "A1", "family_spouse_language_met", "§ 30 Abs. 1 Satz 1 Nr. 2"),
    ],
)
def test_the_spouses_german_follows_section_30(
    base: dict[str, Any], spouse_level: str | None, language: str | None, code: str, norm: str
) -> None:
    family: dict[str, Any] = {"spouse": True}
    if spouse_level is not None:
        family["spouse_german_level"] = spouse_level
    result = run(with_(base, family=family)).family
    assert result is not None
    assert result.spouse_language == language
    (item,) = [i for i in result.items if i.code.startswith("family_spouse_language")]
    assert item.code == code
    assert item.legal_basis.startswith(norm + " AufenthG"), item.legal_basis


def test_children_alone_get_no_spouse_language_and_the_rule_for_children_over_16() -> None:
    """§ 32 Abs. 2 AufenthG: children over 16 who do not move with their parents."""
    codes = _codes(with_(VOCATIONAL, family={"minor_children": 2}))
    assert not [c for c in codes if c.startswith("family_spouse")]
    assert "family_children" in codes
    result = run(with_(VOCATIONAL, family={"minor_children": 2})).family
    assert result is not None
    (children,) = [i for i in result.items if i.code == "family_children"]
    assert "2" in children.message_de
    assert children.legal_basis == "§ 32 Abs. 1, Abs. 2 AufenthG"


@pytest.mark.parametrize(
    ("base", "title", "code", "norm"),
    [
        # § 29 Abs. 5 AufenthG: "wird von der Voraussetzung des Absatzes 1 Nummer 2 abgesehen" for
        # the family of a holder of a Blue Card or a title under §§ 18a, 18b, § 19c Abs. 2 ...
        (VOCATIONAL, "18a", "family_livelihood_no_space", "§ 29 Abs. 5 AufenthG"),
        (ACADEMIC, "18g", "family_livelihood_no_space", "§ 29 Abs. 5 AufenthG"),
        (IT_NO_QUALIFICATION, "19c2", "family_livelihood_no_space", "§ 29 Abs. 5 AufenthG"),
        # § 16a is not named there: sufficient living space (§ 29 Abs. 1 Satz 1 Nr. 2) applies.
        (TRAINEE, "16a", "family_livelihood_space", "§ 29 Abs. 1 Satz 1 Nr. 2 AufenthG"),
    ],
)
def test_living_space_follows_section_29(
    base: dict[str, Any], title: str, code: str, norm: str
) -> None:
    result = run(with_(base, family={"spouse": True, "minor_children": 1}))
    assert result.recommended is not None
    assert result.recommended.title == title
    assert result.family is not None
    last = result.family.items[-1]
    assert last.code == code, norm
    assert norm in last.legal_basis
    # Livelihood (§ 5 Abs. 1 Nr. 1 AufenthG) is checked for every family.
    assert "§ 5 Abs. 1 Nr. 1 AufenthG" in last.legal_basis


def test_documents_livelihood_and_space_are_listed_as_information() -> None:
    """Each member's own power of attorney, civil-status documents (domain.md row 28), and
    livelihood (§ 5 Abs. 1 Nr. 1) and, where § 29 Abs. 5 does not waive it, living space
    (§ 29 Abs. 1 Satz 1 Nr. 2 AufenthG) as information."""
    data = with_(TRAINEE, family={"spouse": True, "minor_children": 1})
    result = run(data)
    assert result.family is not None
    codes = [i.code for i in result.family.items]
    assert "family_documents" in codes
    assert codes[-1] == "family_livelihood_space"
    space = result.family.items[-1]
    assert "§ 29 Abs. 1 Satz 1 Nr. 2 AufenthG" in space.legal_basis
    assert "§ 5 Abs. 1 Nr. 1 AufenthG" in space.legal_basis
    # The family never changes the worker's answer.
    assert result.recommended == run(TRAINEE).recommended
    assert result.options == run(TRAINEE).options


@pytest.mark.parametrize(
    ("family", "path"),
    [
        ({"minor_children": -1}, "family.minor_children"),
        ({"minor_children": "2"}, "family.minor_children"),
        ({"spouse": "yes"}, "family.spouse"),
        ({"spouse_german_level": "A3"}, "family.spouse_german_level"),
        ({"months_after_worker": 121}, "family.months_after_worker"),
        ({"cousins": 3}, "family.cousins"),
    ],
)
def test_bad_family_input_names_the_field(family: dict[str, Any], path: str) -> None:
    with pytest.raises(ProfileError) as caught:
        profile(with_(VOCATIONAL, family=family))
    assert [p.path for p in caught.value.problems] == [path]
