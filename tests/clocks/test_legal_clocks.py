"""Clocks against the statute (issue 10): each row names its norm."""

from __future__ import annotations

from datetime import date

import pytest

from lotse.clocks import Extension, clock, compute_due
from lotse.clocks.compute import visa_appointment_status

CALENDARS = [
    pytest.param(
        "§ 36 Abs. 2 BeschV, § 31 VwVfG: BA is federal — Heilige Drei Könige is no federal holiday",
        "ba_deemed_approval", date(2026, 12, 30), date(2027, 1, 6),
        id="s31_VwVfG-BA_federal_calendar_6_January",
    ),
    pytest.param(
        "§ 36 Abs. 2 BeschV, § 31 VwVfG: Fronleichnam 2027 is no federal holiday",
        "ba_deemed_approval", date(2027, 5, 20), date(2027, 5, 27),
        id="s31_VwVfG-BA_federal_calendar_Fronleichnam",
    ),
    pytest.param(
        "ZAB in Bonn (NRW calendar): 6 January is no holiday in North Rhine-Westphalia",
        "comparability_statement", date(2026, 11, 6), date(2027, 1, 6),
        id="ZAB_NRW_calendar_6_January",
    ),
    pytest.param(
        "§ 81a Abs. 3 Nr. 3 AufenthG: drei Werktage, Samstag zählt",
        "abh_invitation", date(2026, 12, 3), date(2026, 12, 7),
        id="s81a_abs3_nr3-three_Werktage_Saturday_counted",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "code", "start", "due"), CALENDARS)
def test_due_date_on_the_right_calendar(norm: str, code: str, start: date, due: date) -> None:
    assert compute_due(clock(code), start) == due, norm


def test_ba_and_zab_calendars_are_named_in_the_data() -> None:
    assert clock("ba_deemed_approval").calendar == "federal"
    assert clock("comparability_statement").calendar == "NW"
    assert clock("abh_invitation").calendar == "BW"
    assert "practice" in clock("comparability_statement").note.lower()


def test_recognition_extension_only_once_s14a_abs3_bqfg() -> None:
    decision = clock("recognition_decision")
    once = (Extension(days=1, unit="months", reason="complex case"),)
    assert compute_due(decision, date(2026, 3, 2), extensions=once) == date(2026, 6, 2)
    twice = (*once, Extension(days=1, unit="months", reason="again"))
    with pytest.raises(ValueError, match="once"):
        compute_due(decision, date(2026, 3, 2), extensions=twice)


def test_health_professions_cite_their_own_law() -> None:
    decision = clock("recognition_decision")
    # § 14a Abs. 3 BQFG (two months, one extension); Abs. 4 Satz 1 (suspension while the body's
    # deadline for documents runs).
    assert "§ 14a Abs. 3, Abs. 4 Satz 1 BQFG" in decision.legal_basis
    assert "§ 43 Abs. 3 Satz 3 PflAPrV" in decision.health_legal_basis
    assert "PflAPrV" in decision.health_legal_basis
    assert "BÄO" in decision.health_legal_basis


def test_receipt_confirmation_cites_s14a_abs2_bqfg_and_not_for_health_bodies() -> None:
    receipt = clock("recognition_receipt")
    assert "§ 14a Abs. 2 Satz 1 BQFG" in receipt.legal_basis
    assert receipt.applies_to_body("ihk-fosa") is True
    assert receipt.applies_to_body("rp-stuttgart") is False


@pytest.mark.parametrize(
    ("norm", "title", "applies"),
    [
        ("§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG: Beschäftigungstitel", "18a", True),
        ("§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG: Beschäftigungstitel", "19c2", True),
        ("§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG: nicht § 16a (Ausbildung)", "16a", False),
        ("§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG: nicht § 16d", "16d1", False),
    ],
)
def test_employer_notice_only_for_employment_titles(norm: str, title: str, applies: bool) -> None:
    assert clock("employer_early_end_report").applies_to_title(title) is applies, norm


def test_worker_own_notice_s82_abs6_aufenthg() -> None:
    own = clock("worker_early_end_report")
    assert "§ 82 Abs. 6 AufenthG" in own.legal_basis
    assert own.runs_against == "worker"
    assert compute_due(own, date(2026, 3, 2)) == date(2026, 3, 16)


VISA = [
    pytest.param(
        "§ 31a Abs. 1 AufenthV: start at the later of request and Vorabzustimmung; date in time",
        date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 30), False,
        id="s31a_abs1-later_of_request_and_preapproval",
    ),
    pytest.param(
        "§ 31a Abs. 1 AufenthV: an offer of a date months away is not on time",
        date(2026, 3, 2), date(2026, 2, 20), date(2026, 6, 15), True,
        id="s31a_abs1-date_months_away_is_late",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "requested", "preapproved", "appointment", "late"), VISA)
def test_visa_appointment(
    norm: str, requested: date, preapproved: date, appointment: date, late: bool
) -> None:
    status = visa_appointment_status(
        requested_on=requested, preapproval_on=preapproved, appointment_on=appointment,
        today=date(2026, 3, 10),
    )  # fmt: skip
    assert status.late is late, norm
    assert status.due == compute_due(clock("visa_appointment"), max(requested, preapproved))
