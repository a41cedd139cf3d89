"""What steps record: one function per kind of effect, called by name from the table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django_fsm import FSMFieldMixin

from lotse import clocks as clock_engine
from lotse.cases import deadlines
from lotse.cases.checklist import checklist_build, checklist_gaps, rows_for
from lotse.cases.dates import short as short_date
from lotse.cases.models import (
    BaApproval,
    BaOutcome,
    Case,
    PreApproval,
    RecognitionKind,
    RecognitionProcedure,
    Title,
    VisaApplication,
    VisaOutcome,
)
from lotse.cases.workflow.base import (
    B,
    Step,
    StepInput,
    Track,
    WrongStateError,
    track_state,
)
from lotse.organisations.models import Organisation, OrganisationKind

# --------------------------------------------------------------------------- what steps record


def set_track(case: Case, track: Track, value: str) -> None:
    # A step on one track may open another (switch to § 16d opens the BA track); django-fsm
    # protects the field against plain assignment, so the state is set the way it sets it.
    _fsm_field(track).set_state(case, value)


def _fsm_field(track: Track) -> Any:  # a django_fsm FSMField
    found: object = Case._meta.get_field(track)
    if not isinstance(found, FSMFieldMixin):  # pragma: no cover
        raise TypeError(f"{track} is not a state field")
    return found


def dates(**names: str) -> Callable[[Case, StepInput], dict[str, Any] | None]:
    """Copy the step's date fields onto the case: ``dates(case_field="data_field")``."""

    def record(case: Case, step: StepInput) -> None:
        for case_field, data_field in names.items():
            value = step.occurred_on if data_field == "occurred_on" else step.data[data_field]
            setattr(case, case_field, value)

    return record


def end(case: Case, step: StepInput) -> None:
    case.closed_on = step.occurred_on
    case.end_reason = str(step.data.get("reason", ""))


def end_employment(case: Case, step: StepInput) -> dict[str, Any]:
    """The early end: the case ends, and the worker's own notice runs from the worker's knowledge."""
    end(case, step)
    learned = step.data.get("worker_learned_on") or step.occurred_on
    return {"worker_learned_on": learned.isoformat()}


def return_gaps(case: Case, step: StepInput) -> dict[str, Any]:
    return {"gaps": [item.document_code for item in checklist_gaps(case)]}


def forward(case: Case, step: StepInput) -> None:
    # The file the ABH receives is sealed by the forwarding service (services.case_forward).
    case.forwarded_at = timezone.now()


def conclude_agreement(case: Case, step: StepInput) -> None:
    case.agreement_concluded_on = step.occurred_on
    case.fee_paid_on = step.data["fee_paid_on"]


def _recognition(case: Case) -> RecognitionProcedure:
    found = case.recognitions.order_by("-initiated_on", "-id").first()
    if found is None:  # pragma: no cover - the state machine initiates before anything else
        raise ValidationError(gettext("No recognition procedure was initiated."))
    return found


def recognition_initiate(case: Case, step: StepInput) -> None:
    body = Organisation.objects.get(kind=OrganisationKind.EXTERNAL_BODY, code=step.data["body"])
    case.recognition_body = body
    RecognitionProcedure.objects.create(
        case=case,
        kind=case.recognition_kind or RecognitionKind.EQUIVALENCE,
        body=body,
        body_reference=step.data.get("reference", ""),
        initiated_on=step.occurred_on,
    )


def recognition_receipt(case: Case, step: StepInput) -> None:
    procedure = _recognition(case)
    procedure.receipt_confirmed_on = step.occurred_on
    if step.data.get("reference"):
        procedure.body_reference = step.data["reference"]
    procedure.save()


def recognition_file_complete(case: Case, step: StepInput) -> None:
    procedure = _recognition(case)
    if procedure.file_complete_on is None:
        procedure.file_complete_on = step.occurred_on
        procedure.save()


def recognition_decided(outcome: str) -> Callable[[Case, StepInput], None]:
    def record(case: Case, step: StepInput) -> None:
        procedure = _recognition(case)
        procedure.decided_on = step.occurred_on
        procedure.outcome = outcome
        procedure.decision_reference = step.data.get("reference", "")
        procedure.save()

    return record


def switch_to_16d(case: Case, step: StepInput) -> dict[str, Any]:
    previous = case.title
    case.title = Title.T16D1
    if case.ba_state == B.NOT_REQUIRED:
        set_track(case, "ba_state", B.PENDING)
    added = checklist_build(case, rows_for(Title.T16D1))
    return {"previous_title": previous, "checklist_added": [i.document_code for i in added]}


def _ba(case: Case) -> BaApproval:
    found = case.ba_approvals.order_by("-requested_on", "-id").first()
    if found is None:  # pragma: no cover
        raise ValidationError(gettext("No BA approval was requested."))
    return found


