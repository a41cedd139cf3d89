"""The exact audit trail of one whole journey, from the new case to the pre-approval."""

from __future__ import annotations

from lotse.accounts.models import Role
from lotse.audit.actions import ACTIONS
from lotse.audit.models import AuditEvent
from tests.cases.conftest import take
from tests.conftest import World
from tests.documents.conftest import document_dir, make_case  # noqa: F401 -- autouse fixture
from tests.documents.flow import forward

CW = Role.ABH_CASEWORKER

AFTER_FORWARDING = (
    ("accept_intake", {}),
    ("conclude_agreement", {"fee_paid_on": "__today__"}),
    ("recognition_initiate", {"body": "ihk-fosa", "reference": "FOSA-1"}),
    ("recognition_confirm_receipt", {}),
    ("recognition_file_complete", {}),
    ("recognition_decide_full", {"reference": "B-77"}),
    ("ba_request", {"reference": "BA-9"}),
    ("ba_approve", {}),
    ("issue_preapproval", {"reference": "AZ-1", "mission": "Generalkonsulat Bangalore"}),
)


def journey_codes(world: World) -> list[str]:
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    case = forward(make_case(world), world)
    for step, data in AFTER_FORWARDING:
        case = take(case, step, world.users[CW], data)
    return list(
        AuditEvent.objects.filter(pk__gt=start).order_by("id").values_list("action", flat=True)
    )


# A document uploaded by the company and accepted by the chamber.
DOCUMENT = ["document.uploaded", "document.accepted"]

# For the 18a case of tests/documents: six uploaded documents, one data item ticked, four more.
EXPECTED = [
    "case.created",
    "case.start_collecting",
    *DOCUMENT * 6,
    "case.checklist_check",
    *DOCUMENT * 4,
    "case.submit_for_check",
    "case.record_powers_signed",
    "case_file.sealed",
    "case.forward",
    "case.accept_intake",
    "case.conclude_agreement",
    "case.recognition_initiate",
    "case.recognition_confirm_receipt",
    "case.recognition_file_complete",
    "case.recognition_decide_full",
    "case.ba_request",
    "case.ba_approve",
    "case.issue_preapproval",
]


def test_the_journey_to_the_preapproval_writes_exactly_these_events(world: World) -> None:
    codes = journey_codes(world)
    assert all(code in ACTIONS for code in codes)
    assert codes == EXPECTED
