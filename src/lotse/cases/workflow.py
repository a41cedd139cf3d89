"""The procedure of § 81a AufenthG as one state machine: every state, every step, who takes it.

Three django-fsm fields (``lotse.cases.models.Case``) carry the procedure:

* ``state``, the main line: advice → collecting documents → chamber completeness check (back to
  collecting with a list of gaps) → powers of attorney signed → forwarded to the ABH → intake
  (accepted, or returned to the chamber) → agreement concluded and fee paid → pre-approval issued →
  visa appointment requested → visa applied → visa issued (or refused) → entered → registered →
  residence permit applied → issued → onboarding → closed; plus the ends: withdrawn, terminated
  for lack of cooperation, requirements not met, pre-approval expired, visa refused, employment
  ended early.
* ``recognition_state`` and ``ba_state``, the two tracks the ABH runs in parallel while the main
  line stands at ``agreement_concluded`` (§ 81a Abs. 3 Nr. 2 and Nr. 4). A track the title does
  not need is ``not_required`` from the start and is shown as skipped, never faked. The
  pre-approval joins them: it is possible only when every required result is in (Abs. 3 Nr. 6).

Each ``Step`` below declares the parties that may take it (the party a user is in a case is
decided by ``lotse.access.case_party``), its guards (each failing with its own message), the
data it records, its legal basis, and the clock events it emits (event codes of
``lotse/clocks/data/clocks.toml``: a clock starts on its ``starts_on`` event and stops on its
``stops_on`` event). ``lotse.cases.services.case_transition`` runs a step: version check, party,
state, data, guards, then the django-fsm transition, the history row, the clocks and the audit
event in one transaction, and the e-mails after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMFieldMixin, transition

from lotse import clocks as clock_engine
from lotse.access import case_party
from lotse.cases import deadlines
from lotse.cases.checklist import checklist_build, checklist_gaps, rows_for
from lotse.cases.models import (
    BaApproval,
    BaOutcome,
    BaState,
    Case,
    CaseState,
    PreApproval,
    RecognitionKind,
    RecognitionOutcome,
    RecognitionProcedure,
    RecognitionState,
    Title,
    VisaApplication,
    VisaOutcome,
)
from lotse.organisations.models import Organisation, OrganisationKind

if TYPE_CHECKING:
    from lotse.accounts.models import User

Party = Literal["company", "chamber", "abh"]
Track = Literal["state", "recognition_state", "ba_state"]
# forward: moves the case on along its path; record: records a fact without a state change;
# exception: ends or sends back the case.
Kind = Literal["forward", "record", "exception"]

COMPANY: frozenset[Party] = frozenset({"company"})
CHAMBER: frozenset[Party] = frozenset({"chamber"})
ABH: frozenset[Party] = frozenset({"abh"})
COMPANY_OR_CHAMBER: frozenset[Party] = frozenset({"company", "chamber"})
ANY_PARTY: frozenset[Party] = frozenset({"company", "chamber", "abh"})

S, R, B = CaseState, RecognitionState, BaState

ENDED: frozenset[str] = frozenset(
    {S.CLOSED, S.WITHDRAWN, S.TERMINATED, S.REJECTED, S.PREAPPROVAL_EXPIRED, S.VISA_REFUSED}
)
# The main line in order; the timeline and the "next step" read it.
MAIN_LINE: tuple[str, ...] = (
    S.ADVICE,
    S.COLLECTING_DOCUMENTS,
    S.COMPLETENESS_CHECK,
    S.POWERS_SIGNED,
    S.FORWARDED,
    S.INTAKE_ACCEPTED,
    S.AGREEMENT_CONCLUDED,
    S.PREAPPROVAL_ISSUED,
    S.VISA_APPOINTMENT_REQUESTED,
    S.VISA_APPLIED,
    S.VISA_ISSUED,
    S.ENTERED,
    S.REGISTERED,
    S.RESIDENCE_PERMIT_APPLIED,
    S.RESIDENCE_PERMIT_ISSUED,
    S.ONBOARDING,
    S.CLOSED,
)
BEFORE_ENTRY: tuple[str, ...] = (*MAIN_LINE[: MAIN_LINE.index(S.VISA_ISSUED) + 1], S.RETURNED)
OPEN_STATES: tuple[str, ...] = (*MAIN_LINE[:-1], S.RETURNED)

RECOGNITION_SATISFIED = frozenset({R.NOT_REQUIRED, R.DECIDED_FULL})
BA_SATISFIED = frozenset({B.NOT_REQUIRED, B.APPROVED, B.DEEMED_APPROVED})
# § 81a Abs. 3 Satz 2: after partial equivalence the procedure may continue towards § 16d.
TITLES_ACCEPTING_PARTIAL = frozenset({Title.T16D1})


# --------------------------------------------------------------------------- data of a step


FieldKind = Literal["date", "text", "longtext", "choice", "body", "int", "clock"]


@dataclass(frozen=True)
class StepField:
    """One value a step records; the web form and the API body are built from these."""

    name: str
    kind: FieldKind
    label: Promise
    required: bool = True
    choices: tuple[tuple[str, Promise], ...] = ()
    help_text: Promise | None = None


OCCURRED_ON = StepField("occurred_on", "date", _("Date"), required=False,
                        help_text=_("The day it happened; today if left empty."))  # fmt: skip
REASON = StepField("reason", "longtext", _("Reason"))
NOTE = StepField("reason", "longtext", _("Note"), required=False)
REFERENCE = StepField("reference", "text", _("Reference of the other authority"), required=False)
UNITS: tuple[tuple[str, Promise], ...] = (
    ("calendar_days", _("calendar days")),
    ("working_days", _("working days")),
    ("weeks", _("weeks")),
    ("months", _("months")),
)


@dataclass(frozen=True)
class StepInput:
    """What a step runs with: the cleaned data, the day it happened, who recorded it."""

    actor: User
    today: dt.date
    occurred_on: dt.date
    data: Mapping[str, Any]


@dataclass(frozen=True)
class Guard:
    """A condition on the case; ``check`` returns None when it holds, else the reason it does not."""

    code: str
    check: Callable[[Case, dt.date], str | None]


@dataclass(frozen=True)
class Event:
    """A clock event a step emits, dated by one of its date fields.

    ``{recognition}`` in the code becomes ``recognition`` or ``comparability`` by the case's
    kind of recognition (the ZAB statement runs on its own clock).
    """

    code: str
    date_field: str = "occurred_on"
    when: Callable[[Case], bool] | None = None


@dataclass(frozen=True)
class Step:
    name: str
    label: Promise
    track: Track
    sources: tuple[str, ...]
    target: str | None
    parties: frozenset[Party]
    legal_basis: str
    kind: Kind = "forward"
    fields: tuple[StepField, ...] = (OCCURRED_ON,)
    guards: tuple[Guard, ...] = ()
    events: tuple[Event, ...] = ()
    suspends: str | None = None  # "recognition" | "ba": halts that track's clocks
    resumes: str | None = None
    record: Callable[[Case, StepInput], dict[str, Any] | None] | None = None
    # Who acts in the world when the step is awaited (the ABH records it in Lotse).
    awaits: Promise | None = None
    # How the step reads as "the next step" while it is awaited (the label says what is recorded).
    pending_label: Promise | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def next_label(self) -> Promise:
        return self.pending_label if self.pending_label is not None else self.label


# --------------------------------------------------------------------------- guards


def _checklist_complete(case: Case, today: dt.date) -> str | None:
    gaps = checklist_gaps(case)
    if not gaps:
        return None
    return gettext(
        "Every mandatory checklist item must be ticked as present and checked, or marked as an "
        "original seen on paper. Still missing: %(items)s."
    ) % {"items": ", ".join(item.label for item in gaps)}


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


def _recognition_result_in(case: Case, today: dt.date) -> str | None:
    if case.recognition_state in RECOGNITION_SATISFIED:
        return None
    if case.recognition_state == R.DECIDED_PARTIAL and case.title in TITLES_ACCEPTING_PARTIAL:
        return None
    return gettext("The result of the recognition is not in: recognition is at “%(state)s”.") % {
        "state": case.get_recognition_state_display()
    }


def _ba_result_in(case: Case, today: dt.date) -> str | None:
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
        "date": _format_date(status.due)
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
    return gettext("The pre-approval is valid until %(date)s.") % {"date": _format_date(status.due)}


def _clock_open(code: str, message: str) -> Guard:
    def check(case: Case, today: dt.date) -> str | None:
        return None if deadlines.open_clock(case, code) is not None else gettext(message)

    return Guard(f"{code}_running", check)


def _has_open_clock(case: Case, today: dt.date) -> str | None:
    if any(row.stopped_on is None for row in case.clocks.all()):
        return None
    return gettext("No deadline of this case is running.")


def _format_date(day: dt.date | None) -> str:
    from django.utils.formats import date_format

    return "–" if day is None else date_format(day, "SHORT_DATE_FORMAT")


CHECKLIST_COMPLETE = Guard("checklist_complete", _checklist_complete)
POWERS_RECORDED = Guard("powers_recorded", _powers_recorded)
AGREEMENT_IN_FORCE = Guard("agreement_in_force", _agreement_in_force)
RECOGNITION_RESULT_IN = Guard("recognition_result_in", _recognition_result_in)
BA_RESULT_IN = Guard("ba_result_in", _ba_result_in)
BA_WEEK_PASSED = Guard("ba_week_passed", _ba_week_passed)
PARTIAL_DECISION = Guard("partial_decision", _partial_decision)
PREAPPROVAL_LAPSED = Guard("preapproval_lapsed", _preapproval_lapsed)
INVITATION_DUE = _clock_open("abh_invitation", "No invitation of the employer is due.")
EARLY_END_REPORT_DUE = _clock_open(
    "employer_early_end_report", "No report of an early end of employment is due."
)
HAS_OPEN_CLOCK = Guard("clock_running", _has_open_clock)


# --------------------------------------------------------------------------- what steps record


def _set_track(case: Case, track: Track, value: str) -> None:
    # A step on one track may open another (switch to § 16d opens the BA track); django-fsm
    # protects the field against plain assignment, so the state is set the way it sets it.
    _fsm_field(track).set_state(case, value)


def _fsm_field(track: Track) -> Any:  # a django_fsm FSMField
    found: object = Case._meta.get_field(track)
    if not isinstance(found, FSMFieldMixin):  # pragma: no cover
        raise TypeError(f"{track} is not a state field")
    return found


def _dates(**names: str) -> Callable[[Case, StepInput], dict[str, Any] | None]:
    """Copy the step's date fields onto the case: ``_dates(case_field="data_field")``."""

    def record(case: Case, step: StepInput) -> None:
        for case_field, data_field in names.items():
            value = step.occurred_on if data_field == "occurred_on" else step.data[data_field]
            setattr(case, case_field, value)

    return record


