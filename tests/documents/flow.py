"""Drive a case from collecting to forwarded through the real services (shared by tests)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from lotse.accounts.models import Role
from lotse.cases.services import case_transition, checklist_item_update
from lotse.documents.models import Document
from lotse.documents.selectors import is_uploadable
from lotse.documents.services import document_review, document_upload
from tests.conftest import World
from tests.documents.world import good_pdf

if TYPE_CHECKING:
    from lotse.cases.models import Case


def step(case: Case, action: str, world: World, **data: object) -> Case:
    from lotse.cases.models import Case

    fresh = Case.objects.get(pk=case.pk)
    case_transition(case=fresh, action=action, actor=world.users[Role.CHAMBER_ADVISOR], data=data,
                    expected_version=fresh.version)  # fmt: skip
    return Case.objects.get(pk=case.pk)


def complete_checklist(case: Case, world: World) -> None:
    """Upload and accept a document for every mandatory item; tick the data items.

    Items that already have current documents (an original and its translation) keep them:
    those are accepted instead.
    """
    advisor = world.users[Role.CHAMBER_ADVISOR]
    for item in case.checklist.filter(requirement="mandatory"):
        if not is_uploadable(item):
            checklist_item_update(item=item, actor=advisor, operation="check")
            continue
        present = list(Document.objects.filter(item=item).current())
        if present:
            for document in present:
                document_review(document=document, actor=advisor, accept=True)
            continue
        document = document_upload(case=case, item=item, data=good_pdf(),
                                   filename=f"{item.document_code}.pdf",
                                   declared_type="application/pdf", actor=world.users[Role.COMPANY_HR],
                                   language="de")  # fmt: skip
        document_review(document=document, actor=advisor, accept=True)


def forward(case: Case, world: World) -> Case:
    case = step(case, "start_collecting", world)
    complete_checklist(case, world)
    case = step(case, "submit_for_check", world)
    case = step(case, "record_powers_signed", world,
                power_of_attorney_signed_on=date(2026, 11, 2).isoformat(),
                sub_power_of_attorney_signed_on=date(2026, 11, 3).isoformat())  # fmt: skip
    return step(case, "forward", world)
