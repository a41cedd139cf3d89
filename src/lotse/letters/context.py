"""The data every letter is filled from, taken from the case (no typing the same data twice)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lotse.advice.presenters import actor_label
from lotse.documents.selectors import document_gaps, item_statuses
from lotse.rules import fees, procedure
from lotse.rules.quickcheck import title_label

if TYPE_CHECKING:
    from lotse.cases.models import Case
    from lotse.organisations.models import Organisation


class LetterKind(StrEnum):
    VOLLMACHT = "vollmacht"
    UNTERVOLLMACHT = "untervollmacht"
    VEREINBARUNG = "vereinbarung"
    NACHFORDERUNG = "nachforderung"
    VORABZUSTIMMUNG = "vorabzustimmung"
    DECKBLATT = "deckblatt"


LETTER_LABELS = {
    LetterKind.VOLLMACHT: _("Power of attorney (worker → employer)"),
    LetterKind.UNTERVOLLMACHT: _("Sub-power of attorney (employer → chamber)"),
    LetterKind.VEREINBARUNG: _("Agreement under § 81a Abs. 2 AufenthG"),
    LetterKind.NACHFORDERUNG: _("Request for missing documents"),
    LetterKind.VORABZUSTIMMUNG: _("Pre-approval (template for the immigration office)"),
    LetterKind.DECKBLATT: _("Cover sheet for forwarding"),
}
# German file names; the letters are German documents.
LETTER_FILENAMES = {
    LetterKind.VOLLMACHT: "Vollmacht",
    LetterKind.UNTERVOLLMACHT: "Untervollmacht",
    LetterKind.VEREINBARUNG: "Vereinbarung-81a-Abs-2",
    LetterKind.NACHFORDERUNG: "Nachforderung",
    LetterKind.VORABZUSTIMMUNG: "Vorabzustimmung-Entwurf",
    LetterKind.DECKBLATT: "Deckblatt",
}


def _address(org: Organisation) -> str:
    parts = [org.street, f"{org.postcode} {org.city}".strip()]
    return ", ".join(part for part in parts if part)


def _euro(amount: float) -> str:
    return f"{amount:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


def _steps_de(steps: tuple[procedure.Step, ...]) -> list[dict[str, str]]:
    """The steps with the party named in words: letters are German whatever the reader's UI."""
    with translation.override("de"):
        return [
            {
                "label_de": step.label_de,
                "actor": str(actor_label(step.actor)),
                "deadline_de": step.deadline_de,
                "legal_basis": step.legal_basis,
            }
            for step in steps
        ]


def case_letter_context(case: Case) -> dict[str, Any]:
    """Everything the letter templates use, read once from the case."""
    statuses = item_statuses(case)
    recognition_needed = case.recognition_state != "not_required"
    ba_needed = case.ba_state != "not_required"
    comparability = case.recognition_kind in ("comparability", "dab")
    fee = fees.fee("procedure_81a")
    return {
        "case": case,
        "reference": case.reference,
        "today": timezone.localdate(),
        "worker": {
            "surname": case.worker_surname,
            "given_names": case.worker_given_names,
            "birth_date": case.worker_birth_date,
            "birth_place": case.worker_birth_place,
            "nationality": case.worker_nationality,
            "passport_number": case.worker_passport_number,
            "passport_expiry": case.worker_passport_expiry,
            "email": case.worker_email,
        },
        "company": case.company,
        "company_address": _address(case.company),
        "site": case.site,
        "chamber": case.chamber,
        "chamber_address": _address(case.chamber),
        "advisor": case.advisor,
        "authority": case.authority,
        "authority_address": _address(case.authority),
        "title_label": title_label(case.title, "de"),
        "job_title": case.job_title,
        "planned_start": case.planned_start,
        "recognition_needed": recognition_needed,
        "ba_needed": ba_needed,
        "steps": _steps_de(
            procedure.steps_for(
                recognition=recognition_needed and not comparability,
                comparability=recognition_needed and comparability,
                ba_approval=ba_needed,
            )
        ),
        "fee": fee,
        "fee_amount": _euro(fee.min),
        "checklist": statuses,
        "gaps": document_gaps(case, statuses),
        "recognition": case.recognitions.select_related("body").order_by("-initiated_on").first(),
        "ba": case.ba_approvals.order_by("-requested_on").first(),
        "preapproval": case.preapprovals.order_by("-issued_on").first(),
    }