def _end(case: Case, step: StepInput) -> None:
    case.closed_on = step.occurred_on
    case.end_reason = str(step.data.get("reason", ""))


def _return_gaps(case: Case, step: StepInput) -> dict[str, Any]:
    return {"gaps": [item.document_code for item in checklist_gaps(case)]}


def _forward(case: Case, step: StepInput) -> None:
    from lotse.documents.sealing import case_file_seal

    case.forwarded_at = timezone.now()
    # The file the ABH receives is sealed in the same transaction (lotse.documents.sealing).
    case_file_seal(case=case, actor=step.actor)


def _conclude_agreement(case: Case, step: StepInput) -> None:
    case.agreement_concluded_on = step.occurred_on
    case.fee_paid_on = step.data["fee_paid_on"]


def _recognition(case: Case) -> RecognitionProcedure:
    found = case.recognitions.order_by("-initiated_on", "-id").first()
    if found is None:  # pragma: no cover - the state machine initiates before anything else
        raise ValidationError(gettext("No recognition procedure was initiated."))
    return found


def _recognition_initiate(case: Case, step: StepInput) -> None:
    body = Organisation.objects.get(kind=OrganisationKind.EXTERNAL_BODY, code=step.data["body"])
    case.recognition_body = body
    RecognitionProcedure.objects.create(
        case=case,
        kind=case.recognition_kind or RecognitionKind.EQUIVALENCE,
        body=body,
        body_reference=step.data.get("reference", ""),
        initiated_on=step.occurred_on,
    )


