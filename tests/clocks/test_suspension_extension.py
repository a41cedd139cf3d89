"""Suspension (Fristhemmung), restart after a BA request, and extension (§ 190 BGB)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

import pytest

from lotse.clocks import Clock, Extension, Suspension, Unit, clock, compute_due

DECISION = clock("recognition_decision")
# File complete Thu 15 Jan 2026: 2 months end Sun 15 Mar, moved to Mon 16 Mar.
COMPLETE = date(2026, 1, 15)


def _s(start: date, end: date | None) -> Suspension:
    return Suspension(start, end)


@pytest.mark.parametrize(
    ("suspensions", "expected"),
    [
        ((), date(2026, 3, 16)),
        # 2–11 Feb: 10 suspended days, both ends included → Sun 15 Mar + 10 = Wed 25 Mar
        ((_s(date(2026, 2, 2), date(2026, 2, 11)),), date(2026, 3, 25)),
        # a one-day suspension still counts one day → Mon 16 Mar (the 15th was a Sunday)
        ((_s(date(2026, 2, 2), date(2026, 2, 2)),), date(2026, 3, 16)),
        # begun before the file was complete: only 16–20 Jan count → Fri 20 Mar
        ((_s(date(2026, 1, 10), date(2026, 1, 20)),), date(2026, 3, 20)),
        # ended on the day the clock started: no effect
        ((_s(date(2026, 1, 1), date(2026, 1, 15)),), date(2026, 3, 16)),
        # overlapping requests are counted once: 2–14 Feb = 13 days → Sat 28 Mar → Mon 30 Mar
        (
            (_s(date(2026, 2, 2), date(2026, 2, 11)), _s(date(2026, 2, 5), date(2026, 2, 14))),
            date(2026, 3, 30),
        ),
        # a request inside another one adds nothing
        (
            (_s(date(2026, 2, 2), date(2026, 2, 11)), _s(date(2026, 2, 3), date(2026, 2, 4))),
            date(2026, 3, 25),
        ),
        # adjacent: 2–4 Feb and 5–6 Feb = 5 days → Fri 20 Mar
        (
            (_s(date(2026, 2, 5), date(2026, 2, 6)), _s(date(2026, 2, 2), date(2026, 2, 4))),
            date(2026, 3, 20),
        ),
        # disjoint: 3 days in Feb + 2 days in Mar → Fri 20 Mar
        (
            (_s(date(2026, 2, 2), date(2026, 2, 4)), _s(date(2026, 3, 1), date(2026, 3, 2))),
            date(2026, 3, 20),
        ),
        # begins on the last counted day (Sun 15 Mar): 15–16 Mar → Tue 17 Mar
        ((_s(date(2026, 3, 15), date(2026, 3, 16)),), date(2026, 3, 17)),
        # begins in the § 193 tail, after the last counted day: the period had run out
        ((_s(date(2026, 3, 16), date(2026, 3, 18)),), date(2026, 3, 16)),
        # begins after the due date: no effect
        ((_s(date(2026, 3, 20), date(2026, 3, 25)),), date(2026, 3, 16)),
        # straddles the end: 10–20 Mar = 11 days → Thu 26 Mar
        ((_s(date(2026, 3, 10), date(2026, 3, 20)),), date(2026, 3, 26)),
        # open, begun before the end: halted
        ((_s(date(2026, 2, 2), None),), None),
        # open but begun only after the period ran out: no effect
        ((_s(date(2026, 3, 17), None),), date(2026, 3, 16)),
        # a closed one pushes the end past an open one that starts later
        ((_s(date(2026, 2, 2), date(2026, 2, 11)), _s(date(2026, 3, 20), None)), None),
    ],
)
def test_halting_suspensions(suspensions: Sequence[Suspension], expected: date | None) -> None:
    assert compute_due(DECISION, COMPLETE, suspensions=suspensions) == expected


def test_suspension_pushes_the_end_over_the_turn_of_the_year() -> None:
    # 25 Oct + 2 months = Fri 25 Dec; 2–8 Nov suspended (7 days) → Fri 1 Jan → Mon 4 Jan
    due = compute_due(
        DECISION, date(2026, 10, 25), suspensions=[Suspension(date(2026, 11, 2), date(2026, 11, 8))]
    )
    assert due == date(2027, 1, 4)


BA = clock("ba_deemed_approval")


@pytest.mark.parametrize(
    ("requested", "suspensions", "expected"),
    [
        # BA asks on Thu 5 Mar, the information arrives Thu 12 Mar: a new week → Thu 19 Mar
        (date(2026, 3, 2), (_s(date(2026, 3, 5), date(2026, 3, 12)),), date(2026, 3, 19)),
        # information still missing: no fiction can arise
        (date(2026, 3, 2), (_s(date(2026, 3, 5), None),), None),
        # asked only after the week had passed: the fiction had already arisen
        (date(2026, 3, 2), (_s(date(2026, 3, 10), date(2026, 3, 12)),), date(2026, 3, 9)),
        # asked on the last day of the week: still in time
        (date(2026, 3, 2), (_s(date(2026, 3, 9), date(2026, 3, 11)),), date(2026, 3, 18)),
        # § 31 VwVfG: the BA counts federal holidays only, so the week ends on Fronleichnam
        # (Thu 4 Jun, a BW holiday only); asked that day, answered Wed 10 Jun → Wed 17 Jun
        (date(2026, 5, 28), (_s(date(2026, 6, 4), date(2026, 6, 10)),), date(2026, 6, 17)),
        # a request on Fri 5 Jun comes after the federal week ran out: no restart
        (date(2026, 5, 28), (_s(date(2026, 6, 5), date(2026, 6, 10)),), date(2026, 6, 4)),
        # a second, shorter request during the first never shortens the new week
        (
            date(2026, 3, 2),
            (_s(date(2026, 3, 5), date(2026, 3, 12)), _s(date(2026, 3, 6), date(2026, 3, 9))),
            date(2026, 3, 19),
        ),
        # second request within the restarted week: restarts again from 20 Mar → Fri 27 Mar
        (
            date(2026, 3, 2),
            (_s(date(2026, 3, 5), date(2026, 3, 12)), _s(date(2026, 3, 16), date(2026, 3, 20))),
            date(2026, 3, 27),
        ),
        # restarted week ending on Christmas Day → Mon 28 Dec
        (date(2026, 12, 7), (_s(date(2026, 12, 10), date(2026, 12, 18)),), date(2026, 12, 28)),
    ],
)
def test_ba_request_restarts_the_week(
    requested: date, suspensions: Sequence[Suspension], expected: date | None
) -> None:
    assert compute_due(BA, requested, suspensions=suspensions) == expected


def _working_day_clock(unit: Unit) -> Clock:
    return dataclasses.replace(
        clock("abh_invitation"), code="test", unit=unit, amount=5, suspendable=True
    )


@pytest.mark.parametrize(
    ("unit", "suspensions", "expected"),
    [
        ("working_days", (), date(2026, 12, 31)),  # 24, 28, 29, 30, 31
        # 24–28 Dec suspended: 29, 30, 31, 4, 5 → Tue 5 Jan
        ("working_days", (_s(date(2026, 12, 24), date(2026, 12, 28)),), date(2027, 1, 5)),
        ("working_days", (_s(date(2026, 12, 29), None),), None),
        # Werktage: 24, 28, 29, 30, 31 as well (the Saturday 26th is a holiday)
        ("werktage", (), date(2026, 12, 31)),
        # 24–28 Dec suspended: 29, 30, 31, Sat 2, Mon 4 → Mon 4 Jan
        ("werktage", (_s(date(2026, 12, 24), date(2026, 12, 28)),), date(2027, 1, 4)),
    ],
)
def test_suspension_of_working_day_counts(
    unit: Unit, suspensions: Sequence[Suspension], expected: date | None
) -> None:
    started = date(2026, 12, 23)
    assert compute_due(_working_day_clock(unit), started, suspensions=suspensions) == expected


@pytest.mark.parametrize(
    ("extensions", "suspensions", "expected"),
    [
        # § 190 BGB: from the unshifted end Sun 15 Mar, one month → Wed 15 Apr
        ((Extension(1, "months", "expert opinion"),), (), date(2026, 4, 15)),
        # one day from Sun 15 Mar → Mon 16 Mar (not Tue 17 Mar, counted from the moved end)
        ((Extension(1, "calendar_days", "short"),), (), date(2026, 3, 16)),
        # 14 days → Sun 29 Mar → Mon 30 Mar
        ((Extension(14, "calendar_days", "translation"),), (), date(2026, 3, 30)),
        # suspension first (10 days → Wed 25 Mar), then one month → Sat 25 Apr → Mon 27 Apr
        (
            (Extension(1, "months", "expert opinion"),),
            (_s(date(2026, 2, 2), date(2026, 2, 11)),),
            date(2026, 4, 27),
        ),
        # suspension during the extension (20–24 Mar, 5 days): 15 Apr + 5 = Mon 20 Apr
        (
            (Extension(1, "months", "expert opinion"),),
            (_s(date(2026, 3, 20), date(2026, 3, 24)),),
            date(2026, 4, 20),
        ),
        # open suspension during the extension: halted
        ((Extension(1, "months", "expert opinion"),), (_s(date(2026, 4, 1), None),), None),
    ],
)
def test_extensions(
    extensions: Sequence[Extension], suspensions: Sequence[Suspension], expected: date | None
) -> None:
    due = compute_due(DECISION, COMPLETE, suspensions=suspensions, extensions=extensions)
    assert due == expected


def test_two_extensions_run_one_after_the_other_where_the_law_allows_more_than_one() -> None:
    # The recognition decision may be extended only once (§ 14a Abs. 3 BQFG, issue 10), so the
    # chaining is shown on the ZAB clock (same 2-month period, no limit):
    # 15 Mar + 1 week + 1 week = Sun 29 Mar → Mon 30 Mar.
    zab = clock("comparability_statement")
    twice = (Extension(1, "weeks", "first"), Extension(1, "weeks", "second"))
    assert compute_due(zab, COMPLETE, extensions=twice) == date(2026, 3, 30)


def test_month_extension_counts_from_the_end_of_a_short_month() -> None:
    # complete 31 Dec 2025 → 28 Feb 2026; + 1 month → Sat 28 Mar → Mon 30 Mar
    due = compute_due(
        DECISION, date(2025, 12, 31), extensions=[Extension(1, "months", "expert opinion")]
    )
    assert due == date(2026, 3, 30)


def test_extension_of_a_werktage_clock() -> None:
    # Mon 2 Mar → Thu 5 Mar; + 2 Werktage → Fri 6, Sat 7 → moved to Mon 9 Mar
    due = compute_due(
        clock("abh_invitation"),
        date(2026, 3, 2),
        extensions=[Extension(2, "werktage", "staff absence")],
    )
    assert due == date(2026, 3, 9)


def test_extension_of_the_ba_week() -> None:
    due = compute_due(BA, date(2026, 3, 2), extensions=[Extension(3, "calendar_days", "x")])
    assert due == date(2026, 3, 12)


def test_clock_that_cannot_be_suspended_refuses_a_suspension() -> None:
    with pytest.raises(ValueError, match="cannot be suspended"):
        compute_due(
            clock("recognition_receipt"),
            date(2026, 3, 2),
            suspensions=[Suspension(date(2026, 3, 3), date(2026, 3, 4))],
        )


def test_suspension_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        Suspension(date(2026, 3, 4), date(2026, 3, 3))


@pytest.mark.parametrize(
    ("days", "unit", "reason", "message"),
    [
        (0, "calendar_days", "x", "at least one"),
        (-3, "weeks", "x", "at least one"),
        (1, "fortnights", "x", "unknown unit"),
        (1, "weeks", "  ", "reason"),
    ],
)
def test_invalid_extensions(days: int, unit: str, reason: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Extension(days, unit, reason)  # type: ignore[arg-type]


def test_open_suspension_properties() -> None:
    open_ = Suspension(date(2026, 3, 4))
    assert open_.is_open
    assert open_.covers(date(2030, 1, 1))
    assert not open_.covers(date(2026, 3, 3))
    closed = Suspension(date(2026, 3, 4), date(2026, 3, 5))
    assert not closed.is_open
    assert closed.covers(date(2026, 3, 5))
    assert not closed.covers(date(2026, 3, 6))