def ba_request(case: Case, step: StepInput) -> None:
    BaApproval.objects.create(
        case=case, requested_on=step.occurred_on, reference=step.data.get("reference", "")
    )


def ba_information_requested(case: Case, step: StepInput) -> None:
    """The BA's notice that information is missing halts its week only while the week runs
    (§ 36 Abs. 2 Satz 2 BeschV). Once the week has run out the approval is deemed given and the
    notice comes too late: refused, so that an open BA week always means an open BA request
    (the deadline board reads the clock rows alone, lotse.cases.selectors._board_column)."""
    row = deadlines.open_clock(case, "ba_deemed_approval")
    if row is None or deadlines.halted_by(row, step.occurred_on):
        return
    raise ValidationError(
        {
            "occurred_on": gettext(
                "The BA week ended on %(date)s: the approval is deemed given, and a request for "
                "information after that does not halt it (§ 36 Abs. 2 Satz 2 BeschV). Record "
                "the deemed approval or the BA's answer."
            )
            % {"date": short_date(row.due_on) if row.due_on else ""}
        }
    )


def ba_answer(outcome: str) -> Callable[[Case, StepInput], None]:
    def record(case: Case, step: StepInput) -> None:
        approval = _ba(case)
        approval.answered_on = step.occurred_on
        approval.outcome = outcome
        approval.reason = str(step.data.get("reason", ""))
        if step.data.get("reference"):
            approval.reference = step.data["reference"]
        approval.save()

    return record


def ba_confirm_deemed(case: Case, step: StepInput) -> dict[str, Any]:
    """The approval is deemed given at the end of the week that runs from the request
    (§ 36 Abs. 2 Satz 2 BeschV): that day is the answer's date, not the day it was confirmed."""
    row = deadlines.open_clock(case, "ba_deemed_approval")
    status = deadlines.status(row, step.occurred_on) if row is not None else None
    if status is None or status.due is None:  # pragma: no cover - the guard BA_WEEK_PASSED held
        raise ValidationError(gettext("No BA request is running."))
    approval = _ba(case)
    approval.answered_on = status.due
    approval.outcome = BaOutcome.DEEMED
    approval.save()
    return {"deemed_on": status.due.isoformat()}


def issue_preapproval(case: Case, step: StepInput) -> dict[str, Any]:
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


def request_appointment(case: Case, step: StepInput) -> None:
    VisaApplication.objects.create(
        case=case, appointment_requested_on=step.occurred_on, mission=step.data.get("mission", "")
    )


def apply_visa(case: Case, step: StepInput) -> None:
    visa = _visa(case)
    visa.appointment_on = step.data["appointment_on"]
    visa.applied_on = step.occurred_on
    visa.save()


def visa_decided(outcome: str) -> Callable[[Case, StepInput], dict[str, Any] | None]:
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
            end(case, step)
            return None
        return {"valid_until": visa.valid_until.isoformat() if visa.valid_until else None}

    return record


def apply_residence_permit(case: Case, step: StepInput) -> None:
    case.residence_permit_applied_on = step.occurred_on
    case.residence_authority_name = step.data["residence_authority"]


def extend_clock(case: Case, step: StepInput) -> dict[str, Any]:
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


def recognition_in_path(case: Case) -> bool:
    return case.recognition_kind in ("", RecognitionKind.EQUIVALENCE)


def clock_events(
    step: Step, case: Case, step_input: StepInput, recorded: Mapping[str, Any] | None = None
) -> list[tuple[str, dt.date]]:
    """The clock events of ``step``, each dated by a field of its data or of what it recorded."""
    prefix = "recognition" if recognition_in_path(case) else "comparability"
    result = []
    for event in step.events:
        if event.when is not None and not event.when(case):
            continue
        if event.date_field == "occurred_on":
            day = step_input.occurred_on
        elif event.date_field in step_input.data:
            day = step_input.data[event.date_field]
        else:
            day = dt.date.fromisoformat(str((recorded or {})[event.date_field]))
        result.append((event.code.format(recognition=prefix), day))
    return result


def apply_step(step: Step, case: Case, step_input: StepInput) -> dict[str, Any]:
    """Take ``step`` on ``case``: record its data, then move its track to the step's target.

    The caller (``services.case_transition``) has checked party, state, data and guards; the
    source state is checked here once more against the table, as the state field's last guard.
    """
    current = track_state(case, step)
    if current not in step.sources:  # pragma: no cover - refusal() checked it under the lock
        raise WrongStateError("wrong_state", gettext("This step is not possible in this state."))
    extra = step.record(case, step_input) if step.record is not None else None
    if step.target is not None:
        set_track(case, step.track, step.target)
    return extra or {}