def _recognition_receipt(case: Case, step: StepInput) -> None:
    procedure = _recognition(case)
    procedure.receipt_confirmed_on = step.occurred_on
    if step.data.get("reference"):
        procedure.body_reference = step.data["reference"]
    procedure.save()


def _recognition_file_complete(case: Case, step: StepInput) -> None:
    procedure = _recognition(case)
    if procedure.file_complete_on is None:
        procedure.file_complete_on = step.occurred_on
        procedure.save()


def _recognition_decided(outcome: str) -> Callable[[Case, StepInput], None]:
    def record(case: Case, step: StepInput) -> None:
        procedure = _recognition(case)
        procedure.decided_on = step.occurred_on
        procedure.outcome = outcome
        procedure.decision_reference = step.data.get("reference", "")
        procedure.save()

    return record


def _switch_to_16d(case: Case, step: StepInput) -> dict[str, Any]:
    previous = case.title
    case.title = Title.T16D1
    if case.ba_state == B.NOT_REQUIRED:
        _set_track(case, "ba_state", B.PENDING)
    added = checklist_build(case, rows_for(Title.T16D1))
    return {"previous_title": previous, "checklist_added": [i.document_code for i in added]}


def _ba(case: Case) -> BaApproval:
    found = case.ba_approvals.order_by("-requested_on", "-id").first()
    if found is None:  # pragma: no cover
        raise ValidationError(gettext("No BA approval was requested."))
    return found


def _ba_request(case: Case, step: StepInput) -> None:
    BaApproval.objects.create(
        case=case, requested_on=step.occurred_on, reference=step.data.get("reference", "")
    )


def _ba_answer(outcome: str) -> Callable[[Case, StepInput], None]:
    def record(case: Case, step: StepInput) -> None:
        approval = _ba(case)
        approval.answered_on = step.occurred_on
        approval.outcome = outcome
        approval.reason = str(step.data.get("reason", ""))
        if step.data.get("reference"):
            approval.reference = step.data["reference"]
        approval.save()

    return record


def _issue_preapproval(case: Case, step: StepInput) -> dict[str, Any]:
    valid_until = clock_engine.compute_due(
        clock_engine.clock("preapproval_validity"), step.occurred_on
    )
    if valid_until is None:  # pragma: no cover - a validity clock is never suspended
        raise ValueError("the pre-approval validity has no end")
    PreApproval.objects.create(
        case=case,
        issued_on=step.occurred_on,
        valid_until=valid_until,
        reference=step.data.get("reference", ""),
        mission=step.data.get("mission", ""),
    )
    return {"valid_until": valid_until.isoformat()}


def _visa(case: Case) -> VisaApplication:
    found = case.visas.order_by("-appointment_requested_on", "-id").first()
    if found is None:  # pragma: no cover
        raise ValidationError(gettext("No visa appointment was requested."))
    return found


def _request_appointment(case: Case, step: StepInput) -> None:
    VisaApplication.objects.create(
        case=case, appointment_requested_on=step.occurred_on, mission=step.data.get("mission", "")
    )


def _apply_visa(case: Case, step: StepInput) -> None:
    visa = _visa(case)
    visa.appointment_on = step.data["appointment_on"]
    visa.applied_on = step.occurred_on
    visa.save()


def _visa_decided(outcome: str) -> Callable[[Case, StepInput], dict[str, Any] | None]:
    def record(case: Case, step: StepInput) -> dict[str, Any] | None:
        visa = _visa(case)
        visa.decided_on = step.occurred_on
        visa.outcome = outcome
        visa.reason = str(step.data.get("reason", ""))
        if outcome == VisaOutcome.ISSUED:
            visa.valid_until = step.data.get("valid_until") or clock_engine.compute_due(
                clock_engine.clock("visa_validity"), step.occurred_on
            )
        visa.save()
        if outcome == VisaOutcome.REFUSED:
            _end(case, step)
            return None
        return {"valid_until": visa.valid_until.isoformat() if visa.valid_until else None}

    return record


def _apply_residence_permit(case: Case, step: StepInput) -> None:
    case.residence_permit_applied_on = step.occurred_on
    case.residence_authority_name = step.data["residence_authority"]


