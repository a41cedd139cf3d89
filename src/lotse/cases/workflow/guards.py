"""Guards: conditions on the case that a step needs; each says why it does not hold."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from lotse.cases import deadlines
from lotse.cases.checklist import checklist_gaps, rows_for
from lotse.cases.models import Case, Requirement, Title
from lotse.cases.requirements import needs_of
from lotse.cases.workflow.base import (
    BA_SATISFIED,
    RECOGNITION_SATISFIED,
    TITLES_ACCEPTING_PARTIAL,
    B,
    Guard,
    R,
    S,
    format_date,
)
from lotse.documents.selectors import item_statuses
from lotse.rules import documents as rules_documents

# --------------------------------------------------------------------------- guards


def _checklist_complete(case: Case, today: dt.date) -> str | None:
    # The documents the ruleset asks for the case's title, derived again by the server: a
    # checklist that lacks one of them (however it came to lack it) does not pass the gate.
    wanted = rows_for(case.title, needs_of(case).documents)
    present = {item.document_code for item in case.checklist.all()}
    german = translation.get_language() == "de"
    labels = [
        row["label_de"] if german else row["label_en"]
        for row in wanted
        if row["requirement"] == Requirement.MANDATORY and row["code"] not in present
    ]
    labels.extend(item.label for item in checklist_gaps(case))
    if not labels:
        return None
    return gettext(
        "Every mandatory checklist item must be ticked as present and checked, or marked as an "
        "original seen on paper. Still missing: %(items)s."
    ) % {"items": ", ".join(labels)}


def _ruleset_needs_met(case: Case, today: dt.date) -> str | None:
    """The recognition and the BA approval the ruleset asks for the title, whatever the tracks say."""
    needs = needs_of(case)
    if needs.ba_required and case.ba_state not in (B.APPROVED, B.DEEMED_APPROVED):
        return gettext(
            "The ruleset requires the approval of the Federal Employment Agency for this case, "
            "and it is not recorded: BA approval is at “%(state)s”."
        ) % {"state": case.get_ba_state_display()}
    decided = {R.DECIDED_FULL} | (
        {R.DECIDED_PARTIAL} if case.title in TITLES_ACCEPTING_PARTIAL else set()
    )
    if needs.recognition_kind and case.recognition_state not in decided:
        return gettext(
            "The ruleset requires a recognition or comparability decision for this case, and it "
            "is not recorded: recognition is at “%(state)s”."
        ) % {"state": case.get_recognition_state_display()}
    return None


# The signed powers of attorney of § 81a Abs. 1 Satz 2 AufenthG, as checklist documents.
POWER_DOCUMENTS: tuple[str, ...] = ("power_of_attorney", "sub_power_of_attorney")


def _powers_documents_in(case: Case, today: dt.date) -> str | None:
    """The signed powers are uploaded and accepted, or their originals were seen on paper."""
    statuses = {status.item.document_code: status for status in item_statuses(case)}
    german = translation.get_language() == "de"
    missing = []
    for code in POWER_DOCUMENTS:
        status = statuses.get(code)
        if status is not None and status.complete:
            continue
        if status is not None:
            missing.append(status.item.label)
        else:
            doc = rules_documents.document(code)
            missing.append(doc.label_de if german else doc.label_en)
    if not missing:
        return None
    return gettext(
        "The signed powers of attorney must be uploaded and accepted, or their originals seen "
        "on paper. Still missing: %(items)s."
    ) % {"items": ", ".join(missing)}


def _powers_recorded(case: Case, today: dt.date) -> str | None:
    if case.power_of_attorney_signed_on and case.sub_power_of_attorney_signed_on:
        return None
    return gettext(
        "The dates on which the power of attorney and the sub-power of attorney were signed "
        "are not recorded."
    )


def _agreement_in_force(case: Case, today: dt.date) -> str | None:
    if case.state == S.AGREEMENT_CONCLUDED:
        return None
    return gettext(
        "Recognition and BA approval are handled once the agreement under § 81a Abs. 2 AufenthG "
        "is concluded; the case is at: %(state)s."
    ) % {"state": case.get_state_display()}


def recognition_result_in(case: Case, today: dt.date) -> str | None:
    if case.recognition_state in RECOGNITION_SATISFIED:
        return None
    if case.recognition_state == R.DECIDED_PARTIAL and case.title in TITLES_ACCEPTING_PARTIAL:
        return None
    return gettext("The result of the recognition is not in: recognition is at “%(state)s”.") % {
        "state": case.get_recognition_state_display()
    }


def ba_result_in(case: Case, today: dt.date) -> str | None:
    if case.ba_state in BA_SATISFIED:
        return None
    return gettext(
        "The Federal Employment Agency has not approved: BA approval is at “%(state)s”."
    ) % {"state": case.get_ba_state_display()}


def _ba_week_passed(case: Case, today: dt.date) -> str | None:
    row = deadlines.open_clock(case, "ba_deemed_approval")
    if row is None:
        return gettext("No BA request is running.")
    status = deadlines.status(row, today)
    if status.state == "deemed":
        return None
    if status.due is None:
        return gettext("The BA asked for information; the week starts afresh when it arrives.")
    return gettext("The BA week has not passed: approval is deemed given only after %(date)s.") % {
        "date": format_date(status.due)
    }


def _partial_decision(case: Case, today: dt.date) -> str | None:
    if case.recognition_state != R.DECIDED_PARTIAL:
        return gettext(
            "Only a decision of partial equivalence allows continuing towards § 16d "
            "(§ 81a Abs. 3 Satz 2 AufenthG)."
        )
    if case.title == Title.T16D1:
        return gettext("The case already aims at § 16d Abs. 1 AufenthG.")
    return None


def _preapproval_lapsed(case: Case, today: dt.date) -> str | None:
    row = deadlines.open_clock(case, "preapproval_validity")
    if row is None:
        return gettext("No pre-approval validity is running.")
    status = deadlines.status(row, today)
    if status.state == "expired":
        return None
    return gettext("The pre-approval is valid until %(date)s.") % {"date": format_date(status.due)}


def _clock_open(code: str, message: str) -> Guard:
    def check(case: Case, today: dt.date) -> str | None:
        return None if deadlines.open_clock(case, code) is not None else gettext(message)

    return Guard(f"{code}_running", check)


def _has_open_clock(case: Case, today: dt.date) -> str | None:
    if any(row.stopped_on is None for row in case.clocks.all()):
        return None
    return gettext("No deadline of this case is running.")


CHECKLIST_COMPLETE = Guard("checklist_complete", _checklist_complete)
POWERS_RECORDED = Guard("powers_recorded", _powers_recorded)
AGREEMENT_IN_FORCE = Guard("agreement_in_force", _agreement_in_force)
RECOGNITION_RESULT_IN = Guard("recognition_result_in", recognition_result_in)
BA_RESULT_IN = Guard("ba_result_in", ba_result_in)
BA_WEEK_PASSED = Guard("ba_week_passed", _ba_week_passed)
PARTIAL_DECISION = Guard("partial_decision", _partial_decision)
PREAPPROVAL_LAPSED = Guard("preapproval_lapsed", _preapproval_lapsed)
INVITATION_DUE = _clock_open(
    "abh_invitation", gettext_noop("No invitation of the employer is due.")
)
EARLY_END_REPORT_DUE = _clock_open(
    "employer_early_end_report", gettext_noop("No report of an early end of employment is due.")
)
WORKER_EARLY_END_REPORT_DUE = _clock_open(
    "worker_early_end_report",
    gettext_noop("No report of the worker about an early end is due."),
)
HAS_OPEN_CLOCK = Guard("clock_running", _has_open_clock)
RULESET_NEEDS_MET = Guard("ruleset_needs_met", _ruleset_needs_met)
POWERS_DOCUMENTS_IN = Guard("powers_documents_in", _powers_documents_in)
