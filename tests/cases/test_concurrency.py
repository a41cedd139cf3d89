"""Two people act on the same case at the same moment: one wins, the other gets a conflict.

Only meaningful on PostgreSQL (row locks; SQLite serialises whole transactions). Run with
DATABASE_URL=postgresql://postgres@127.0.0.1/lotse_cases.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from lotse.audit.models import AuditEvent
from lotse.cases import services
from lotse.cases.models import Case, CaseState, CaseTransition
from tests.cases.conftest import AL, CW, create_case, drive
from tests.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="LOUD SKIP: the concurrency test needs PostgreSQL (DATABASE_URL=postgresql://…); "
        "it did not run on SQLite",
    ),
]


def _race(case: Case, attempts: list[tuple[str, Any, dict[str, Any]]]) -> list[object]:
    barrier = threading.Barrier(len(attempts))
    results: list[object] = [None] * len(attempts)

    def run(index: int, action: str, actor: Any, data: dict[str, Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = services.case_transition(
                case=case, action=action, actor=actor, data=data, expected_version=case.version
            )
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, *a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_one_of_two_different_steps_wins(world: World) -> None:
    case = drive(world, create_case(world), "accept_intake")
    history = CaseTransition.objects.count()
    events = AuditEvent.objects.count()
    results = _race(case, [
        ("accept_intake", world.users[CW], {}),
        ("return_to_chamber", world.users[AL], {"reason": "Arbeitsvertrag fehlt"}),
    ])  # fmt: skip
    winners = [r for r in results if isinstance(r, CaseTransition)]
    losers = [r for r in results if isinstance(r, services.CaseConflictError)]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.version == case.version + 1
    assert fresh.state == winners[0].to_state
    assert fresh.state in (CaseState.INTAKE_ACCEPTED, CaseState.RETURNED)
    assert CaseTransition.objects.count() == history + 1
    assert AuditEvent.objects.count() == events + 1
    assert str(losers[0])  # a message a person can read


@pytest.mark.django_db(transaction=True)
def test_the_same_step_twice_is_taken_once(world: World) -> None:
    case = drive(world, create_case(world), "accept_intake")
    results = _race(case, [("accept_intake", world.users[CW], {}),
                           ("accept_intake", world.users[AL], {})])  # fmt: skip
    assert sorted(type(r).__name__ for r in results) == ["CaseConflictError", "CaseTransition"]
    assert Case.objects.get(pk=case.pk).transitions.filter(action="accept_intake").count() == 1
