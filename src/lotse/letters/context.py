"""The data every letter is filled from, taken from the case (no typing the same data twice)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lotse.advice.presenters import actor_label
from lotse.clocks import registry as clock_registry
from lotse.documents.selectors import document_gaps, item_statuses
from lotse.rules import fees, occupations, procedure, thresholds
from lotse.rules._data import load as load_rules
from lotse.rules.citations import clean_citation
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
    LetterKind.VORABZUSTIMMUNG: _("Pre-approval"),
    LetterKind.DECKBLATT: _("Cover sheet for forwarding"),
}
# German file names; the letters are German documents.
LETTER_FILENAMES = {
    LetterKind.VOLLMACHT: "Vollmacht",
    LetterKind.UNTERVOLLMACHT: "Untervollmacht",
    LetterKind.VEREINBARUNG: "Vereinbarung-81a-Abs-2",
    LetterKind.NACHFORDERUNG: "Nachforderung",
    LetterKind.VORABZUSTIMMUNG: "Vorabzustimmung",
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
                "legal_basis": clean_citation(step.legal_basis),
            }
            for step in steps
        ]


def _option(case: Case) -> dict[str, Any] | None:
    """The stored Quick-Check option of the case's title (evaluated by the server)."""
    for option in (case.quickcheck_result or {}).get("options") or ():
        if option.get("title") == case.title:
            return dict(option)
    return None


def _threshold_basis(amount: float, on: dt.date) -> str:
    """The legal basis of the salary threshold of ``amount`` in force on ``on``."""
    try:
        period = thresholds.period_for(on)
    except (LookupError, ValueError):
        return ""
    for kind in thresholds.THRESHOLD_KINDS:
        item = period.get(kind)
        if item is not None and item.cents == thresholds.to_cents(amount):
            return clean_citation(item.legal_basis)
    return ""


def _special_requirements(case: Case, on: dt.date) -> dict[str, Any]:
    """Point 1b of the pre-approval: what the title asks beyond the qualification."""
    option = _option(case) or {}
    job = (case.quickcheck_input or {}).get("job") or {}
    threshold = option.get("salary_threshold")
    salary = job.get("annual_gross_salary")
    age45: dict[str, str] = {}
    birth = case.worker_birth_date
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if (
        threshold is None
        and age >= 45
        and load_rules("titles")["title"][case.title]["age45"] == "rule"
    ):
        try:
            line = thresholds.threshold("age45", on)
        except LookupError:
            line = None
        if line is not None:
            age45 = {"amount": _euro(line.amount), "basis": clean_citation(line.legal_basis)}
    return {
        "age45": age45,
        "threshold": _euro(float(threshold)) if threshold is not None else "",
        "threshold_basis": _threshold_basis(float(threshold), on) if threshold else "",
        "salary": _euro(float(salary)) if salary is not None else "",
        "language": str(option.get("language_requirement") or ""),
    }


def _occupation(case: Case) -> occupations.Occupation | None:
    qualification = (case.quickcheck_input or {}).get("qualification") or {}
    for name in (qualification.get("reference_occupation"), case.job_title):
        if name:
            found = occupations.lookup(str(name))
            if found is not None:
                return found
    return None


def _practice_permit(case: Case) -> dict[str, Any]:
    """Point 2 of the pre-approval: a permit to practise is needed only for regulated professions."""
    occupation = _occupation(case)
    return {
        "known": occupation is not None,
        "regulated": bool(occupation and occupation.regulated),
        "occupation": occupation.name if occupation else case.job_title,
        "legal_basis": clean_citation(occupation.legal_basis) if occupation else "",
    }


def _period_de(code: str) -> dict[str, Any]:
    clock = clock_registry.clock(code)
    return {
        "amount": clock.amount,
        "unit": clock.unit,
        "legal_basis": clean_citation(clock.legal_basis),
    }


def case_letter_context(case: Case) -> dict[str, Any]:
    """Everything the letter templates use, read once from the case."""
    statuses = item_statuses(case)
    recognition_needed = case.recognition_state != "not_required"
    ba_needed = case.ba_state != "not_required"
    comparability = case.recognition_kind in ("comparability", "dab")
    fee = fees.fee("procedure_81a")
    preapproval = case.preapprovals.order_by("-issued_on").first()
    # The letter's date: the day of the recorded act for an issued pre-approval, else today.
    letter_date = preapproval.issued_on if preapproval is not None else timezone.localdate()
    recognition_evidence = ""
    if not recognition_needed:
        recognition = (_option(case) or {}).get("recognition") or {}
        if recognition.get("kind") and not recognition.get("required"):
            recognition_evidence = str(recognition["kind"])
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
        "fee_legal_basis": clean_citation(fee.legal_basis),
        "fee_amount": _euro(fee.min),
        "checklist": statuses,
        "gaps": document_gaps(case, statuses),
        "recognition": case.recognitions.select_related("body").order_by("-initiated_on").first(),
        "ba": case.ba_approvals.order_by("-requested_on").first(),
        "preapproval": preapproval,
        "draft": preapproval is None,
        "letter_date": letter_date,
        "recognition_evidence": recognition_evidence,
        "special": _special_requirements(case, letter_date),
        "practice_permit": _practice_permit(case),
        "visa_validity": _period_de("visa_validity"),
        "ba_fiction": _period_de("ba_deemed_approval"),
    }
