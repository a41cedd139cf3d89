from __future__ import annotations

from datetime import date

import pytest

from lotse.clocks import (
    add_werktage,
    add_working_days,
    holiday_name,
    is_public_holiday,
    is_werktag,
    is_working_day,
    next_working_day_on_or_after,
    working_days_between,
)
from lotse.clocks import calendar as bw_calendar

# Expected values below were written by hand from a printed calendar and the list of BW public
# holidays (Feiertagsgesetz BW), not computed by the code under test.


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), False),  # Neujahr, Thursday
        (date(2026, 1, 6), False),  # Heilige Drei Könige, Tuesday (BW only)
        (date(2026, 4, 3), False),  # Karfreitag
        (date(2026, 4, 6), False),  # Ostermontag
        (date(2026, 5, 1), False),  # Erster Mai, Friday
        (date(2026, 5, 14), False),  # Christi Himmelfahrt
        (date(2026, 5, 25), False),  # Pfingstmontag
        (date(2026, 6, 4), False),  # Fronleichnam, Thursday (BW only)
        (date(2024, 11, 1), False),  # Allerheiligen on a Friday (BW only)
        (date(2026, 11, 2), True),  # Monday after Allerheiligen on a Sunday: no substitute day
        (date(2026, 12, 24), True),  # Heiligabend is no public holiday
        (date(2026, 12, 25), False),
        (date(2025, 12, 26), False),  # Zweiter Weihnachtstag, Friday
        (date(2026, 12, 31), True),  # Silvester is no public holiday
        (date(2026, 3, 7), False),  # plain Saturday
        (date(2026, 3, 8), False),  # plain Sunday
        (date(2026, 3, 9), True),  # plain Monday
        (date(2025, 8, 15), True),  # Mariä Himmelfahrt: holiday in parts of Bavaria, not in BW
        (date(2025, 10, 31), True),  # Reformationstag: not in BW (except 2017)
        (date(2026, 11, 18), True),  # Buß- und Bettag: Saxony only
        (date(2027, 3, 8), True),  # Frauentag: Berlin/MV only
        (date(2026, 12, 23), True),  # BW school holidays (Weihnachtsferien) are working days
        (date(2026, 8, 3), True),  # BW summer school holidays are working days
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


def test_reformationstag_2017_was_a_public_holiday_everywhere() -> None:
    assert is_public_holiday(date(2017, 10, 31))
    assert not is_working_day(date(2017, 10, 31))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 7), True),  # Saturday is a Werktag
        (date(2026, 3, 8), False),  # Sunday is not
        (date(2026, 12, 26), False),  # Zweiter Weihnachtstag on a Saturday
        (date(2026, 10, 3), False),  # Tag der Deutschen Einheit on a Saturday
        (date(2026, 6, 4), False),  # Fronleichnam
        (date(2026, 6, 5), True),
    ],
)
def test_is_werktag(day: date, expected: bool) -> None:
    assert is_werktag(day) is expected


@pytest.mark.parametrize(
    ("day", "de", "en"),
    [
        (date(2026, 1, 1), "Neujahr", "New Year's Day"),
        (date(2026, 1, 6), "Heilige Drei Könige", "Epiphany"),
        (date(2026, 4, 3), "Karfreitag", "Good Friday"),
        (date(2026, 4, 6), "Ostermontag", "Easter Monday"),
        (date(2026, 6, 4), "Fronleichnam", "Corpus Christi"),
        (date(2026, 11, 1), "Allerheiligen", "All Saints' Day"),
        (date(2026, 12, 25), "Erster Weihnachtstag", "Christmas Day"),
    ],
)
def test_holiday_name_in_both_languages(day: date, de: str, en: str) -> None:
    assert holiday_name(day) == de
    assert holiday_name(day, "de") == de
    assert holiday_name(day, "en") == en


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 24),
        date(2026, 4, 5),  # Ostersonntag is no statutory holiday in BW (it is a Sunday anyway)
        date(2026, 3, 9),
    ],
)
def test_holiday_name_is_none_on_other_days(day: date) -> None:
    assert holiday_name(day) is None
    assert holiday_name(day, "en") is None


