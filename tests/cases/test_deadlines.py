"""The case's statutory clocks through the workflow: start, stop, suspension, extension, boards.

The counting itself is tested in tests/clocks; here each row checks that the step starts the
right clock on the right day and that the case stores the due date the engine computes, across
BW holidays, weekends, month ends and the turn of a year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lotse.cases import deadlines, selectors
from lotse.cases.models import Case
from tests.cases.conftest import ADV, CA, CW, create_case, drive, take
from tests.conftest import World

D = dt.date


def _agreement(world: World, **kw: Any) -> Case:
    # The file was accepted and the agreement concluded before the dates the rows record.
    return drive(world, create_case(world, **kw), "recognition_initiate", today=D(2025, 11, 3))


def _clock(case: Case, code: str) -> Any:
    return case.clocks.filter(code=code).latest("id")


# (steps to take as (step, data), clock, started on, due on, why); "today" is set after the dates.
ROWS: list[tuple[list[tuple[str, dict[str, Any]]], str, D, D, str]] = [
    ([("recognition_initiate", {"body": "ihk-fosa", "occurred_on": "2026-03-20"})],
     "recognition_receipt", D(2026, 3, 20), D(2026, 4, 7), "Karfreitag, weekend, Ostermontag"),
    ([("recognition_initiate", {"body": "ihk-fosa", "occurred_on": "2025-12-01"}),
      ("recognition_confirm_receipt", {"occurred_on": "2025-12-10"}),
      ("recognition_file_complete", {"occurred_on": "2025-12-31"})],
     "recognition_decision", D(2025, 12, 31), D(2026, 3, 2), "§ 188 Abs. 3: 28 Feb is a Saturday"),
    ([("recognition_initiate", {"body": "ihk-fosa", "occurred_on": "2026-10-01"}),
      ("recognition_confirm_receipt", {"occurred_on": "2026-10-05"}),
      ("recognition_file_complete", {"occurred_on": "2026-11-06"})],
     "recognition_decision", D(2026, 11, 6), D(2027, 1, 7), "turn of the year, Heilige Drei Könige"),
    ([("recognition_initiate", {"body": "ihk-fosa", "occurred_on": "2026-11-02"}),
      ("recognition_confirm_receipt", {"occurred_on": "2026-11-05"}),
      ("recognition_file_complete", {"occurred_on": "2026-11-10"}),
      ("recognition_decide_full", {"occurred_on": "2026-12-29"})],
     "abh_invitation", D(2026, 12, 29), D(2027, 1, 4), "3 Werktage over Neujahr"),
    ([("ba_request", {"occurred_on": "2026-12-18"})],
     "ba_deemed_approval", D(2026, 12, 18), D(2026, 12, 28), "Weihnachten, then the weekend"),
    ([("ba_request", {"occurred_on": "2026-03-02"}),
      ("ba_request_information", {"occurred_on": "2026-03-05", "reason": "Arbeitszeit"}),
      ("ba_information_delivered", {"occurred_on": "2026-03-12"})],
     "ba_deemed_approval", D(2026, 3, 2), D(2026, 3, 19), "a new week from the answer"),
    ([("recognition_initiate", {"body": "ihk-fosa", "occurred_on": "2025-12-01"}),
      ("recognition_confirm_receipt", {"occurred_on": "2025-12-02"}),
      ("recognition_file_complete", {"occurred_on": "2026-01-15"}),
      ("recognition_request_documents", {"occurred_on": "2026-02-02", "reason": "Nachweis"}),
      ("recognition_file_complete", {"occurred_on": "2026-02-11"})],
     "recognition_decision", D(2026, 1, 15), D(2026, 3, 25), "10 days suspended: 15 Mar + 10"),
]  # fmt: skip


@pytest.mark.parametrize(("steps", "code", "started", "due", "why"), ROWS, ids=[r[4] for r in ROWS])
def test_the_step_starts_the_clock_with_the_engines_due_date(
    world: World, steps: list[tuple[str, dict[str, Any]]], code: str, started: D, due: D, why: str
) -> None:
    case = _agreement(world)
    today = D(2027, 2, 1)
    for step, data in steps:
        case = take(case, step, world.users[CW], data, today=today)
    row = _clock(case, code)
    assert (row.started_on, row.due_on) == (started, due), why


def test_the_preapproval_validity_does_not_move_off_a_saturday(world: World) -> None:
    case = drive(world, create_case(world, title="18g", recognition="", ba=False),
                 "recognition_initiate", today=D(2025, 11, 3))  # fmt: skip
    case = take(case, "issue_preapproval", world.users[CW], {"occurred_on": "2025-11-30"},
                today=D(2026, 1, 5))  # fmt: skip
    assert _clock(case, "preapproval_validity").due_on == D(2026, 2, 28)
    assert case.preapprovals.get().valid_until == D(2026, 2, 28)


def test_documents_requested_halt_the_decision_clock_until_delivered(world: World) -> None:
    case = _agreement(world)
    today = D(2026, 2, 20)
    for step, data in (("recognition_initiate", {"body": "ihk-fosa", "occurred_on": "2026-01-02"}),
                       ("recognition_confirm_receipt", {"occurred_on": "2026-01-05"}),
                       ("recognition_file_complete", {"occurred_on": "2026-01-15"}),
                       ("recognition_request_documents",
                        {"occurred_on": "2026-02-02", "reason": "Praktikumsnachweis"})):  # fmt: skip
        case = take(case, step, world.users[CW], data, today=today)
    row = _clock(case, "recognition_decision")
    assert row.due_on is None  # halted
    assert deadlines.status(row, today).state == "suspended"
    assert row.suspensions == [{"start": "2026-02-02", "end": None, "reason": "Praktikumsnachweis"}]
    # The body's request starts the ABH's 3-Werktage duty to invite the employer.
    assert _clock(case, "abh_invitation").due_on == D(2026, 2, 5)
    case = take(case, "record_employer_invited", world.users[CW], {"occurred_on": "2026-02-04"},
                today=today)  # fmt: skip
    assert deadlines.status(_clock(case, "abh_invitation"), today).state == "met"


def test_an_extension_needs_a_reason_and_moves_the_due_date(world: World) -> None:
    case = _agreement(world)
    today = D(2026, 2, 20)
    for step, data in (("recognition_initiate", {"body": "ihk-fosa", "occurred_on": "2026-01-02"}),
                       ("recognition_confirm_receipt", {"occurred_on": "2026-01-05"}),
                       ("recognition_file_complete", {"occurred_on": "2026-01-15"})):  # fmt: skip
        case = take(case, step, world.users[CW], data, today=today)
    row = _clock(case, "recognition_decision")
    assert row.due_on == D(2026, 3, 16)  # 15 Mar is a Sunday
    with pytest.raises(ValidationError):
        take(case, "extend_clock", world.users[CW],
             {"clock": row.pk, "amount": 1, "unit": "months"}, today=today)  # fmt: skip
    case = take(case, "extend_clock", world.users[CW],
                {"clock": row.pk, "amount": 1, "unit": "months",
                 "reason": "Gutachten der Stelle angefordert"}, today=today)  # fmt: skip
    row.refresh_from_db()
    assert row.due_on == D(2026, 4, 15)  # § 190 BGB: from the unshifted end, 15 Mar
    assert row.extensions[0]["reason"] == "Gutachten der Stelle angefordert"
    transition = case.transitions.get(action="extend_clock")
    assert transition.data["due_before"] == "2026-03-16"
    assert transition.data["due_after"] == "2026-04-15"


def test_overdue_clocks_are_flagged_in_lists_and_on_the_board(world: World) -> None:
    case = _agreement(world)
    started = dt.date.today() - dt.timedelta(days=30)
    case = take(case, "recognition_initiate", world.users[CW],
                {"body": "ihk-fosa", "occurred_on": started.isoformat()})  # fmt: skip
    today = dt.date.today()
    for user in (world.users[CW], world.users[ADV], world.users[CA]):
        found = selectors.case_list_for(user=user, filters=selectors.CaseFilters(overdue=True))
        assert [c.pk for c in found] == [case.pk]
        (row,) = selectors.rows(found, today)
        assert row.overdue
        assert row.next_due is not None
        assert row.next_due.is_overdue
    board = selectors.deadline_board(user=world.users[CW], today=today)
    assert [e.case.pk for e in board.overdue] == [case.pk]
    assert selectors.case_list_for(user=world.foreign_users[CW],
                                   filters=selectors.CaseFilters(overdue=True)).count() == 0  # fmt: skip


def test_deemed_approvals_wait_on_the_board_for_one_action(world: World) -> None:
    case = _agreement(world, recognition="")
    requested = dt.date.today() - dt.timedelta(days=15)
    case = take(case, "ba_request", world.users[CW], {"occurred_on": requested.isoformat()})
    board = selectors.deadline_board(user=world.users[CW], today=dt.date.today())
    assert [e.case.pk for e in board.deemed_to_confirm] == [case.pk]
    assert board.overdue == []  # a fiction is never overdue
    take(case, "ba_confirm_deemed", world.users[CW])
    board = selectors.deadline_board(user=world.users[CW], today=dt.date.today())
    assert board.deemed_to_confirm == []


def test_due_this_week(world: World) -> None:
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday())
    case = _agreement(world, recognition="")
    # A BA request on Monday a week ago is due this Monday (or later after holidays): this week.
    take(
        case,
        "ba_request",
        world.users[CW],
        {"occurred_on": (monday - dt.timedelta(days=7)).isoformat()},
    )
    board = selectors.deadline_board(user=world.users[CW], today=monday)
    assert [e.clock.code for e in board.due_this_week] == ["ba_deemed_approval"]
