"""Every step × every role: who may take it (own side), and that nobody else can.

The expectations are written out by hand: they are the division of labour of the cooperation
(domain.md § 5). A refused party gets NotYourStepError; the foreign organisations' staff and the
platform administrator never take a step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from lotse.cases import workflow
from lotse.cases.models import Case
from tests.cases.conftest import (
    ADV,
    AL,
    CA,
    CHR,
    CL,
    CW,
    FULL_PATH,
    PA,
    create_case,
    drive,
    powers_on_paper,
    take,
)
from tests.conftest import World

COMPANY = {CA, CHR}
CHAMBER = {ADV, CL}
ABH = {CW, AL}
TODAY = dt.date.today()


def _at(
    until: str,
    *then: tuple[str, str, dict[str, Any]],
    back: int = 0,
    powers: bool = False,
    **create: Any,
) -> Callable[[World], Case]:
    """Drive a new case along FULL_PATH up to ``until`` (``back`` days ago), then take the extra
    steps ``then``."""

    def setup(world: World) -> Case:
        day = TODAY - dt.timedelta(days=back) if back else None
        case = drive(world, create_case(world, **create), until, today=day)
        if powers:
            powers_on_paper(case, world.users[ADV])
        for step, role, data in then:
            case = take(case, step, world.users[role], data)
        return case

    return setup


def _days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def _open_clock(case: Case) -> dict[str, Any]:
    row = case.clocks.filter(stopped_on__isnull=True).first()
    assert row is not None
    return {"clock": row.pk, "amount": 1, "unit": "weeks", "reason": "Gutachten eingeholt"}


# step → (who may take it, how to reach a case where it is possible, the data it records)
MATRIX: dict[str, tuple[set[str], Callable[[World], Case], Any]] = {
    "start_collecting": (CHAMBER, _at("start_collecting"), {}),
    "submit_for_check": (COMPANY | CHAMBER, _at("submit_for_check"), {}),
    "return_gaps": (CHAMBER, _at("record_powers_signed"), {"reason": "Lebenslauf fehlt"}),
    "record_powers_signed": (COMPANY | CHAMBER, _at("record_powers_signed", powers=True),
                             {name: TODAY.isoformat() for name in FULL_PATH[2][2]}),
    "forward": (CHAMBER, _at("forward"), {}),
    "accept_intake": (ABH, _at("accept_intake"), {}),
    "return_to_chamber": (ABH, _at("accept_intake"), {"reason": "Arbeitsvertrag unleserlich"}),
    "resume_collecting": (CHAMBER, _at("accept_intake", ("return_to_chamber", CW, {"reason": "x"})), {}),
    "conclude_agreement": (ABH, _at("conclude_agreement"), {"fee_paid_on": _days_ago(0)}),
    "recognition_initiate": (ABH, _at("recognition_initiate"), {"body": "ihk-fosa"}),
    "recognition_confirm_receipt": (ABH, _at("recognition_confirm_receipt"), {}),
    "recognition_request_documents": (ABH, _at("recognition_file_complete"),
                                      {"reason": "Ausbildungsnachweis"}),
    "recognition_file_complete": (ABH, _at("recognition_file_complete"), {}),
    "recognition_decide_full": (ABH, _at("recognition_decide_full"), {}),
    "recognition_decide_partial": (ABH, _at("recognition_decide_full"), {}),
    "recognition_decide_rejected": (ABH, _at("recognition_decide_full"), {}),
    "record_employer_invited": (ABH, _at("ba_request"), {}),
    "switch_to_16d": (ABH, _at("recognition_decide_full", ("recognition_decide_partial", CW, {})),
                      {"reason": "Anpassungsqualifizierung 9 Monate"}),
    "ba_request": (ABH, _at("ba_request"), {}),
    "ba_request_information": (ABH, _at("ba_approve"), {"reason": "Arbeitszeit"}),
    "ba_information_delivered": (ABH, _at("ba_approve", ("ba_request_information", CW,
                                                         {"reason": "x"})), {}),
    "ba_approve": (ABH, _at("ba_approve"), {}),
    "ba_confirm_deemed": (ABH, _at("ba_request", ("ba_request", CW,
                                                  {"occurred_on": _days_ago(20)}), back=30), {}),
    "ba_refuse": (ABH, _at("ba_approve"), {"reason": "Vergütung unter Tarif"}),
    "issue_preapproval": (ABH, _at("issue_preapproval"), {}),
    "request_visa_appointment": (COMPANY | CHAMBER | ABH, _at("request_visa_appointment"), {}),
    "apply_visa": (COMPANY | CHAMBER | ABH, _at("apply_visa"), {"appointment_on": _days_ago(0)}),
    "issue_visa": (COMPANY | CHAMBER | ABH, _at("issue_visa"), {}),
    "refuse_visa": (COMPANY | CHAMBER | ABH, _at("issue_visa"), {"reason": "Zweifel an der Identität"}),
    "record_entry": (COMPANY | CHAMBER, _at("record_entry"), {}),
    "record_registration": (COMPANY | CHAMBER, _at("record_registration"), {}),
    "apply_residence_permit": (COMPANY | CHAMBER, _at("apply_residence_permit"),
                               {"residence_authority": "Stadt Ludwigsburg"}),
    "issue_residence_permit": (COMPANY | CHAMBER | ABH, _at("issue_residence_permit"), {}),
    "start_onboarding": (COMPANY | CHAMBER, _at("start_onboarding"), {}),
    "close": (COMPANY | CHAMBER, _at("close"), {}),
    "report_early_end": (COMPANY | CHAMBER, _at("close"), {"reason": "Kündigung in der Probezeit"}),
    "record_early_end_reported": (COMPANY | CHAMBER, _at("close", ("report_early_end", CA, {})), {}),
    "record_worker_early_end_reported": (COMPANY | CHAMBER, _at("close", ("report_early_end", CA, {})),
                                         {}),
    "withdraw": (COMPANY | CHAMBER, _at("submit_for_check"), {"reason": "Stelle anderweitig besetzt"}),
    "terminate_noncooperation": (ABH, _at("conclude_agreement"), {"reason": "keine Unterlagen"}),
    "end_requirements_not_met": (ABH, _at("conclude_agreement"), {"reason": "kein Arbeitsvertrag"}),
    "expire_preapproval": (ABH, _at("issue_preapproval", ("issue_preapproval", CW,
                                                           {"occurred_on": _days_ago(100)}),
                                    back=110), {}),
    "extend_clock": (ABH, _at("recognition_confirm_receipt"), _open_clock),
}  # fmt: skip


def test_the_matrix_covers_every_step() -> None:
    assert set(MATRIX) == set(workflow.STEP_NAMES)


def test_the_declared_parties_match_the_matrix() -> None:
    names = {"company": COMPANY, "chamber": CHAMBER, "abh": ABH}
    for step in workflow.STEPS:
        declared = set().union(*(names[p] for p in step.parties))
        assert declared == MATRIX[step.name][0], step.name


@pytest.mark.parametrize("step", list(MATRIX))
def test_who_may_take_the_step(step: str, world: World) -> None:
    allowed, setup, data = MATRIX[step]
    case = setup(world)
    payload = data(case) if callable(data) else data
    people = [(role, world.users[role]) for role in (CA, CHR, ADV, CL, CW, AL, PA)]
    people += [(f"foreign {role}", user) for role, user in world.foreign_users.items()]
    for label, user in people:
        sid = transaction.savepoint()
        fresh = Case.objects.get(pk=case.pk)
        try:
            from lotse.cases.services import case_transition

            case_transition(case=fresh, action=step, actor=user, data=payload,
                            expected_version=fresh.version)  # fmt: skip
        except workflow.NotYourStepError:
            assert label not in allowed, f"{label} should be able to take {step}"
        else:
            assert label in allowed, f"{label} must not take {step}"
        finally:
            transaction.savepoint_rollback(sid)