def _extend_clock(case: Case, step: StepInput) -> dict[str, Any]:
    row = case.clocks.get(pk=int(step.data["clock"]), stopped_on__isnull=True)
    before = row.due_on
    deadlines.extend(
        row, days=int(step.data["amount"]), unit=step.data["unit"], reason=step.data["reason"]
    )
    return {
        "clock": row.code,
        "due_before": before.isoformat() if before else None,
        "due_after": row.due_on.isoformat() if row.due_on else None,
    }


def _recognition_in_path(case: Case) -> bool:
    return case.recognition_kind in ("", RecognitionKind.EQUIVALENCE)


# --------------------------------------------------------------------------- the steps


RECOGNITION_BODY = StepField("body", "body", _("Recognition body"))
AWAIT_BODY = _("the recognition body")
AWAIT_BA = _("the Federal Employment Agency")
AWAIT_MISSION = _("the German mission abroad")
AWAIT_WORKER = _("the worker")

STEPS: tuple[Step, ...] = (
    # -- the chamber prepares the file ------------------------------------------------------------
    Step("start_collecting", _("Advice done: start collecting documents"), "state",
         (S.ADVICE,), S.COLLECTING_DOCUMENTS, CHAMBER, "§ 81a Abs. 1 Satz 2 AufenthG"),
    Step("submit_for_check", _("Documents handed in: ask the chamber to check them"), "state",
         (S.COLLECTING_DOCUMENTS,), S.COMPLETENESS_CHECK, COMPANY_OR_CHAMBER,
         "§ 81a Abs. 1 Satz 2 AufenthG"),
    Step("return_gaps", _("Return to collecting with the list of gaps"), "state",
         (S.COMPLETENESS_CHECK,), S.COLLECTING_DOCUMENTS, CHAMBER, "§ 81a Abs. 1 Satz 2 AufenthG",
         kind="exception", fields=(OCCURRED_ON, REASON), record=_return_gaps),
    Step("record_powers_signed", _("Record the signed powers of attorney"), "state",
         (S.COMPLETENESS_CHECK,), S.POWERS_SIGNED, COMPANY_OR_CHAMBER,
         "§ 81a Abs. 1 Satz 2 AufenthG",
         fields=(StepField("power_of_attorney_signed_on", "date",
                           _("Power of attorney (worker → company) signed on")),
                 StepField("sub_power_of_attorney_signed_on", "date",
                           _("Sub-power of attorney (company → chamber) signed on"))),
         record=_dates(power_of_attorney_signed_on="power_of_attorney_signed_on",
                       sub_power_of_attorney_signed_on="sub_power_of_attorney_signed_on")),
    Step("forward", _("Forward the complete file to the immigration office"), "state",
         (S.POWERS_SIGNED,), S.FORWARDED, CHAMBER, "§ 81a Abs. 1 AufenthG",
         guards=(POWERS_RECORDED, CHECKLIST_COMPLETE), record=_forward),
    # -- the ABH takes over -----------------------------------------------------------------------
    Step("accept_intake", _("Accept the file"), "state",
         (S.FORWARDED,), S.INTAKE_ACCEPTED, ABH, "§ 81a Abs. 1 AufenthG",
         record=_dates(intake_accepted_on="occurred_on")),
    Step("return_to_chamber", _("Return the file to the chamber"), "state",
         (S.FORWARDED,), S.RETURNED, ABH, "§ 81a Abs. 1 AufenthG",
         kind="exception", fields=(OCCURRED_ON, REASON)),
    Step("resume_collecting", _("Take the returned file back into collecting"), "state",
         (S.RETURNED,), S.COLLECTING_DOCUMENTS, CHAMBER, "§ 81a Abs. 1 Satz 2 AufenthG"),
    Step("conclude_agreement", _("Record the agreement and the fee payment"), "state",
         (S.INTAKE_ACCEPTED,), S.AGREEMENT_CONCLUDED, ABH,
         "§ 81a Abs. 2 AufenthG; § 47 Abs. 1 Nr. 15 AufenthV",
         fields=(StepField("occurred_on", "date", _("Agreement concluded on"), required=False),
                 StepField("fee_paid_on", "date", _("Fee of 411 € paid on"))),
         record=_conclude_agreement),
    # -- recognition or statement of comparability (§ 81a Abs. 3 Nr. 2, 3) -----------------------
    Step("recognition_initiate", _("Recognition: initiated at the body"), "recognition_state",
         (R.PENDING,), R.INITIATED, ABH, "§ 81a Abs. 3 Nr. 2 AufenthG",
         fields=(OCCURRED_ON, RECOGNITION_BODY, REFERENCE), guards=(AGREEMENT_IN_FORCE,),
         events=(Event("recognition_application_received", when=_recognition_in_path),),
         record=_recognition_initiate),
    Step("recognition_confirm_receipt", _("Recognition: receipt confirmed"), "recognition_state",
         (R.INITIATED,), R.RECEIPT_CONFIRMED, ABH, "§ 81a Abs. 3 Nr. 3 AufenthG; § 14a BQFG",
         fields=(OCCURRED_ON, REFERENCE), guards=(AGREEMENT_IN_FORCE,),
         events=(Event("recognition_receipt_confirmed"),), record=_recognition_receipt,
         awaits=AWAIT_BODY, pending_label=_("Recognition: the body confirms receipt")),
    Step("recognition_request_documents", _("Recognition: the body requests documents"),
         "recognition_state", (R.RECEIPT_CONFIRMED, R.FILE_COMPLETE), R.DOCUMENTS_REQUESTED, ABH,
         "§ 81a Abs. 3 Nr. 3 AufenthG", kind="exception", fields=(OCCURRED_ON, REASON),
         guards=(AGREEMENT_IN_FORCE,), events=(Event("recognition_body_notice_received"),),
         suspends="recognition", awaits=AWAIT_BODY),
    Step("recognition_file_complete", _("Recognition: file complete"), "recognition_state",
         (R.RECEIPT_CONFIRMED, R.DOCUMENTS_REQUESTED), R.FILE_COMPLETE, ABH,
         "§ 81a Abs. 3 Nr. 3 AufenthG; § 14a BQFG", guards=(AGREEMENT_IN_FORCE,),
         events=(Event("{recognition}_file_complete"),), resumes="recognition",
         record=_recognition_file_complete, awaits=AWAIT_BODY,
         pending_label=_("Recognition: the body confirms the file is complete")),
    Step("recognition_decide_full", _("Recognition: decided, fully equivalent"),
         "recognition_state", (R.FILE_COMPLETE,), R.DECIDED_FULL, ABH,
         "§ 81a Abs. 3 Nr. 2 AufenthG; § 14a BQFG", fields=(OCCURRED_ON, REFERENCE),
         guards=(AGREEMENT_IN_FORCE,),
         events=(Event("{recognition}_decided"), Event("recognition_body_notice_received")),
         record=_recognition_decided(RecognitionOutcome.FULL), awaits=AWAIT_BODY,
         pending_label=_("Recognition: the body decides")),
    Step("recognition_decide_partial", _("Recognition: decided, partially equivalent"),
         "recognition_state", (R.FILE_COMPLETE,), R.DECIDED_PARTIAL, ABH,
         "§ 81a Abs. 3 Nr. 2 AufenthG; § 14a BQFG", fields=(OCCURRED_ON, REFERENCE),
         guards=(AGREEMENT_IN_FORCE,),
         events=(Event("{recognition}_decided"), Event("recognition_body_notice_received")),
         record=_recognition_decided(RecognitionOutcome.PARTIAL), awaits=AWAIT_BODY),
    Step("recognition_decide_rejected", _("Recognition: decided, not equivalent"),
         "recognition_state", (R.FILE_COMPLETE,), R.DECIDED_REJECTED, ABH,
         "§ 81a Abs. 3 Nr. 2 AufenthG; § 14a BQFG", kind="exception",
         fields=(OCCURRED_ON, REFERENCE), guards=(AGREEMENT_IN_FORCE,),
         events=(Event("{recognition}_decided"), Event("recognition_body_notice_received")),
         record=_recognition_decided(RecognitionOutcome.REJECTED), awaits=AWAIT_BODY),
    Step("record_employer_invited", _("Record that the employer was invited"), "state",
         (S.AGREEMENT_CONCLUDED,), None, ABH, "§ 81a Abs. 3 Nr. 3 AufenthG", kind="record",
         guards=(INVITATION_DUE,), events=(Event("employer_invited"),)),
    Step("switch_to_16d", _("Continue towards § 16d after partial equivalence"), "state",
         (S.AGREEMENT_CONCLUDED,), None, ABH,
         "§ 81a Abs. 3 Satz 2 AufenthG; § 16d Abs. 1 AufenthG", kind="record",
         fields=(OCCURRED_ON, StepField("reason", "longtext", _("Qualification measure"))),
         guards=(PARTIAL_DECISION,), record=_switch_to_16d),
    # -- approval of the Federal Employment Agency (§ 81a Abs. 3 Nr. 4, § 36 BeschV) --------------
    Step("ba_request", _("BA approval: requested"), "ba_state",
         (B.PENDING, B.REFUSED), B.REQUESTED, ABH, "§ 81a Abs. 3 Nr. 4 AufenthG; § 36 BeschV",
         fields=(OCCURRED_ON, REFERENCE), guards=(AGREEMENT_IN_FORCE,),
         events=(Event("ba_approval_requested"),), record=_ba_request),
    Step("ba_request_information", _("BA approval: the BA asks for information"), "ba_state",
         (B.REQUESTED,), B.INFORMATION_REQUESTED, ABH, "§ 36 Abs. 2 Satz 2 BeschV",
         kind="exception", fields=(OCCURRED_ON, REASON), guards=(AGREEMENT_IN_FORCE,),
         suspends="ba", awaits=AWAIT_BA),
    Step("ba_information_delivered", _("BA approval: information delivered"), "ba_state",
         (B.INFORMATION_REQUESTED,), B.REQUESTED, ABH, "§ 36 Abs. 2 Satz 2 BeschV",
         guards=(AGREEMENT_IN_FORCE,), resumes="ba"),
    Step("ba_approve", _("BA approval: approved"), "ba_state",
         (B.REQUESTED,), B.APPROVED, ABH, "§ 81a Abs. 3 Nr. 4 AufenthG; § 36 BeschV",
         fields=(OCCURRED_ON, REFERENCE), guards=(AGREEMENT_IN_FORCE,),
         events=(Event("ba_answered"),), record=_ba_answer(BaOutcome.APPROVED), awaits=AWAIT_BA,
         pending_label=_("BA approval: the BA answers")),
    Step("ba_confirm_deemed", _("BA approval: confirm the deemed approval"), "ba_state",
         (B.REQUESTED,), B.DEEMED_APPROVED, ABH, "§ 36 Abs. 2 Satz 2 BeschV (Zustimmungsfiktion)",
         guards=(AGREEMENT_IN_FORCE, BA_WEEK_PASSED), events=(Event("ba_answered"),),
         record=_ba_answer(BaOutcome.DEEMED)),
    Step("ba_refuse", _("BA approval: refused"), "ba_state",
         (B.REQUESTED, B.INFORMATION_REQUESTED), B.REFUSED, ABH, "§ 36 BeschV; § 39 AufenthG",
         kind="exception", fields=(OCCURRED_ON, REASON, REFERENCE), guards=(AGREEMENT_IN_FORCE,),
         events=(Event("ba_answered"),), record=_ba_answer(BaOutcome.REFUSED), awaits=AWAIT_BA),
    # -- the join: the pre-approval (§ 81a Abs. 3 Nr. 5, 6) ---------------------------------------
    Step("issue_preapproval", _("Issue the pre-approval"), "state",
         (S.AGREEMENT_CONCLUDED,), S.PREAPPROVAL_ISSUED, ABH,
         "§ 81a Abs. 3 Nr. 5 und 6 AufenthG; § 31 Abs. 3 AufenthV",
         fields=(OCCURRED_ON, StepField("reference", "text", _("File reference"), required=False),
                 StepField("mission", "text", _("German mission informed"), required=False)),
         guards=(RECOGNITION_RESULT_IN, BA_RESULT_IN), events=(Event("preapproval_issued"),),
         record=_issue_preapproval),
    # -- the visa (§ 31a AufenthV) ----------------------------------------------------------------
    Step("request_visa_appointment", _("Visa: appointment requested"), "state",
         (S.PREAPPROVAL_ISSUED,), S.VISA_APPOINTMENT_REQUESTED, ANY_PARTY, "§ 31a Abs. 1 AufenthV",
         fields=(OCCURRED_ON, StepField("mission", "text", _("German mission"), required=False)),
         events=(Event("visa_appointment_requested"),), record=_request_appointment,
         awaits=AWAIT_WORKER, pending_label=_("Visa: the worker requests an appointment")),
    Step("apply_visa", _("Visa: applied at the appointment"), "state",
         (S.VISA_APPOINTMENT_REQUESTED,), S.VISA_APPLIED, ANY_PARTY, "§ 31a AufenthV",
         fields=(StepField("appointment_on", "date", _("Appointment at the mission on")),
                 StepField("occurred_on", "date", _("Application complete on"), required=False)),
         events=(Event("visa_appointment_offered", "appointment_on"),
                 Event("visa_application_complete")),
         record=_apply_visa, awaits=AWAIT_WORKER,
         pending_label=_("Visa: the worker applies at the appointment")),
    Step("issue_visa", _("Visa: issued"), "state",
         (S.VISA_APPLIED,), S.VISA_ISSUED, ANY_PARTY, "§ 6 Abs. 3 AufenthG; § 31a Abs. 2 AufenthV",
         fields=(OCCURRED_ON,
                 StepField("valid_until", "date", _("Visa valid until"), required=False,
                           help_text=_("As printed in the visa; 12 months if left empty."))),
         events=(Event("visa_decided"), Event("visa_issued")),
         record=_visa_decided(VisaOutcome.ISSUED), awaits=AWAIT_MISSION,
         pending_label=_("Visa: the mission decides")),
    Step("refuse_visa", _("Visa: refused"), "state",
         (S.VISA_APPLIED,), S.VISA_REFUSED, ANY_PARTY, "§ 6 Abs. 3 AufenthG", kind="exception",
         fields=(OCCURRED_ON, REASON), events=(Event("visa_decided"),),
         record=_visa_decided(VisaOutcome.REFUSED), awaits=AWAIT_MISSION),
    # -- after entry ------------------------------------------------------------------------------
    Step("record_entry", _("Record the entry into Germany"), "state",
         (S.VISA_ISSUED,), S.ENTERED, COMPANY_OR_CHAMBER, "§ 6 Abs. 3 AufenthG",
         events=(Event("worker_entered"),), record=_dates(entered_on="occurred_on"),
         awaits=AWAIT_WORKER, pending_label=_("The worker enters Germany")),
    Step("record_registration", _("Record the registration of residence"), "state",
         (S.ENTERED,), S.REGISTERED, COMPANY_OR_CHAMBER, "§ 17 Abs. 1 BMG",
         events=(Event("worker_registered"),), record=_dates(registered_on="occurred_on"),
         awaits=AWAIT_WORKER, pending_label=_("The worker registers the residence")),
    Step("apply_residence_permit", _("Record the application for the residence permit"), "state",
         (S.REGISTERED,), S.RESIDENCE_PERMIT_APPLIED, COMPANY_OR_CHAMBER,
         "§ 81 Abs. 1 AufenthG; § 71 Abs. 1 AufenthG",
         fields=(OCCURRED_ON,
                 StepField("residence_authority", "text",
                           _("Immigration office at the place of residence"))),
         events=(Event("residence_permit_applied"),), record=_apply_residence_permit,
         awaits=AWAIT_WORKER, pending_label=_("The worker applies for the residence permit")),
    Step("issue_residence_permit", _("Record the issued residence permit"), "state",
         (S.RESIDENCE_PERMIT_APPLIED,), S.RESIDENCE_PERMIT_ISSUED, ANY_PARTY,
         "§ 81 Abs. 1 AufenthG", record=_dates(residence_permit_issued_on="occurred_on")),
    Step("start_onboarding", _("Start onboarding"), "state",
         (S.RESIDENCE_PERMIT_ISSUED,), S.ONBOARDING, COMPANY_OR_CHAMBER,
         "§ 4a Abs. 5 Satz 3 Nr. 2 AufenthG"),
    Step("close", _("Close the case"), "state",
         (S.ONBOARDING,), S.CLOSED, COMPANY_OR_CHAMBER, "§ 4a Abs. 5 AufenthG",
         record=_dates(closed_on="occurred_on")),
    Step("report_early_end", _("The employment ended early"), "state",
         (S.ONBOARDING, S.CLOSED), S.EMPLOYMENT_ENDED, COMPANY_OR_CHAMBER,
         "§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG", kind="exception",
         fields=(StepField("occurred_on", "date", _("The company learned of it on"),
                           required=False), NOTE),
         events=(Event("employer_learned_of_early_end"),), record=_end),
    Step("record_early_end_reported", _("Record the report to the immigration office"), "state",
         (S.EMPLOYMENT_ENDED,), None, COMPANY_OR_CHAMBER, "§ 4a Abs. 5 Satz 3 Nr. 3 AufenthG",
         kind="record", guards=(EARLY_END_REPORT_DUE,), events=(Event("early_end_reported"),)),
    # -- ends -------------------------------------------------------------------------------------
    Step("withdraw", _("Withdraw the case"), "state",
         BEFORE_ENTRY, S.WITHDRAWN, COMPANY_OR_CHAMBER, "§ 81a Abs. 1 AufenthG",
         kind="exception", fields=(OCCURRED_ON, REASON), record=_end),
    Step("terminate_noncooperation", _("Terminate for lack of cooperation"), "state",
         (S.INTAKE_ACCEPTED, S.AGREEMENT_CONCLUDED), S.TERMINATED, ABH,
         "§ 81a Abs. 2 Nr. 4 und 8 AufenthG; § 82 Abs. 1 AufenthG", kind="exception",
         fields=(OCCURRED_ON, REASON), record=_end),
    Step("end_requirements_not_met", _("End the procedure: requirements not met"), "state",
         (S.INTAKE_ACCEPTED, S.AGREEMENT_CONCLUDED), S.REJECTED, ABH,
         "§ 81a Abs. 3 Nr. 6 AufenthG", kind="exception", fields=(OCCURRED_ON, REASON),
         record=_end),
    Step("expire_preapproval", _("Record that the pre-approval expired"), "state",
         (S.PREAPPROVAL_ISSUED,), S.PREAPPROVAL_EXPIRED, ABH,
         "§ 81a Abs. 3 Nr. 6 AufenthG; § 31 Abs. 3 AufenthV", kind="exception",
         guards=(PREAPPROVAL_LAPSED,), record=_end),
    # -- deadlines --------------------------------------------------------------------------------
    Step("extend_clock", _("Extend a deadline"), "state",
         OPEN_STATES, None, ABH, "§ 14a BQFG (Verlängerung im Einzelfall)", kind="record",
         fields=(StepField("clock", "clock", _("Deadline")),
                 StepField("amount", "int", _("Extend by")),
                 StepField("unit", "choice", _("Unit"), choices=UNITS),
                 StepField("reason", "longtext", _("Reason for the extension"))),
         guards=(HAS_OPEN_CLOCK,), record=_extend_clock),
)  # fmt: skip

