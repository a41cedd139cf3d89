"""A ruleset that survives the turn of the year (issue 10).

The BMI publishes the salary thresholds of § 18g AufenthG, § 19c Abs. 2 AufenthG i.V.m. § 6 BeschV
and § 18 Abs. 2 Nr. 5 AufenthG / § 1 Abs. 2 BeschV late in the year before they apply. A decision
date in a year whose amounts are not yet published is answered with the latest published amounts
and a warning that names what will change; it is never refused.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from lotse.rules import thresholds
from lotse.rules.quickcheck import TITLES
from tests.rules.profiles import ACADEMIC, VOCATIONAL, option, run, warning_codes, with_


def _next_january(today: date) -> date:
    return date(today.year + 1, 1, 15)


def test_published_range_ends_with_the_last_published_year() -> None:
    first, last = thresholds.published_range()
    assert (first.month, first.day) == (1, 1)
    assert (last.month, last.day) == (12, 31)
    assert thresholds.known_range()[0] == first
    assert thresholds.known_range()[1] > last


@pytest.mark.parametrize(
    ("norm", "title", "kind"),
    [
        ("§ 18g Abs. 1 Satz 1 AufenthG", "18g", "blue_card_general"),
        ("§ 19c Abs. 2 AufenthG i.V.m. § 6 BeschV", "19c2", "experience_19c2"),
    ],
)
def test_decision_next_january_uses_the_latest_published_amount_with_a_warning(
    norm: str, title: str, kind: thresholds.ThresholdKind
) -> None:
    last = thresholds.published_range()[1]
    on = last + timedelta(days=15)  # 15 January of the first unpublished year
    base = ACADEMIC if title == "18g" else VOCATIONAL
    opt = option(with_(base, decision_date=on.isoformat()), title)
    latest = thresholds.threshold(kind, last)
    assert latest is not None
    assert opt.salary_threshold == latest.amount
    assert "thresholds_provisional" in warning_codes(opt)
    found = next(w for w in opt.warnings if w.code == "thresholds_provisional")
    assert str(on.year) in found.message_de
    assert str(last.year) in found.message_en
    assert "§ 18g" in found.message_de  # names what will change
    assert "§ 18 Abs. 2 Nr. 5" in found.message_de
    assert norm.split(" i.V.m.")[0] in " ".join(opt.legal_basis) or norm in found.legal_basis


def test_published_year_has_no_provisional_warning() -> None:
    result = run(VOCATIONAL)
    for code in TITLES:
        assert "thresholds_provisional" not in warning_codes(result.option(code))


def test_decision_next_january_from_today_passes_without_code_changes() -> None:
    on = _next_january(date.today())
    result = run(with_(ACADEMIC, decision_date=on.isoformat()))
    assert result.option("18g").eligible is True


def test_time_machine_one_year_after_the_data_next_january_still_answers() -> None:
    # A year from now, with no one having rolled the data forward, the check still answers.
    last = thresholds.published_range()[1]
    with time_machine.travel(date(last.year + 1, 12, 1), tick=False):
        on = _next_january(date.today())
        result = run(with_(ACADEMIC, decision_date=on.isoformat()))
    assert result.option("18g").eligible is True
    assert "thresholds_provisional" in warning_codes(result.option("18g"))


def test_beyond_the_horizon_is_still_refused() -> None:
    last = thresholds.known_range()[1]
    with pytest.raises(thresholds.NoThresholdsError):
        thresholds.period_for(last + timedelta(days=1))
