from __future__ import annotations

from datetime import date

import pytest

from lotse.clocks import ClockStatus, Suspension, clock, clock_status

RECEIPT = clock("recognition_receipt")  # started Mon 2 Mar 2026 → due Mon 16 Mar, warns 3 days
STARTED = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("today", "state", "days_left", "working_days_left"),
    [
        (date(2026, 2, 27), "running", 17, 11),  # recorded ahead of time
        (date(2026, 3, 2), "running", 14, 10),
        (date(2026, 3, 10), "running", 6, 4),
        (date(2026, 3, 11), "due_soon", 5, 3),  # 12, 13, 16
        (date(2026, 3, 16), "due_soon", 0, 0),
        (date(2026, 3, 17), "overdue", -1, -1),
        (date(2026, 3, 23), "overdue", -7, -5),
    ],
)
def test_deadline_status_over_time(
    today: date, state: str, days_left: int, working_days_left: int
) -> None:
    status = clock_status(RECEIPT, STARTED, today)
    assert status == ClockStatus(
        code="recognition_receipt",
        kind="deadline",
        state=state,  # type: ignore[arg-type]
        due=date(2026, 3, 16),
        days_left=days_left,
        working_days_left=working_days_left,
    )
    assert status.is_overdue is (state == "overdue")


def test_deadline_met_in_time() -> None:
    status = clock_status(RECEIPT, STARTED, date(2026, 3, 20), stopped_on=date(2026, 3, 13))
    assert (status.state, status.late, status.is_overdue) == ("met", False, False)
    assert status.due == date(2026, 3, 16)
    assert status.days_left is None


def test_deadline_met_late_is_met_but_marked_late() -> None:
    status = clock_status(RECEIPT, STARTED, date(2026, 3, 20), stopped_on=date(2026, 3, 18))
    assert (status.state, status.late, status.is_overdue) == ("met", True, False)


def test_deadline_met_on_the_due_day_is_in_time() -> None:
    status = clock_status(RECEIPT, STARTED, date(2026, 3, 16), stopped_on=date(2026, 3, 16))
    assert (status.state, status.late) == ("met", False)


def test_stop_before_start_is_refused() -> None:
    with pytest.raises(ValueError, match="stop before"):
        clock_status(RECEIPT, STARTED, date(2026, 3, 3), stopped_on=date(2026, 3, 1))


VALIDITY = clock("preapproval_validity")  # issued 31 Jan 2026 → valid through Thu 30 Apr


@pytest.mark.parametrize(
    ("today", "stopped_on", "state"),
    [
        (date(2026, 2, 10), None, "running"),
        (date(2026, 4, 30), None, "due_soon"),
        (date(2026, 5, 1), None, "expired"),
        (date(2026, 5, 4), date(2026, 4, 29), "met"),
        (date(2026, 5, 4), date(2026, 4, 30), "met"),
        (date(2026, 5, 4), date(2026, 5, 2), "expired"),
    ],
)
def test_validity_expires_instead_of_being_overdue(
    today: date, stopped_on: date | None, state: str
) -> None:
    status = clock_status(VALIDITY, date(2026, 1, 31), today, stopped_on=stopped_on)
    assert status.state == state
    assert status.due == date(2026, 4, 30)
    assert not status.is_overdue


BA = clock("ba_deemed_approval")  # requested Mon 2 Mar 2026 → fiction after Mon 9 Mar


@pytest.mark.parametrize(
    ("today", "stopped_on", "state", "late"),
    [
        (date(2026, 3, 4), None, "running", False),  # 5, 6, 9 left
        (date(2026, 3, 5), None, "due_soon", False),  # 6, 9 left
        (date(2026, 3, 9), None, "due_soon", False),
        (date(2026, 3, 10), None, "deemed", False),
        (date(2026, 3, 12), date(2026, 3, 6), "met", False),  # BA answered in time
        (date(2026, 3, 12), date(2026, 3, 10), "deemed", True),  # answer came after the fiction
    ],
)
def test_ba_week_passing_means_deemed_approval(
    today: date, stopped_on: date | None, state: str, late: bool
) -> None:
    status = clock_status(BA, date(2026, 3, 2), today, stopped_on=stopped_on)
    assert (status.state, status.late) == (state, late)
    assert not status.is_overdue


def test_ba_request_for_information_halts_the_fiction() -> None:
    status = clock_status(
        BA, date(2026, 3, 2), date(2026, 3, 11), suspensions=[Suspension(date(2026, 3, 5))]
    )
    assert status.state == "suspended"
    assert status.due is None
    assert status.days_left is None
    assert status.working_days_left is None


def test_suspension_dated_after_today_is_not_known_yet() -> None:
    status = clock_status(
        BA, date(2026, 3, 2), date(2026, 3, 4), suspensions=[Suspension(date(2026, 3, 6))]
    )
    assert (status.state, status.due) == ("running", date(2026, 3, 9))


DECISION = clock("recognition_decision")  # complete 15 Jan 2026 → due Mon 16 Mar


def test_closed_suspension_covering_today_shows_suspended_with_a_due_date() -> None:
    suspensions = [Suspension(date(2026, 2, 2), date(2026, 2, 11))]
    during = clock_status(DECISION, date(2026, 1, 15), date(2026, 2, 5), suspensions=suspensions)
    assert (during.state, during.due) == ("suspended", date(2026, 3, 25))
    after = clock_status(DECISION, date(2026, 1, 15), date(2026, 2, 12), suspensions=suspensions)
    assert (after.state, after.due) == ("running", date(2026, 3, 25))


def test_suspension_begun_after_the_period_ran_out_is_not_shown_as_suspended() -> None:
    # last counted day Sun 15 Mar; documents requested Mon 16 Mar (the moved due day)
    status = clock_status(
        DECISION, date(2026, 1, 15), date(2026, 3, 16), suspensions=[Suspension(date(2026, 3, 16))]
    )
    assert (status.state, status.due) == ("due_soon", date(2026, 3, 16))


def test_open_suspension_after_overdue_leaves_it_overdue() -> None:
    status = clock_status(
        DECISION, date(2026, 1, 15), date(2026, 3, 20), suspensions=[Suspension(date(2026, 3, 18))]
    )
    assert status.state == "overdue"


def test_due_soon_window_can_be_overridden() -> None:
    # Mon 2 Mar: 10 working days to Mon 16 Mar; the clock warns 10 working days ahead
    assert clock_status(DECISION, date(2026, 1, 15), date(2026, 3, 2)).state == "due_soon"
    status = clock_status(DECISION, date(2026, 1, 15), date(2026, 3, 2), due_soon_within=5)
    assert status.state == "running"
    assert status.working_days_left == 10


def test_status_of_a_working_day_count_across_christmas() -> None:
    invitation = clock("abh_invitation")  # notice Wed 23 Dec → due Tue 29 Dec
    status = clock_status(invitation, date(2026, 12, 23), date(2026, 12, 24))
    assert status.due == date(2026, 12, 29)
    assert (status.days_left, status.working_days_left) == (5, 2)  # 28, 29
    assert status.state == "running"
    assert clock_status(invitation, date(2026, 12, 23), date(2026, 12, 28)).state == "due_soon"