STEP_BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
STEP_NAMES: tuple[str, ...] = tuple(STEP_BY_NAME)


def _bind_transitions() -> None:
    """Give Case one django-fsm transition per step: ``case.do_<step>(step_input)``."""
    for step in STEPS:
        fsm_field = _fsm_field(step.track)

        def method(instance: Case, data: StepInput, _step: Step = step) -> dict[str, Any] | None:
            return _step.record(instance, data) if _step.record is not None else None

        method.__name__ = f"do_{step.name}"
        bound = transition(field=fsm_field, source=list(step.sources), target=step.target)(method)
        setattr(Case, method.__name__, bound)


_bind_transitions()


# --------------------------------------------------------------------------- running a step


class StepRefusedError(Exception):
    """A step that cannot be taken; ``code`` names the reason for machines, ``message`` for people."""

    status = 409

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class UnknownStepError(StepRefusedError):
    status = 422


class NotYourStepError(StepRefusedError):
    status = 403


class WrongStateError(StepRefusedError):
    pass


class GuardFailedError(StepRefusedError):
    pass


def track_state(case: Case, step: Step) -> str:
    return str(getattr(case, step.track))


def refusal(step: Step, case: Case, user: User, today: dt.date) -> StepRefusedError | None:
    """Why ``user`` cannot take ``step`` on ``case`` today, or None when they can (data aside)."""
    party = case_party(user, case)
    if party is None or party not in step.parties:
        return NotYourStepError(
            "not_your_step",
            gettext("“%(step)s” is taken by: %(parties)s.")
            % {"step": step.label, "parties": party_labels(step.parties)},
        )
    current = track_state(case, step)
    if current not in step.sources:
        return WrongStateError(
            "wrong_state",
            gettext("“%(step)s” is not possible while the case is at “%(state)s”.")
            % {"step": step.label, "state": _state_label(step.track, current)},
        )
    for guard in step.guards:
        message = guard.check(case, today)
        if message is not None:
            return GuardFailedError(f"guard_failed:{guard.code}", message)
    return None


