from __future__ import annotations

from datetime import date

import pytest

from lotse.clocks import add_months, period_end
from lotse.clocks.model import Unit


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # § 188 Abs. 3 BGB
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2024, 1, 30), 1, date(2024, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),  # across the turn of the year
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("event", "unit", "amount", "expected"),
    [
        # § 187 Abs. 1 BGB: the event day is not counted.
        (date(2026, 3, 2), "calendar_days", 1, date(2026, 3, 3)),
        (date(2026, 12, 28), "calendar_days", 10, date(2027, 1, 7)),
        # § 188 Abs. 2 BGB: a week ends on the weekday of the event.
        (date(2026, 3, 4), "weeks", 1, date(2026, 3, 11)),
        (date(2026, 12, 24), "weeks", 2, date(2027, 1, 7)),
        (date(2026, 1, 31), "months", 1, date(2026, 2, 28)),
        (date(2026, 3, 5), "working_days", 3, date(2026, 3, 10)),  # Fri, Mon, Tue
        (date(2026, 3, 5), "werktage", 3, date(2026, 3, 9)),  # Fri, Sat, Mon
        (date(2026, 3, 5), "weeks", 0, date(2026, 3, 5)),
    ],
)
def test_period_end_without_shift(event: date, unit: Unit, amount: int, expected: date) -> None:
    assert period_end(event, unit, amount) == expected


def test_period_end_rejects_negative_periods() -> None:
    with pytest.raises(ValueError, match="negative"):
        period_end(date(2026, 3, 5), "weeks", -1)


def test_period_end_rejects_unknown_units() -> None:
    with pytest.raises(ValueError, match="unit"):
        period_end(date(2026, 3, 5), "fortnights", 1)  # type: ignore[arg-type]
