from __future__ import annotations

from datetime import date

import pytest

from lotse.rules import fees, procedure, thresholds
from lotse.rules.thresholds import NoThresholdsError, period_for, threshold

# Published amounts (domain.md § 2.1), typed in by hand from the sources, not read from the data.
# (kind, legal basis for the test id, {year: amount})
PUBLISHED: list[tuple[thresholds.ThresholdKind, str, dict[int, float]]] = [
    (
        "blue_card_general",
        "s18g_abs1_s1_AufenthG",
        {2024: 45300.00, 2025: 48300.00, 2026: 50700.00},
    ),
    (
        "blue_card_reduced",
        "s18g_abs1_s2_abs2_AufenthG",
        {2024: 41041.80, 2025: 43759.80, 2026: 45934.20},
    ),
    (
        "experience_19c2",
        "s19c_abs2_AufenthG_s6_BeschV",
        {2024: 40770.00, 2025: 43470.00, 2026: 45630.00},
    ),
    (
        "age45",
        "s18_abs2_nr5_AufenthG",
        {2024: 49830.00, 2025: 53130.00, 2026: 55770.00},
    ),
]
CASES = [
    pytest.param(kind, year, amount, id=f"{basis}-{year}")
    for kind, basis, by_year in PUBLISHED
    for year, amount in by_year.items()
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


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_reduced_blue_card_is_45_3_percent_of_bbg_s18g_abs1_s2(year: int) -> None:
    period = period_for(date(year, 7, 1))
    reduced = period.get("blue_card_reduced")
    general = period.get("blue_card_general")
    assert reduced is not None
    assert general is not None
    assert reduced.cents == round(period.bbg_pension_cents * 0.453)
    assert general.cents == period.bbg_pension_cents // 2


def test_s19c_abs2_s6_beschv_not_in_force_before_1_march_2024() -> None:
    assert threshold("experience_19c2", date(2024, 2, 29)) is None
    found = threshold("experience_19c2", date(2024, 3, 1))
    assert found is not None
    assert found.amount == 40770.00


@pytest.mark.parametrize("on", [date(2023, 12, 31), date(2027, 1, 1), date(1999, 5, 5)])
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


def test_ba_approval_deemed_after_one_week_s36_abs2_beschv() -> None:
    (step,) = [s for s in procedure.steps() if s.code == "ba_approval"]
    assert (step.deadline_amount, step.deadline_unit) == (1, "weeks")
    assert "§ 36 Abs. 2 BeschV" in step.legal_basis


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
