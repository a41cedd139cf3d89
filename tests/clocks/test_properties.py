"""Properties that must hold for every clock and every date, checked with hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.clocks import (
    Clock,
    Extension,
    Suspension,
    add_werktage,
    add_working_days,
    clocks,
    compute_due,
    is_working_day,
    period_end,
    working_days_between,
)

DAYS = st.dates(min_value=date(1995, 1, 1), max_value=date(2080, 12, 31))
CLOCKS = st.sampled_from(clocks())
SUSPENDABLE = st.sampled_from([c for c in clocks() if c.suspendable])
UNITS = st.sampled_from(["calendar_days", "working_days", "werktage", "weeks", "months"])

settings.register_profile("clocks", deadline=None, max_examples=300)
settings.load_profile("clocks")


@st.composite
def closed_suspensions(draw: st.DrawFn, around: date) -> list[Suspension]:
    result = []
    for _ in range(draw(st.integers(0, 3))):
        start = around + timedelta(days=draw(st.integers(-20, 120)))
        length = draw(st.integers(0, 60))
        result.append(Suspension(start, start + timedelta(days=length)))
    return result


@given(CLOCKS, DAYS)
def test_due_is_never_before_the_start(item: Clock, started_on: date) -> None:
    due = compute_due(item, started_on)
    assert due is not None
    assert due > started_on


@given(CLOCKS, DAYS)
def test_a_shifted_end_is_always_a_working_day(item: Clock, started_on: date) -> None:
    due = compute_due(item, started_on)
    assert due is not None
    if item.shifts_end:
        # On the clock's own calendar: the BA's week ends on a federal working day (§ 31 VwVfG),
        # which may be a BW holiday such as Fronleichnam.
        assert is_working_day(due, item.calendar)
    else:
        assert due == period_end(started_on, item.unit, item.amount)


@given(CLOCKS, DAYS, DAYS)
def test_a_later_start_never_gives_an_earlier_due_date(item: Clock, a: date, b: date) -> None:
    first, second = sorted((a, b))
    due_first = compute_due(item, first)
    due_second = compute_due(item, second)
    assert due_first is not None
    assert due_second is not None
    assert due_first <= due_second


@given(SUSPENDABLE, DAYS, st.data())
def test_suspension_never_shortens_a_period(
    item: Clock, started_on: date, data: st.DataObject
) -> None:
    suspensions = data.draw(closed_suspensions(started_on))
    plain = compute_due(item, started_on)
    suspended = compute_due(item, started_on, suspensions=suspensions)
    assert plain is not None
    assert suspended is not None
    assert suspended >= plain


@given(SUSPENDABLE, DAYS, st.data())
def test_more_suspension_never_shortens_a_period(
    item: Clock, started_on: date, data: st.DataObject
) -> None:
    suspensions = data.draw(closed_suspensions(started_on))
    extra = data.draw(closed_suspensions(started_on))
    fewer = compute_due(item, started_on, suspensions=suspensions)
    more = compute_due(item, started_on, suspensions=suspensions + extra)
    assert fewer is not None
    assert more is not None
    assert more >= fewer


@given(SUSPENDABLE, DAYS, st.integers(0, 200))
def test_an_open_suspension_before_the_end_halts_the_clock(
    item: Clock, started_on: date, offset: int
) -> None:
    plain = compute_due(item, started_on)
    assert plain is not None
    start = started_on + timedelta(days=1 + offset)
    halted = compute_due(item, started_on, suspensions=[Suspension(start)])
    if start <= period_end(started_on, item.unit, item.amount):
        assert halted is None
    elif start > plain:
        assert halted == plain


@given(CLOCKS, DAYS, UNITS, st.integers(1, 30))
def test_an_extension_never_shortens_a_period(
    item: Clock, started_on: date, unit: str, amount: int
) -> None:
    plain = compute_due(item, started_on)
    extended = compute_due(
        item,
        started_on,
        extensions=[Extension(amount, unit, "reason")],  # type: ignore[arg-type]
    )
    assert plain is not None
    assert extended is not None
    assert extended >= plain


@given(DAYS, st.integers(1, 400))
def test_adding_working_days_lands_on_a_working_day(start: date, n: int) -> None:
    forward = add_working_days(start, n)
    backward = add_working_days(start, -n)
    assert is_working_day(forward)
    assert is_working_day(backward)
    # exactly n working days lie in (start, forward] and in [backward, start)
    assert working_days_between(start, forward) == n
    one_day = timedelta(days=1)
    assert working_days_between(backward - one_day, start - one_day) == n


@given(DAYS, st.integers(1, 30))
def test_werktage_never_end_later_than_working_days(start: date, n: int) -> None:
    assert add_werktage(start, n) <= add_working_days(start, n)


@given(DAYS, st.integers(-800, 800))
def test_working_days_between_matches_counting_day_by_day(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    low, high = sorted((start, end))
    counted = sum(
        1 for offset in range(1, (high - low).days + 1) if is_working_day(low + timedelta(offset))
    )
    assert working_days_between(start, end) == (counted if end >= start else -counted)
