from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lotse.cases.models import Case
from lotse.insights.models import CaseFacts
from lotse.insights.selectors import Filters
from lotse.insights.services import insights_case_refresh, rollups_refresh
from lotse.organisations.models import Organisation
from tests.cases.conftest import ADV, CA, CW, FULL_PATH, create_case, take, tick_all
from tests.conftest import World


def dated_case(world: World, started: dt.date, days: dict[str, dt.date], *,
               company: Any = None, actor: Any = None, extra: tuple[tuple[str, str, dict[str, Any], dt.date], ...] = ()) -> Case:  # fmt: skip
    """A case started on ``started`` that takes the steps of the full path named in ``days``
    (in path order, each on its day), then the ``extra`` steps (step, role, data, day)."""
    case = create_case(world, company=company, actor=actor)
    Case.objects.filter(pk=case.pk).update(
        created_at=dt.datetime.combine(started, dt.time(12), tzinfo=dt.UTC)
    )
    for step, role, data in FULL_PATH:
        if step not in days:
            break
        if step == "record_powers_signed":
            tick_all(case, world.users[ADV])
        users = world.users if company in (None, world.company) else world.foreign_users
        case = take(case, step, users[role], data, today=days[step])
    for step, role, data, day in extra:
        users = world.users if company in (None, world.company) else world.foreign_users
        case = take(case, step, users[role], data, today=day)
    insights_case_refresh(case_id=case.pk, today=max([started, *days.values()]))
    return case


def path_days(start: dt.date, until: str, gaps: dict[str, int] | None = None) -> dict[str, dt.date]:
    """Each step of the full path up to ``until`` (inclusive) one day after the previous one,
    or ``gaps[step]`` days after it."""
    days, day = {}, start
    for step, _role, _data in FULL_PATH:
        day += dt.timedelta(days=(gaps or {}).get(step, 1))
        days[step] = day
        if step == until:
            break
    return days


D = dt.date
TODAY = D(2026, 3, 1)
PERIOD = Filters(start=D(2026, 1, 1), end=D(2026, 2, 1))


@pytest.fixture
def cases(world: World) -> dict[str, Case]:
    made = {
        # A: every step one day after the other from 5 January to the visa on 21 January.
        "a": dated_case(world, D(2026, 1, 5), path_days(D(2026, 1, 5), "issue_visa")),
        # B: the same, but the file is forwarded ten days after the powers were signed.
        "b": dated_case(world, D(2026, 1, 5),
                        path_days(D(2026, 1, 5), "issue_visa", {"forward": 10})),
        # C: forwarded on 6 February, returned by the ABH, collecting again since 8 February.
        "c": dated_case(world, D(2026, 2, 2), path_days(D(2026, 2, 2), "forward"), extra=(
            ("return_to_chamber", CW, {"reason": "Zeugnis fehlt"}, D(2026, 2, 7)),
            ("resume_collecting", ADV, {}, D(2026, 2, 8)),
        )),
        # D: withdrawn on 4 February.
        "d": dated_case(world, D(2026, 2, 2), path_days(D(2026, 2, 2), "start_collecting"),
                        extra=(("withdraw", CA, {"reason": "Stelle besetzt"}, D(2026, 2, 4)),)),
    }  # fmt: skip
    # F: the other chamber's case (HWK), started in January.
    foreign = create_case(world, company=world.other_company, actor=world.foreign_users[ADV])
    Case.objects.filter(pk=foreign.pk).update(
        created_at=dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    )
    insights_case_refresh(case_id=foreign.pk, today=TODAY)
    made["f"] = foreign
    rollups_refresh(today=TODAY)
    return made


def peers(world: World, lengths: list[int], *, today: dt.date, anchor: str = "accepted_on",
          field: str = "preapproved_on", title: str = "18a", body_code: str = "ihk-fosa") -> None:  # fmt: skip
    """Closed comparable cases (same title and body) whose phase ``anchor`` → ``field`` took
    ``lengths`` days and ended within the last weeks: the estimator's peers."""
    body = Organisation.objects.get(kind="external_body", code=body_code)
    template = create_case(world)
    made = []
    for i, _days in enumerate(lengths):
        clone = Case.objects.get(pk=template.pk)
        clone.pk = None
        clone.reference = f"PEER-{i:05d}"
        made.append(clone)
    Case.objects.bulk_create(made)
    Case.objects.filter(reference__startswith="PEER-").update(state="closed")
    end = today - dt.timedelta(days=10)
    CaseFacts.objects.bulk_create(
        CaseFacts(
            case=case,
            chamber_id=case.chamber_id,
            authority_id=case.authority_id,
            title=title,
            recognition_body_id=body.pk,
            started_on=end - dt.timedelta(days=days + 30),
            is_open=False,
            **{anchor: end - dt.timedelta(days=days), field: end},
        )
        for case, days in zip(made, lengths, strict=True)
    )
    # The template stays (its history can never be deleted); it is open, so it is nobody's peer.