PARTY_LABELS: dict[str, Promise] = {
    "company": _("the company"),
    "chamber": _("the chamber"),
    "abh": _("the immigration office"),
}


def party_labels(parties: frozenset[Party] | set[str]) -> str:
    order = ("company", "chamber", "abh")
    return ", ".join(str(PARTY_LABELS[p]) for p in order if p in parties)


def _state_label(track: str, value: str) -> str:
    choices = {
        "state": CaseState.choices,
        "recognition_state": RecognitionState.choices,
        "ba_state": BaState.choices,
    }[track]
    return str(dict(choices).get(value, value))


def clean_data(step: Step, case: Case, raw: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """Validate the data a step records; ValidationError names each field that is wrong."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    known = {f.name for f in step.fields}
    for name in raw:
        if name not in known and name not in ("version", "action"):
            errors.setdefault(name, []).append(gettext("This step does not record this value."))
    for spec in step.fields:
        value = raw.get(spec.name)
        if value in (None, ""):
            if spec.required:
                errors.setdefault(spec.name, []).append(gettext("This value is required."))
            continue
        try:
            cleaned[spec.name] = _clean_value(spec, case, value, today)
        except ValidationError as exc:
            errors.setdefault(spec.name, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(spec: StepField, case: Case, value: Any, today: dt.date) -> Any:
    if spec.kind == "date":
        if isinstance(value, dt.date):
            day = value
        else:
            try:
                day = dt.date.fromisoformat(str(value))
            except ValueError:
                raise ValidationError(gettext("Enter a date as YYYY-MM-DD.")) from None
        if day > today and spec.name != "valid_until":
            raise ValidationError(gettext("The date lies in the future."))
        return day
    if spec.kind in ("text", "longtext"):
        text = str(value).strip()
        limit = 4000 if spec.kind == "longtext" else 200
        if len(text) > limit:
            raise ValidationError(gettext("At most %(limit)s characters.") % {"limit": limit})
        return text
    if spec.kind == "int":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(gettext("Enter a whole number.")) from None
        if not 1 <= number <= 365:
            raise ValidationError(gettext("Enter a number from 1 to 365."))
        return number
    if spec.kind == "choice":
        if str(value) not in {code for code, _label in spec.choices}:
            raise ValidationError(gettext("Choose one of the offered values."))
        return str(value)
    if spec.kind == "body":
        if not Organisation.objects.filter(
            kind=OrganisationKind.EXTERNAL_BODY, code=str(value)
        ).exists():
            raise ValidationError(gettext("Unknown recognition body."))
        return str(value)
    if spec.kind == "clock":
        if not case.clocks.filter(pk=_int_or_zero(value), stopped_on__isnull=True).exists():
            raise ValidationError(gettext("Choose a deadline of this case that is running."))
        return _int_or_zero(value)
    raise ValidationError(f"unknown field kind {spec.kind}")  # pragma: no cover


def _int_or_zero(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def clock_events(step: Step, case: Case, step_input: StepInput) -> list[tuple[str, dt.date]]:
    prefix = "recognition" if _recognition_in_path(case) else "comparability"
    result = []
    for event in step.events:
        if event.when is not None and not event.when(case):
            continue
        day = (
            step_input.occurred_on
            if event.date_field == "occurred_on"
            else step_input.data[event.date_field]
        )
        result.append((event.code.format(recognition=prefix), day))
    return result


# --------------------------------------------------------------------------- reading the machine


def available_steps(case: Case, user: User, today: dt.date) -> list[tuple[Step, str | None]]:
    """The steps of the user's party possible in the case's states, each with its guard refusal.

    A step whose state does not fit is left out; one whose guard fails is listed with the reason
    so that the page can say what is missing.
    """
    party = case_party(user, case)
    if party is None:
        return []
    result: list[tuple[Step, str | None]] = []
    for step in STEPS:
        if party not in step.parties or track_state(case, step) not in step.sources:
            continue
        problem = refusal(step, case, user, today)
        result.append((step, None if problem is None else problem.message))
    return result


def next_steps(case: Case) -> list[Step]:
    """The next forward step of each open track, in procedure order (no query when the case's
    clocks are prefetched; no guard is evaluated except the BA week, from those clocks)."""
    found: list[Step] = []
    tracks_seen: set[str] = set()
    for step in STEPS:
        if step.kind != "forward" or step.track in tracks_seen:
            continue
        if str(getattr(case, step.track)) not in step.sources:
            continue
        if step.track != "state" and case.state != S.AGREEMENT_CONCLUDED:
            continue
        if step.name == "ba_approve" and _ba_week_over(case):
            step = STEP_BY_NAME["ba_confirm_deemed"]
        tracks_seen.add(step.track)
        found.append(step)
    if case.state == S.AGREEMENT_CONCLUDED:
        tracks = [s for s in found if s.track != "state"]
        if tracks or not _results_in(case):
            # While recognition or BA approval is open, the pre-approval is not the next step.
            found = tracks
    return found


def _ba_week_over(case: Case) -> bool:
    rows = getattr(case, "open_clocks", None)
    if rows is None:
        rows = getattr(case, "_prefetched_objects_cache", {}).get("clocks")
    if rows is None:
        return False
    today = timezone.localdate()
    return any(
        r.code == "ba_deemed_approval"
        and r.stopped_on is None
        and deadlines.status(r, today).state == "deemed"
        for r in rows
    )


def _results_in(case: Case) -> bool:
    return (
        _recognition_result_in(case, dt.date.min) is None
        and _ba_result_in(case, dt.date.min) is None
    )


def who_acts(case: Case) -> str:
    """Who must act now, in words: the party or the outside body awaited."""
    if case.state in ENDED:
        return ""
    steps = next_steps(case)
    if not steps:
        if case.recognition_state in (R.INITIATED, R.FILE_COMPLETE):
            return str(AWAIT_BODY)
        if case.ba_state == B.REQUESTED:
            return str(AWAIT_BA)
        return ""
    names: list[str] = []
    for step in steps:
        label = str(step.awaits) if step.awaits is not None else party_labels(step.parties)
        if label not in names:
            names.append(label)
    return "; ".join(names)


def is_ended(case: Case) -> bool:
    return case.state in ENDED


def recognition_required_initially(kind: str) -> str:
    return R.PENDING if kind else R.NOT_REQUIRED


def ba_required_initially(required: bool) -> str:
    return B.PENDING if required else B.NOT_REQUIRED
