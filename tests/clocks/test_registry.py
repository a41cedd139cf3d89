from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lotse.clocks import CLOCKS_VERSION, clock, clocks
from lotse.clocks.registry import _clock

# (unit, amount, kind, runs_against, shifts_end, suspendable) as domain.md § 1.7 and issue 4 say
EXPECTED = {
    "recognition_receipt": ("weeks", 2, "deadline", "recognition_body", True, False),
    "recognition_decision": ("months", 2, "deadline", "recognition_body", True, True),
    "comparability_statement": ("months", 2, "deadline", "recognition_body", True, True),
    "abh_invitation": ("werktage", 3, "deadline", "abh", True, False),
    "ba_deemed_approval": ("weeks", 1, "fiction", "ba", True, True),
    "preapproval_validity": ("months", 3, "validity", "worker", False, False),
    "visa_appointment": ("weeks", 3, "deadline", "mission", False, False),
    "visa_decision": ("weeks", 3, "deadline", "mission", False, False),
    "visa_validity": ("months", 12, "validity", "worker", False, False),
    "registration_after_entry": ("weeks", 2, "deadline", "worker", True, False),
    "employer_early_end_report": ("weeks", 4, "deadline", "employer", True, False),
    "worker_early_end_report": ("weeks", 2, "deadline", "worker", True, False),  # § 82 Abs. 6
}


def test_version_is_a_dated_version() -> None:
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", CLOCKS_VERSION)


def test_all_clocks_of_the_procedure_are_defined() -> None:
    assert [c.code for c in clocks()] == list(EXPECTED)


@pytest.mark.parametrize(("code", "expected"), EXPECTED.items())
def test_clock_definition(code: str, expected: tuple[Any, ...]) -> None:
    item = clock(code)
    actual = (
        item.unit,
        item.amount,
        item.kind,
        item.runs_against,
        item.shifts_end,
        item.suspendable,
    )
    assert actual == expected


@pytest.mark.parametrize("item", clocks(), ids=lambda c: c.code)
def test_every_clock_is_documented(item: Any) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", item.code)
    assert item.label_de
    assert item.label_en
    assert item.label_de != item.label_en
    assert item.label("de") == item.label_de
    assert item.label("en") == item.label_en
    assert "§" in item.legal_basis
    assert item.source.startswith("https://")
    assert re.fullmatch(r"[a-z_]+", item.starts_on)
    assert re.fullmatch(r"[a-z_]+", item.stops_on)


def test_open_legal_questions_are_marked() -> None:
    ba = clock("ba_deemed_approval")
    assert ba.suspension_effect == "restart"
    assert ba.unverified
    assert "§ 10 item 17" in ba.note
    assert clock("abh_invitation").unverified
    assert not clock("employer_early_end_report").unverified


def test_unknown_code_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="recognition_receipt"):
        clock("no_such_clock")


def _raw(**changes: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "code": "x",
        "label_de": "X",
        "label_en": "Y",
        "kind": "deadline",
        "legal_basis": "§ 1",
        "source": "https://example.org",
        "starts_on": "a",
        "stops_on": "b",
        "unit": "weeks",
        "amount": 1,
        "shifts_end": True,
        "suspendable": False,
        "suspension_effect": "halt",
        "runs_against": "abh",
        "binding": True,
        "warn_working_days": 1,
    }
    raw.update(changes)
    return raw


def test_valid_raw_definition_loads() -> None:
    assert _clock(_raw()).code == "x"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "days"}, "unit"),
        ({"kind": "sla"}, "kind"),
        ({"runs_against": "court"}, "runs_against"),
        ({"suspension_effect": "pause"}, "suspension_effect"),
        ({"amount": -1}, "amount"),
        ({"amount": True}, "amount"),
        ({"shifts_end": "yes"}, "shifts_end"),
        ({"label_en": ""}, "label_en"),
        ({"extra": 1}, "unknown fields"),
    ],
)
def test_invalid_raw_definitions_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _clock(_raw(**changes))


def test_engine_imports_without_django() -> None:
    code = (
        "import sys, lotse.clocks; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_clock_is_in_the_documentation() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "deadlines.md").read_text("utf-8")
    missing = [c.code for c in clocks() if f"`{c.code}`" not in text]
    assert missing == []
    assert CLOCKS_VERSION in text
