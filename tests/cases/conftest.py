from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from lotse.accounts.models import Role, User
from lotse.cases import services
from lotse.cases.models import Case, CaseState
from lotse.organisations.models import Organisation
from tests.conftest import World
from tests.rules.profiles import ACADEMIC

CA, CHR = Role.COMPANY_ADMIN, Role.COMPANY_HR
ADV, CL = Role.CHAMBER_ADVISOR, Role.CHAMBER_LEAD
CW, AL = Role.ABH_CASEWORKER, Role.ABH_LEAD
PA = Role.PLATFORM_ADMIN

WORKER: dict[str, Any] = {
    "worker_surname": "KUMAR",
    "worker_given_names": "PRIYA",
    "worker_birth_date": "1996-04-12",
    "worker_birth_place": "Kochi",
    "worker_nationality": "IND",
    "worker_passport_number": "Z1234567",
    "worker_passport_expiry": "2032-01-31",
    "worker_email": "priya@example.org",
    "worker_language": "en",
}

# The path through the whole procedure for a title needing recognition and BA approval:
# (step, role that takes it, data).
FULL_PATH: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("start_collecting", ADV, {}),
    ("submit_for_check", CA, {}),
    ("record_powers_signed", CA, {"power_of_attorney_signed_on": "__today__",
                                  "sub_power_of_attorney_signed_on": "__today__"}),
    ("forward", ADV, {}),
    ("accept_intake", CW, {}),
    ("conclude_agreement", CW, {"fee_paid_on": "__today__"}),
    ("recognition_initiate", CW, {"body": "ihk-fosa", "reference": "FOSA-1"}),
    ("recognition_confirm_receipt", CW, {}),
    ("recognition_file_complete", CW, {}),
    ("recognition_decide_full", CW, {"reference": "B-77"}),
    ("ba_request", CW, {"reference": "BA-9"}),
    ("ba_approve", CW, {}),
    ("issue_preapproval", CW, {"reference": "AZ-1", "mission": "Generalkonsulat Bangalore"}),
    ("request_visa_appointment", CA, {}),
    ("apply_visa", CW, {"appointment_on": "__today__"}),
    ("issue_visa", CW, {}),
    ("record_entry", CA, {}),
    ("record_registration", CA, {}),
    ("apply_residence_permit", CA, {"residence_authority": "Stadt Ludwigsburg"}),
    ("issue_residence_permit", CA, {}),
    ("start_onboarding", CA, {}),
    ("close", CA, {}),
)  # fmt: skip


def tick_all(case: Case, actor: User) -> None:
    for item in case.checklist.filter(requirement="mandatory"):
        services.checklist_item_update(item=item, actor=actor, operation="paper")


def powers_on_paper(case: Case, actor: User) -> None:
    """The chamber saw the signed powers of attorney on paper (and nothing else yet)."""
    for item in case.checklist.filter(document_code__in=("power_of_attorney",
                                                          "sub_power_of_attorney")):  # fmt: skip
        services.checklist_item_update(item=item, actor=actor, operation="paper")


def create_case(world: World, *, actor: User | None = None, title: str = "18a",
                recognition: str = "equivalence", ba: bool = True,
                company: Organisation | None = None) -> Case:  # fmt: skip
    company = company or world.company
    if recognition and ba:
        # From scratch: the ruleset gives the title every step it may need.
        return services.case_create(
            actor=actor or world.users[CA],
            company=company,
            site=company.sites.get(),
            worker=WORKER,
            title=title,
            recognition_body="ihk-fosa",
            job_title="Industriemechaniker",
        )
    # A track not needed is the server's answer to a profile, never a client's flag: a graduate
    # with an anabin H+ degree needs no comparability statement; the Blue Card above the general
    # threshold needs no BA approval, § 18b does.
    assert not recognition, "no profile needs a recognition without the BA approval"
    return services.case_create(
        actor=actor or world.users[CA],
        company=company,
        site=company.sites.get(),
        worker=WORKER,
        title="18g" if not ba else "18b",
        quickcheck_input=ACADEMIC,
        job_title="Softwareentwickler",
    )


def take(case: Case, step: str, actor: User, data: dict[str, Any] | None = None,
         today: dt.date | None = None) -> Case:  # fmt: skip
    day = (today or dt.date.today()).isoformat()
    payload = {k: (day if v == "__today__" else v) for k, v in (data or {}).items()}
    fresh = Case.objects.get(pk=case.pk)
    services.case_transition(case=fresh, action=step, actor=actor, data=payload,
                             expected_version=fresh.version, today=today)  # fmt: skip
    return Case.objects.get(pk=case.pk)


def drive(world: World, case: Case, until: str, path: tuple[tuple[str, str, dict[str, Any]], ...]
          = FULL_PATH, today: dt.date | None = None) -> Case:  # fmt: skip
    """Take the steps of ``path`` until (not including) ``until``, all on ``today``."""
    for step, role, data in path:
        if step == until:
            return case
        if step == "record_powers_signed":
            # The chamber saw the signed powers (and every other original) on paper.
            tick_all(case, world.users[ADV])
        case = take(case, step, world.users[role], data, today=today)
    if until != "end":
        raise AssertionError(f"{until} is not on the path")
    return case


@pytest.fixture
def new_case(world: World) -> Callable[..., Case]:
    return lambda **kw: create_case(world, **kw)


__all__ = ["ADV", "AL", "CA", "CHR", "CL", "CW", "FULL_PATH", "PA", "WORKER", "CaseState",
           "create_case", "drive", "powers_on_paper", "take", "tick_all"]  # fmt: skip
