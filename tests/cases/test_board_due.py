"""The deadline board reads stored due days: they must agree with the clock engine's computation
after every start, suspension, resumption and extension, and so must the case's list key."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.cases import deadlines, selectors
from lotse.cases.models import LIST_DUE_NONE, Case, CaseClock
from tests.cases.conftest import CA
from tests.cases.world import own_case
from tests.conftest import World

pytestmark = pytest.mark.django_db

# Suspendable clocks and the event that starts each.
STARTS = {
    "recognition_decision": "recognition_file_complete",
    "comparability_statement": "comparability_file_complete",
    "ba_deemed_approval": "ba_approval_requested",
}
OPS = st.lists(
    st.tuples(st.sampled_from(["suspend", "resume", "extend"]), st.integers(0, 40)),
    max_size=6,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    code=st.sampled_from(sorted(STARTS)),
    started_ago=st.integers(0, 200),
    ops=OPS,
    later=st.integers(0, 90),
)
def test_stored_due_days_agree_with_the_engine_and_place_the_clock_on_the_board(
    world: World, code: str, started_ago: int, ops: list[tuple[str, int]], later: int
) -> None:
    case = own_case(world)
    Case.objects.filter(pk=case.pk).update(ba_state="requested")
    case = Case.objects.get(pk=case.pk)
    day = dt.date(2026, 6, 1) - dt.timedelta(days=started_ago)
    (row,) = deadlines.apply_events(case, [(STARTS[code], day)])
    for op, step in ops:
        day += dt.timedelta(days=step)
        if op == "suspend":
            deadlines.suspend(case, (code,), day, "documents requested")
        elif op == "resume":
            deadlines.resume(case, (code,), day)
        else:
            row = CaseClock.objects.get(pk=row.pk)
            limit = deadlines.definition(code).max_extensions
            if limit is not None and len(row.extensions) >= limit:
                continue  # the engine refuses more (tested in tests/clocks)
            deadlines.extend(
                row, days=max(step, 1), unit="calendar_days", reason="asked for more time"
            )
    today = day + dt.timedelta(days=later)
    row = CaseClock.objects.get(pk=row.pk)
    status = deadlines.status(row, today)
    assert row.due_on == status.due
    stored = Case.objects.values_list("list_due_on", flat=True).get(pk=case.pk)
    assert stored == (row.due_on or LIST_DUE_NONE)

    user = world.users[CA]
    columns = {
        column: [e.clock.pk for e in selectors.board_column_page(
            user=user, column=column, today=today, size=1000).items]
        for column in selectors.BOARD_COLUMNS
    }  # fmt: skip
    deemed = status.state == "deemed"
    week = status.due is not None and today <= status.due <= today + dt.timedelta(days=7)
    assert (row.pk in columns["deemed_to_confirm"]) == deemed
    assert (row.pk in columns["overdue"]) == status.is_overdue
    assert (row.pk in columns["due_this_week"]) == (week and not deemed and not status.is_overdue)
