"""Every citation in the rule, clock and library data names a norm that exists (issue 10).

The references are extracted from every ``legal_basis`` / ``*_basis`` value and checked against
the hand-written list in tests/rules/norms.py.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import lotse
from lotse.rules._data import load
from tests.rules.norms import VALID, WHOLE_LAWS

ROOT = Path(lotse.__file__).parent
FILES = [
    *sorted((ROOT / "rules" / "data").glob("*.toml")),
    *sorted((ROOT / "clocks" / "data").glob("*.toml")),
    ROOT / "advice" / "data" / "library.toml",
]
_LAWS = sorted({*VALID, *WHOLE_LAWS}, key=len, reverse=True)
_LAW = re.compile(r"(?<![\w-])(" + "|".join(re.escape(law) for law in _LAWS) + r")(?![\w-])")
_SECTION = re.compile(r"(§§?)\s*")
_NUMBER_LIST = re.compile(r"\d+[a-z]?(?:\s*(?:,|und)\s*\d+[a-z]?)*")


def _basis_values(node: Any, where: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "legal_basis" or key.endswith("_basis"):
                values = value if isinstance(value, list) else [value]
                found.extend((f"{where}.{key}", v) for v in values if isinstance(v, str))
            else:
                found.extend(_basis_values(value, f"{where}.{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_basis_values(value, f"{where}[{index}]"))
    return found


def references(text: str) -> list[tuple[str, str]]:
    """(law, section) pairs cited in ``text``; law "?" when no known law follows a §."""
    refs: list[tuple[str, str]] = []
    text = re.sub(r"domain\.md §\s*[\d.]+", "", text)  # a section of our docs, not a norm
    for segment in text.split(";"):
        for match in _SECTION.finditer(segment):
            rest = segment[match.end() :]
            numbers = _NUMBER_LIST.match(rest)
            if numbers is None:
                continue
            sections = re.findall(r"\d+[a-z]?", numbers.group(0))
            if match.group(1) == "§":
                sections = sections[:1]
            after = _LAW.search(rest)
            before = _LAW.findall(segment[: match.start()])
            law = after.group(1) if after else (before[-1] if before else "?")
            refs.extend((law, section) for section in sections)
    return refs


CITATIONS = [
    pytest.param(text, id=f"{path.name}:{where}")
    for path in FILES
    for where, text in _basis_values(tomllib.loads(path.read_text(encoding="utf-8")), "")
    if "§" in text
]


@pytest.mark.parametrize("text", CITATIONS)
def test_every_cited_section_exists(text: str) -> None:
    refs = references(text)
    assert refs, text
    for law, section in refs:
        assert law in VALID, f"unknown law in {text!r}"
        assert section in VALID[law], f"§ {section} {law} is not a known norm ({text!r})"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("§ 71 Abs. 1 AufenthG i.V.m. § 31 Abs. 4 AufenthV",
         [("AufenthG", "71"), ("AufenthV", "31")]),
        ("§§ 1, 40, 64 PflBG (alt)", [("PflBG", "1"), ("PflBG", "40"), ("PflBG", "64")]),
        ("§ 14a Abs. 3 BQFG (BQFG-BW § 14a)", [("BQFG", "14a"), ("BQFG-BW", "14a")]),
        ("§ 18h AufenthG", [("AufenthG", "18h")]),
    ],
)  # fmt: skip
def test_reference_extraction(text: str, expected: list[tuple[str, str]]) -> None:
    assert references(text) == expected


@pytest.mark.parametrize(
    ("norm", "code"),
    [
        ("§ 18g Abs. 3 AufenthG", "contract_too_short"),
        ("§ 71 Abs. 1 AufenthG i.V.m. § 31 Abs. 4 AufenthV", "authority_not_in_cooperation"),
        ("§ 71 Abs. 1 AufenthG i.V.m. § 31 Abs. 4 AufenthV", "municipality_outside_directory"),
    ],
)
def test_message_cites_the_norm(norm: str, code: str) -> None:
    assert norm in load("messages")["message"][code]["legal_basis"]


def test_abh_competence_cites_s71_abs1_aufenthg_with_s31_abs4_aufenthv() -> None:
    for authority in load("authorities")["authority"]:
        assert "§ 71 Abs. 1 AufenthG i.V.m. § 31 Abs. 4 AufenthV" in authority["legal_basis"]
