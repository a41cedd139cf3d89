"""An open clock row implies what the deadline board would otherwise read from the case.

The board's columns (``lotse.cases.selectors._board_column``) are one range of a clock index up
to a page, with no condition on the case: that is only right if every open clock belongs to a
case that has not ended, and every open BA week (``ba_deemed_approval``) that runs (a due day,
not halted by a request for information) belongs to a case whose BA request is still open.
A clock stops when the awaited act happens or the case ends (``lotse.cases.deadlines``); these
tests walk random sequences of workflow steps through the service and check it after each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from lotse.accounts.models import User
from lotse.cases import selectors, services, volume, workflow
from lotse.cases.models import BaState, Case, CaseClock
from tests.cases.conftest import ADV, CA, CW, FULL_PATH, create_case, drive, take, tick_all
from tests.conftest import World

pytestmark = pytest.mark.django_db

# The ways a case starts: recognition and BA (§ 18a), BA only (§ 18b), neither (§ 18g).
STARTS: tuple[dict[str, Any], ...] = ({}, {"recognition": "", "ba": True},
                                      {"recognition": "", "ba": False})  # fmt: skip
# FULL_PATH up to the agreement serves every start; the rest only the one with recognition.
COMMON_PREFIX = [name for name, _role, _data in FULL_PATH].index("recognition_initiate")


def violations(case: Case) -> list[str]:
    """What an open clock of ``case`` implies about the case and does not hold."""
    case = Case.objects.get(pk=case.pk)
    found = []
    for row in CaseClock.objects.filter(case_id=case.pk, stopped_on__isnull=True):
        if case.state in workflow.ENDED:
            found.append(f"{row.code} open in the ended state {case.state}")
        if (
            row.code == "ba_deemed_approval"
            and row.due_on is not None
            and case.ba_state != BaState.REQUESTED
        ):
            found.append(f"BA week running (due {row.due_on}) with ba_state {case.ba_state}")
    return found


def _data(step: workflow.Step, case: Case, day: dt.date, data: st.DataObject) -> dict[str, Any]:
    """Values the step accepts on ``day`` (occurred_on left out: the step happens on ``day``)."""
    values: dict[str, Any] = {}
    for spec in step.fields:
        if spec.name == "occurred_on":
            continue
        if spec.kind == "date":
            ahead = data.draw(st.integers(1, 60)) if spec.future else 0
            values[spec.name] = (day + dt.timedelta(days=ahead)).isoformat()
        elif spec.kind in ("text", "longtext"):
            values[spec.name] = "Vermerk"
        elif spec.kind == "choice":
            values[spec.name] = data.draw(st.sampled_from([code for code, _ in spec.choices]))
        elif spec.kind == "body":
            values[spec.name] = "ihk-fosa"
        elif spec.kind == "int":
            values[spec.name] = data.draw(st.integers(1, 20))
        elif spec.kind == "clock":
            open_ids = sorted(
                case.clocks.filter(stopped_on__isnull=True).values_list("pk", flat=True)
            )
            values[spec.name] = data.draw(st.sampled_from(open_ids))
    return values


def _possible(case: Case, users: list[User], day: dt.date) -> list[tuple[workflow.Step, User]]:
    found = []
    for step in workflow.STEPS:
        for user in users:
            if workflow.refusal(step, case, user, day) is None:
                found.append((step, user))
                break
    return found


def _old_board_column(user: User, column: str, today: dt.date) -> set[int]:
    """The column as it was read before the case conditions were dropped (the reference)."""
    clocks = selectors._board_column(user, column, today)
    if column == "deemed_to_confirm":
        clocks = clocks.filter(case__ba_state=BaState.REQUESTED)
    return set(clocks.exclude(case__state__in=workflow.ENDED).values_list("pk", flat=True))


@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(start=st.sampled_from(STARTS), prefix=st.integers(0, len(FULL_PATH)), data=st.data())
def test_every_sequence_of_steps_keeps_the_open_clocks_true_to_the_case(
    world: World, start: dict[str, Any], prefix: int, data: st.DataObject
) -> None:
    day = dt.date.today() - dt.timedelta(days=400)
    case = create_case(world, **start)
    tick_all(case, world.users[ADV])
    # A head start along the main path (all on one day), then random steps on later days.
    steps = FULL_PATH[: prefix if not start else min(prefix, COMMON_PREFIX)]
    case = drive(world, case, "end", path=steps, today=day) if steps else case
    assert violations(case) == []
    users = [world.users[CA], world.users[ADV], world.users[CW]]
    taken = [name for name, _role, _data in steps]
    for _ in range(data.draw(st.integers(1, 30))):
        day = min(day + dt.timedelta(days=data.draw(st.integers(0, 12))), dt.date.today())
        case = Case.objects.get(pk=case.pk)
        possible = _possible(case, users, day)
        if not possible:
            break
        # The steps that end the case are open almost everywhere: taken one time in ten, so
        # that a walk reaches the later phases (BA week, visa, early end) as well.
        ending = [pair for pair in possible if pair[0].target in workflow.ENDED]
        going = [pair for pair in possible if pair[0].target not in workflow.ENDED]
        end_now = not going or (bool(ending) and data.draw(st.integers(0, 9)) == 0)
        step, user = data.draw(st.sampled_from(ending if end_now else going))
        try:
            services.case_transition(case=case, action=step.name, actor=user,
                                     data=_data(step, case, day, data),
                                     expected_version=case.version, today=day)  # fmt: skip
        except ValidationError:
            # Refused with nothing saved (the BA's request for information after its week, a
            # second forwarding with no new document to send): the walk goes on from there.
            event(f"refused: {step.name}")
            continue
        taken.append(step.name)
        event(step.name)
        assert violations(case) == [], taken
        for column in selectors.BOARD_COLUMNS:
            for who in users:
                shown = set(selectors._board_column(who, column, day).values_list("pk", flat=True))
                assert shown == _old_board_column(who, column, day), (column, taken)


def _ba_week(world: World, requested: dt.date) -> Case:
    case = drive(world, create_case(world), "ba_request", today=requested)
    return take(case, "ba_request", world.users[CW], {"occurred_on": requested.isoformat()},
                today=requested)  # fmt: skip


def test_a_request_for_information_after_the_ba_week_is_refused(world: World) -> None:
    requested = dt.date(2026, 3, 2)  # a Monday: the week ends on Monday 9 March
    case = _ba_week(world, requested)
    week = case.clocks.get(code="ba_deemed_approval", stopped_on__isnull=True)
    assert week.due_on == dt.date(2026, 3, 9)
    late = {"occurred_on": "2026-03-10", "reason": "Arbeitszeit"}
    with pytest.raises(ValidationError) as refused:
        take(case, "ba_request_information", world.users[CW], late, today=dt.date(2026, 3, 12))
    assert "occurred_on" in refused.value.message_dict
    case = Case.objects.get(pk=case.pk)
    assert case.ba_state == BaState.REQUESTED
    week.refresh_from_db()
    assert (week.stopped_on, week.suspensions, week.due_on) == (None, [], dt.date(2026, 3, 9))
    # The approval is deemed given: confirming it is what remains.
    case = take(case, "ba_confirm_deemed", world.users[CW], {}, today=dt.date(2026, 3, 12))
    assert case.ba_state == BaState.DEEMED_APPROVED
    assert violations(case) == []


def test_a_request_for_information_within_the_week_halts_it_even_when_recorded_later(
    world: World,
) -> None:
    case = _ba_week(world, dt.date(2026, 3, 2))
    on_time = {"occurred_on": "2026-03-09", "reason": "Arbeitszeit"}
    case = take(case, "ba_request_information", world.users[CW], on_time,
                today=dt.date(2026, 3, 20))  # fmt: skip
    assert case.ba_state == BaState.INFORMATION_REQUESTED
    week = case.clocks.get(code="ba_deemed_approval", stopped_on__isnull=True)
    assert week.due_on is None
    assert violations(case) == []


def test_the_seeded_volume_keeps_the_open_clocks_true_to_the_case() -> None:
    # lotse seed_volume writes its rows past the services (COPY): the board reads them alike.
    volume.seed_volume(cases=300, seed=5)
    open_rows = CaseClock.objects.filter(stopped_on__isnull=True)
    assert open_rows.exists()
    assert not open_rows.filter(case__state__in=workflow.ENDED).exists()
    running_weeks = open_rows.filter(code="ba_deemed_approval", due_on__isnull=False)
    assert running_weeks.exists()
    assert not running_weeks.exclude(case__ba_state=BaState.REQUESTED).exists()


def test_the_api_twin_refuses_the_late_request_alike(
    world: World, client_for: Callable[..., Client]
) -> None:
    case = _ba_week(world, dt.date(2026, 3, 2))
    response = client_for(world.users[CW]).post(
        f"/api/v1/cases/{case.pk}/transitions",
        data={"action": "ba_request_information", "version": case.version,
              "data": {"occurred_on": "2026-03-10", "reason": "Arbeitszeit"}},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422, response.json()
    assert "occurred_on" in str(response.json())
    assert Case.objects.get(pk=case.pk).ba_state == BaState.REQUESTED
