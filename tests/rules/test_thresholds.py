from __future__ import annotations

from datetime import date, timedelta

import pytest

from lotse.rules import fees, procedure, thresholds
from lotse.rules.thresholds import NoThresholdsError, known_range, period_for, threshold
from tests.rules.published import BASIS, PUBLISHED

CASES = [
    pytest.param(kind, year, amount, id=f"{BASIS[kind]}-{year}")
    for year, amounts in PUBLISHED.items()
    for kind, amount in amounts.items()
]


@pytest.mark.parametrize(("kind", "year", "amount"), CASES)
def test_published_threshold_mid_year(
    kind: thresholds.ThresholdKind, year: int, amount: float
) -> None:
    found = threshold(kind, date(year, 6, 30))
    assert found is not None
    assert found.cents == round(amount * 100)
    assert found.legal_basis
    assert found.source


@pytest.mark.parametrize(("kind", "year", "amount"), CASES)
def test_threshold_changes_on_1_january(
    kind: thresholds.ThresholdKind, year: int, amount: float
) -> None:
    found = threshold(kind, date(year, 12, 31))
    assert found is not None
    assert found.amount == pytest.approx(amount)


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_reduced_blue_card_is_45_3_percent_of_bbg_s18g_abs1_s2(year: int) -> None:
    period = period_for(date(year, 7, 1))
    reduced = period.get("blue_card_reduced")
    general = period.get("blue_card_general")
    assert reduced is not None
    assert general is not None
    assert reduced.cents == round(period.bbg_pension_cents * 0.453)
    assert general.cents == period.bbg_pension_cents // 2


def test_every_year_in_the_data_has_a_published_test_row_and_vice_versa() -> None:
    data_years = {p.valid_from.year for p in thresholds.periods()}
    assert data_years == set(PUBLISHED)
    first, last = thresholds.published_range()
    assert first == date(min(PUBLISHED), 1, 1)
    assert last == date(max(PUBLISHED), 12, 31)


def test_s19c_abs2_s6_beschv_not_in_force_before_1_march_2024() -> None:
    assert threshold("experience_19c2", date(2024, 2, 29)) is None
    found = threshold("experience_19c2", date(2024, 3, 1))
    assert found is not None
    assert found.amount == 40770.00


def _outside() -> list[date]:
    first, last = known_range()
    return [first - timedelta(days=1), last + timedelta(days=1), date(1999, 5, 5)]


@pytest.mark.parametrize("on", _outside())
def test_unknown_decision_date_is_an_error_not_a_fallback(on: date) -> None:
    with pytest.raises(NoThresholdsError) as info:
        threshold("blue_card_general", on)
    message = str(info.value)
    assert on.isoformat() in message
    assert "no salary thresholds are known" in message


def test_procedure_fee_is_411_s47_abs1_nr15_aufenthv() -> None:
    item = fees.fee("procedure_81a")
    assert item.min == item.max == 411.00
    assert item.legal_basis == "§ 47 Abs. 1 Nr. 15 AufenthV"
    assert item.payer == "employer"


@pytest.mark.parametrize(
    ("body", "low", "high"),
    [("ihk-fosa", 100, 600), ("hwk-region-stuttgart", 100, 600), ("rp-stuttgart", 200, 400)],
)
def test_recognition_fee_ranges_domain_s1_8(body: str, low: float, high: float) -> None:
    (item,) = fees.recognition_fees(body)
    assert (item.min, item.max) == (low, high)
    assert item.is_range


def test_zab_statement_fee_is_200_euro_bqpgebvo_berlin() -> None:
    """The ZAB charges 200 € for the first statement of comparability under the Berlin
    Berufsqualifikationsprüfungsgebührenverordnung (BQPGebVO), per its own (KMK) pages."""
    item = fees.fee("zab_statement")
    assert item.min == item.max == 200.00
    assert not item.is_range
    assert "BQPGebVO" in item.legal_basis


def test_ba_approval_deemed_after_one_week_s36_abs2_beschv() -> None:
    (step,) = [s for s in procedure.steps() if s.code == "ba_approval"]
    assert (step.deadline_amount, step.deadline_unit) == (1, "weeks")
    # § 36 Abs. 2 Satz 2 BeschV: "In den Fällen ... des § 81a des Aufenthaltsgesetzes verkürzt sich
    # die Frist nach Satz 1 auf eine Woche."
    assert "§ 36 Abs. 2 Satz 2 BeschV" in step.legal_basis


def test_receipt_and_decision_steps_cite_the_paragraphs_of_section_14a_bqfg() -> None:
    """§ 14a Abs. 2 Satz 1 BQFG: receipt confirmed within two weeks; Abs. 3 Satz 1: decision
    within two months (the step cited "Abs. 1", which is the application via the ABH)."""
    steps = {s.code: s for s in procedure.steps()}
    assert steps["recognition_receipt"].legal_basis.startswith("§ 14a Abs. 2 Satz 1 BQFG")
    assert steps["recognition_decision"].legal_basis.startswith("§ 14a Abs. 3 Satz 1 BQFG")


def test_recognition_decision_within_two_months_s14a_bqfg() -> None:
    (step,) = [s for s in procedure.steps() if s.code == "recognition_decision"]
    assert (step.deadline_amount, step.deadline_unit) == (2, "months")


def test_steps_for_option_without_recognition_or_ba_skip_those_steps() -> None:
    codes = [
        s.code
        for s in procedure.steps_for(recognition=False, comparability=False, ba_approval=False)
    ]
    assert "ba_approval" not in codes
    assert "recognition_decision" not in codes
    assert codes[0] == "agreement"
    assert "pre_approval" in codes
