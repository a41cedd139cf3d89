"""The clock engine's own limits reach the cases (issue 10): titles, bodies, the worker's notice,
the visa appointment. Each test names the norm that sets the limit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from lotse.accounts.models import User
from lotse.cases import deadlines
from lotse.cases.models import Case, CaseState
from lotse.cases.workflow import GuardFailedError
from lotse.clocks import clock as clock_definition
from tests.cases.conftest import CA, CW, create_case, drive, take
from tests.conftest import World

D = dt.date


@pytest.mark.parametrize(
    ("title", "starts", "norm"),
    [
        ("18a", True, "§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG: employment title"),
        ("18g", True, "§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG: employment title"),
        ("19c2", True, "§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG: employment title"),
        ("16a", False, "§ 16a AufenthG is training, not employment: no employer's notice"),
        ("16d1", False, "§ 16d AufenthG is a measure, not employment: no employer's notice"),
    ],
)
def test_the_employers_notice_starts_only_for_employment_titles(
    world: World, title: str, starts: bool, norm: str
) -> None:
    case = create_case(world)
    Case.objects.filter(pk=case.pk).update(title=title)
    case = Case.objects.get(pk=case.pk)
    deadlines.apply_events(case, [("employer_learned_of_early_end", D(2026, 6, 1))])
    started = case.clocks.filter(code="employer_early_end_report").exists()
    assert started is starts, norm


@pytest.mark.parametrize(
    ("body", "starts", "norm"),
    [
        ("ihk-fosa", True, "§ 14a Abs. 2 BQFG: two weeks to confirm receipt"),
        ("hwk-region-stuttgart", True, "§ 14a Abs. 2 BQFG: two weeks to confirm receipt"),
        ("rp-stuttgart", False, "health-profession law: no two-week receipt rule, no flag"),
    ],
)
def test_the_receipt_clock_starts_only_for_bodies_that_owe_it(
    world: World, body: str, starts: bool, norm: str
) -> None:
    case = drive(world, create_case(world), "recognition_initiate")
    case = take(case, "recognition_initiate", world.users[CW], {"body": body})
    assert case.clocks.filter(code="recognition_receipt").exists() is starts, norm
    assert clock_definition("recognition_receipt").applies_to_body(body) is starts


def _ended_early(world: World, data: dict[str, str]) -> Case:
    case = drive(world, create_case(world), "end")
    return take(case, "report_early_end", world.users[CA], data)


def test_the_early_end_starts_the_workers_own_notice_of_82_abs_6(world: World) -> None:
    """§ 82 Abs. 6 AufenthG: the worker reports within two weeks of learning of the end."""
    today = dt.date.today()
    learned = today - dt.timedelta(days=3)
    case = _ended_early(world, {"reason": "Kündigung", "worker_learned_on": learned.isoformat()})
    assert case.state == CaseState.EMPLOYMENT_ENDED
    worker = deadlines.open_clock(case, "worker_early_end_report")
    assert worker is not None
    assert worker.started_on == learned
    assert deadlines.open_clock(case, "employer_early_end_report") is not None

    case = take(case, "record_worker_early_end_reported", world.users[CA])
    assert deadlines.open_clock(case, "worker_early_end_report") is None
    assert case.clocks.get(code="worker_early_end_report").stopped_on == today
    # The employer's own notice (§ 4a Abs. 5 Satz 3 Nr. 3) still runs: the two are separate.
    assert deadlines.open_clock(case, "employer_early_end_report") is not None


def test_the_workers_notice_runs_from_the_companys_date_when_none_is_given(world: World) -> None:
    case = _ended_early(world, {"reason": "Kündigung"})
    worker = deadlines.open_clock(case, "worker_early_end_report")
    assert worker is not None
    assert worker.started_on == dt.date.today()


def test_the_workers_report_cannot_be_recorded_twice(world: World) -> None:
    case = _ended_early(world, {"reason": "Kündigung"})
    case = take(case, "record_worker_early_end_reported", world.users[CA])
    with pytest.raises(GuardFailedError):
        take(case, "record_worker_early_end_reported", world.users[CA])


def _visa_path_until_apply(world: World, on: D) -> Case:
    case = drive(world, create_case(world), "apply_visa", today=on)
    return case


@pytest.mark.parametrize(
    ("weeks_ahead", "state", "late"),
    [
        (2, "met", False),  # the appointment itself falls within the three weeks
        (12, "overdue", True),  # a date three months away, however quickly offered, is late
    ],
)
def test_the_case_shows_whether_the_visa_appointment_was_on_time(
    world: World, weeks_ahead: int, state: str, late: bool
) -> None:
    """§ 31a Abs. 1 AufenthV: the appointment date itself must lie within three weeks."""
    requested = dt.date.today()
    case = _visa_path_until_apply(world, requested)
    appointment = requested + dt.timedelta(weeks=weeks_ahead)
    case = take(case, "apply_visa", world.users[CW],
                {"appointment_on": appointment.isoformat(), "occurred_on": requested.isoformat()},
                today=requested)  # fmt: skip
    status = deadlines.visa_appointment(case, requested)
    assert status is not None
    assert (status.state, status.late) == (state, late)
    (view,) = [v for v in deadlines.views_for(case, requested) if v.row.code == "visa_appointment"]
    assert (view.state, view.status.late) == (state, late)


def test_the_case_page_and_the_api_show_the_late_appointment(
    world: World, client_for: Callable[[User], Client]
) -> None:
    requested = dt.date.today()
    case = _visa_path_until_apply(world, requested)
    far = requested + dt.timedelta(weeks=12)
    case = take(case, "apply_visa", world.users[CW],
                {"appointment_on": far.isoformat(), "occurred_on": requested.isoformat()},
                today=requested)  # fmt: skip
    client = client_for(world.users[CA])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-clock="visa_appointment" data-state="overdue"' in page
    body = client.get(f"/api/v1/cases/{case.pk}/deadlines").json()
    (row,) = [r for r in body if r["code"] == "visa_appointment"]
    assert (row["state"], row["late"]) == ("overdue", True)