def test_holiday_name_does_not_follow_the_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(variable, "C.UTF-8")
    bw_calendar._public_holidays.cache_clear()
    try:
        assert holiday_name(date(2027, 1, 1), "de") == "Neujahr"
        assert holiday_name(date(2027, 1, 1), "en") == "New Year's Day"
    finally:
        bw_calendar._public_holidays.cache_clear()


def test_holiday_name_rejects_unknown_language() -> None:
    with pytest.raises(ValueError, match="language"):
        holiday_name(date(2026, 1, 1), "fr")  # type: ignore[arg-type]


def test_school_holidays_are_not_mixed_in() -> None:
    # The BW calendar has exactly the 12 statutory holidays of 2026 (engineering.md § 3).
    names = bw_calendar._public_holidays(2026, "de")
    assert len(names) == 12
    assert all("ferien" not in name.lower() for name in names.values())


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 3, 2), 1, date(2026, 3, 3)),
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday → Monday
        (date(2026, 12, 23), 1, date(2026, 12, 24)),
        (date(2026, 12, 23), 2, date(2026, 12, 28)),  # over Christmas and the weekend
        (date(2026, 12, 23), 5, date(2026, 12, 31)),
        (date(2026, 12, 23), 6, date(2027, 1, 4)),  # Neujahr on Friday, then the weekend
        (date(2026, 12, 23), 7, date(2027, 1, 5)),
        (date(2026, 12, 23), 8, date(2027, 1, 7)),  # Heilige Drei Könige on Wednesday
        (date(2026, 5, 28), 10, date(2026, 6, 12)),  # over Fronleichnam (engineering.md § 3)
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Karfreitag and Ostermontag
        (date(2026, 1, 5), 1, date(2026, 1, 7)),
        (date(2026, 10, 30), 1, date(2026, 11, 2)),
        (date(2026, 12, 25), 1, date(2026, 12, 28)),  # starting on a holiday
        (date(2026, 12, 25), 0, date(2026, 12, 25)),
        (date(2026, 1, 7), -1, date(2026, 1, 5)),
        (date(2027, 1, 4), -1, date(2026, 12, 31)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 6, 3), 3, date(2026, 6, 8)),  # Fronleichnam skipped, Saturday counted
        (date(2026, 12, 23), 3, date(2026, 12, 29)),  # 24th, (25th, 26th, 27th), 28th, 29th
        (date(2026, 4, 1), 3, date(2026, 4, 7)),  # 2nd, (3rd), 4th, (5th, 6th), 7th
        (date(2026, 1, 7), 3, date(2026, 1, 10)),  # ends on a Saturday
        (date(2026, 12, 29), 3, date(2027, 1, 2)),  # 30th, 31st, (Neujahr), Saturday 2nd
    ],
)
def test_add_werktage(start: date, n: int, expected: date) -> None:
    assert add_werktage(start, n) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 25), date(2026, 12, 28)),
        (date(2026, 12, 31), date(2026, 12, 31)),
        (date(2027, 1, 1), date(2027, 1, 4)),
        (date(2026, 1, 6), date(2026, 1, 7)),
        (date(2026, 4, 3), date(2026, 4, 7)),
        (date(2026, 10, 3), date(2026, 10, 5)),  # Tag der Deutschen Einheit on a Saturday
        (date(2026, 10, 31), date(2026, 11, 2)),  # Saturday, then Allerheiligen on Sunday
    ],
)
def test_next_working_day_on_or_after(day: date, expected: date) -> None:
    assert next_working_day_on_or_after(day) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 12, 23), date(2027, 1, 8), 9),  # 24, 28, 29, 30, 31, 4, 5, 7, 8
        (date(2026, 4, 30), date(2026, 5, 31), 18),  # 21 weekdays minus 1 May, 14 May, 25 May
        (date(2026, 5, 31), date(2026, 4, 30), -18),
        (date(2026, 3, 9), date(2026, 3, 9), 0),
        (date(2026, 3, 6), date(2026, 3, 8), 0),  # Friday to Sunday: nothing after Friday
    ],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert working_days_between(start, end) == expected
