"""Clocks and their dates tell the truth: the deemed BA approval, moot clocks, the week ahead."""

from __future__ import annotations

import datetime as dt

from lotse.cases import deadlines, selectors, timeline
from lotse.cases.models import Case
from lotse.clocks import clock as clock_definition
from lotse.clocks import compute_due
from tests.cases.conftest import CA, CW, create_case, drive, take
from tests.conftest import World

D = dt.date


def _ba_requested(world: World, on: D) -> Case:
    case = drive(world, create_case(world, recognition=""), "recognition_initiate", today=on)
    return take(case, "ba_request", world.users[CW], {"occurred_on": on.isoformat()}, today=on)


def test_a_deemed_approval_is_dated_at_the_end_of_the_ba_week(world: World) -> None:
    requested = D(2026, 3, 2)
    week_end = compute_due(clock_definition("ba_deemed_approval"), requested)
    assert week_end is not None
    confirmed = D(2026, 3, 20)
    assert week_end < confirmed
    case = take(_ba_requested(world, requested), "ba_confirm_deemed", world.users[CW],
                today=confirmed)  # fmt: skip
    approval = case.ba_approvals.get()
    assert approval.outcome == "deemed"
    assert approval.answered_on == week_end  # the letters read this date
    row = case.transitions.get(action="ba_confirm_deemed")
    assert row.data["deemed_on"] == week_end.isoformat()
    assert case.clocks.get(code="ba_deemed_approval").stopped_on == week_end
    entries = {e.key: e for e in timeline.build(case, confirmed)}
    answer = entries["ba"].children[-1]
    assert answer.date == week_end


def test_the_invitation_clock_closes_with_the_pre_approval(world: World) -> None:
    case = drive(world, create_case(world), "issue_preapproval")
    assert deadlines.open_clock(case, "abh_invitation") is not None
    case = take(case, "issue_preapproval", world.users[CW])
    invitation = case.clocks.get(code="abh_invitation")
    assert invitation.stopped_on == dt.date.today()
    listed = selectors.case_list_for(user=world.users[CA])
    (row,) = selectors.rows(listed, dt.date.today())
    assert row.next_due_label != deadlines.definition("abh_invitation").label("en")
    assert row.next_due_label != deadlines.definition("abh_invitation").label("de")


def test_an_ended_case_closes_every_clock(world: World) -> None:
    case = drive(world, create_case(world), "recognition_confirm_receipt")
    take(case, "ba_request", world.users[CW])
    assert case.clocks.filter(stopped_on__isnull=True).count() == 2
    case = take(case, "terminate_noncooperation", world.users[CW], {"reason": "keine Unterlagen"})
    assert not case.clocks.filter(stopped_on__isnull=True).exists()
    assert selectors.deadline_board(user=world.users[CW], today=dt.date.today()).overdue == []


def test_on_a_sunday_the_week_ahead_lists_wednesdays_deadline(world: World) -> None:
    wednesday = D(2026, 3, 4)
    case = _ba_requested(world, wednesday)
    due = case.clocks.get(code="ba_deemed_approval").due_on
    assert due == D(2026, 3, 11)  # the next Wednesday
    sunday = D(2026, 3, 8)
    assert sunday.weekday() == 6
    board = selectors.deadline_board(user=world.users[CW], today=sunday)
    assert [e.case.pk for e in board.due_this_week] == [case.pk]
