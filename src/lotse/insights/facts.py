"""The facts of one case, read from its record, its history and its clocks (docs/statistics.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lotse.cases.models import (
    BaState,
    Case,
    CaseState,
    RecognitionKind,
    RecognitionState,
    VisaOutcome,
)
from lotse.cases.workflow.base import BEFORE_ENTRY, ENDED
from lotse.insights.models import CaseFacts
from lotse.rules.occupations import lookup

S = CaseState
# The state an open case is in → the phase it counts as waiting in (work in progress).
WIP_PHASE: dict[str, str] = {
    S.ADVICE: "preparation",
    S.COLLECTING_DOCUMENTS: "preparation",
    S.COMPLETENESS_CHECK: "preparation",
    S.POWERS_SIGNED: "preparation",
    S.RETURNED: "preparation",
    S.FORWARDED: "acceptance",
    S.INTAKE_ACCEPTED: "preapproval",
    S.AGREEMENT_CONCLUDED: "preapproval",
    S.PREAPPROVAL_ISSUED: "visa",
    S.VISA_APPOINTMENT_REQUESTED: "visa",
    S.VISA_APPLIED: "visa",
    S.VISA_ISSUED: "entry",
}
WIP_PHASES: tuple[str, ...] = ("preparation", "acceptance", "preapproval", "visa", "entry")
# Ends before entry that count as "withdrawn or refused".
EARLY_ENDS = frozenset(ENDED - {S.CLOSED})


def _days(start: dt.date | None, end: dt.date | None) -> int | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).days


def occupation_group(case: Case) -> str:
    data: Any = case.quickcheck_input or {}
    name = (data.get("qualification") or {}).get("reference_occupation") if isinstance(
        data, dict) else None  # fmt: skip
    found = lookup(name) if isinstance(name, str) and name.strip() else None
    return found.group if found is not None else ""


def facts_values(case: Case) -> dict[str, Any]:
    """The CaseFacts columns of ``case`` (without the expected dates)."""
    # In the order recorded; the "create" row is the start, dated by the case itself.
    history = sorted(
        (t for t in case.transitions.all() if t.from_state),
        key=lambda t: (t.recorded_at, t.pk),
    )
    forwards = [t.occurred_on for t in history if t.action == "forward"]
    accepted = next((t.occurred_on for t in history if t.action == "accept_intake"), None)
    started = timezone.localdate(case.created_at)
    recognitions = sorted(case.recognitions.all(), key=lambda r: (r.initiated_on, r.pk))
    rec_start = recognitions[0].initiated_on if recognitions else None
    rec_end = next((r.decided_on for r in reversed(recognitions) if r.decided_on), None)
    approvals = sorted(case.ba_approvals.all(), key=lambda b: (b.requested_on, b.pk))
    ba_start = approvals[0].requested_on if approvals else None
    ba_end = next((b.answered_on for b in reversed(approvals) if b.answered_on), None)
    if ba_end is not None and case.ba_state not in (BaState.APPROVED, BaState.DEEMED_APPROVED,
                                                    BaState.REFUSED):  # fmt: skip
        ba_end = None  # refused, then asked again: the phase runs on
    preapprovals = sorted(case.preapprovals.all(), key=lambda p: (p.issued_on, p.pk))
    preapproved = preapprovals[0].issued_on if preapprovals else None
    visas = sorted(case.visas.all(), key=lambda v: (v.appointment_requested_on, v.pk))
    appointment = next((v.appointment_on for v in visas if v.appointment_on), None)
    issued = next(
        (v.decided_on for v in visas if v.outcome == VisaOutcome.ISSUED and v.decided_on), None
    )
    ended_early = case.closed_on if case.state in EARLY_ENDS else None
    if ended_early is None and case.state in EARLY_ENDS:
        ended_early = history[-1].occurred_on if history else started
    first_forward = forwards[0] if forwards else None
    accepted_forward = max((d for d in forwards if accepted and d <= accepted), default=None)
    first_request_day = first_forward or dt.date.max
    requests = sum(
        1
        for r in case.document_requests.all()
        if timezone.localdate(r.created_at) >= first_request_day
    ) + sum(1 for t in history if t.action == "recognition_request_documents")
    is_open = case.state in BEFORE_ENTRY
    phase = WIP_PHASE.get(case.state, "") if is_open else ""
    since = started
    if phase:
        entering = [t.occurred_on for t in history
                    if t.track == "state" and WIP_PHASE.get(t.to_state) == phase
                    and WIP_PHASE.get(t.from_state) != phase]  # fmt: skip
        since = entering[-1] if entering else started
    return {
        "chamber_id": case.chamber_id,
        "authority_id": case.authority_id,
        "title": case.title,
        "recognition_body_id": case.recognition_body_id,
        "occupation_group": occupation_group(case),
        "company_size": case.company.size_class,
        "qualification_country": case.qualification_country,
        "started_on": started,
        "forwarded_on": first_forward,
        "accepted_on": accepted,
        "recognition_started_on": rec_start,
        "recognition_ended_on": rec_end,
        "ba_started_on": ba_start,
        "ba_ended_on": ba_end,
        "preapproved_on": preapproved,
        "appointment_on": appointment,
        "visa_issued_on": issued,
        "entered_on": case.entered_on,
        "ended_early_on": ended_early,
        "advice_to_forwarding": _days(started, first_forward),
        "forwarding_to_acceptance": _days(accepted_forward, accepted),
        "recognition": _days(rec_start, rec_end),
        "ba": _days(ba_start, ba_end),
        "acceptance_to_preapproval": _days(accepted, preapproved),
        "preapproval_to_visa": _days(preapproved, issued),
        "whole": _days(started, issued),
        "returned_count": sum(1 for t in history if t.action == "return_to_chamber"),
        "requests_count": requests,
        "is_open": is_open,
        "current_phase": phase,
        "phase_since": since if phase else None,
    }


def recognition_path(case: Case) -> str:
    return "comparability" if case.recognition_kind in (
        RecognitionKind.COMPARABILITY, RecognitionKind.DAB) else "recognition"  # fmt: skip


def recognition_open(case: Case) -> bool:
    return case.recognition_state not in (RecognitionState.NOT_REQUIRED, RecognitionState.DECIDED_FULL,
                                          RecognitionState.DECIDED_PARTIAL, RecognitionState.DECIDED_REJECTED)  # fmt: skip


def facts_case_queryset() -> Any:
    return Case.objects.select_related("recognition_body", "company").prefetch_related(
        "transitions", "recognitions", "ba_approvals", "preapprovals", "visas",
        "document_requests", "clocks",
    )  # fmt: skip


__all__ = ["WIP_PHASE", "WIP_PHASES", "CaseFacts", "facts_values"]
