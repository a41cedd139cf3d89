from __future__ import annotations

import datetime as dt
from typing import Any

from lotse.cases.models import Case
from lotse.insights.services import insights_case_refresh
from tests.cases.conftest import ADV, FULL_PATH, create_case, take, tick_all
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
