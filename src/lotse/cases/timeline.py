"""The case's timeline: done steps with their dates, the current step, future steps with the
statutory or expected dates. Computed from the history rows and the clocks (prefetched)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.cases import deadlines, workflow
from lotse.cases.checklist import checklist_gaps
from lotse.cases.models import (
    BaOutcome,
    BaState,
    Case,
    CaseState,
    CaseTransition,
    RecognitionState,
)
from lotse.clocks import registry as clock_registry

Status = Literal["done", "current", "future", "skipped", "ended"]
S, R, B = CaseState, RecognitionState, BaState


@dataclass
class Entry:
    key: str
    label: str
    status: Status
    date: dt.date | None = None
    # For a future or current step: the statutory due date (a clock) or an expected date.
    due: dt.date | None = None
    due_label: str = ""
    overdue: bool = False
    note: str = ""
    who: str = ""
    children: list[Entry] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "date": self.date,
            "due": self.due,
            "due_label": self.due_label,
            "overdue": self.overdue,
            "note": self.note,
            "who": self.who,
            "children": [c.to_dict() for c in self.children],
        }


# Main-line states shown on the timeline, with the clock whose due date a future step shows.
_MAIN: tuple[tuple[str, Promise, str | None], ...] = (
    (S.ADVICE, _("Advice by the chamber"), None),
    (S.COLLECTING_DOCUMENTS, _("Documents collected"), None),
    (S.COMPLETENESS_CHECK, _("Completeness check by the chamber"), None),
    (S.POWERS_SIGNED, _("Powers of attorney signed"), None),
    (S.FORWARDED, _("Forwarded to the immigration office"), None),
    (S.INTAKE_ACCEPTED, _("Accepted by the immigration office"), None),
    (S.AGREEMENT_CONCLUDED, _("Agreement concluded, fee paid"), None),
    (S.PREAPPROVAL_ISSUED, _("Pre-approval issued"), None),
    (S.VISA_APPOINTMENT_REQUESTED, _("Visa appointment requested"), "preapproval_validity"),
    (S.VISA_APPLIED, _("Visa applied for"), "visa_appointment"),
    (S.VISA_ISSUED, _("Visa issued"), "visa_decision"),
    (S.ENTERED, _("Entry into Germany"), None),
    (S.REGISTERED, _("Residence registered"), "registration_after_entry"),
    (S.RESIDENCE_PERMIT_APPLIED, _("Residence permit applied for"), "visa_validity"),
    (S.RESIDENCE_PERMIT_ISSUED, _("Residence permit issued"), None),
    (S.ONBOARDING, _("Onboarding"), None),
    (S.CLOSED, _("Closed"), None),
)
# Main-line states that stand for work going on (done only when the case moves on), unlike the
# states reached by an event (forwarded, accepted, issued …).
_ONGOING = frozenset({S.ADVICE, S.COLLECTING_DOCUMENTS, S.COMPLETENESS_CHECK})
_RECOGNITION: tuple[tuple[tuple[str, ...], Promise, str | None], ...] = (
    ((R.INITIATED,), _("Recognition initiated"), None),
    ((R.RECEIPT_CONFIRMED,), _("Receipt confirmed by the body"), "recognition_receipt"),
    ((R.FILE_COMPLETE,), _("File complete"), None),
    ((R.DECIDED_FULL, R.DECIDED_PARTIAL, R.DECIDED_REJECTED), _("Decision"),
     "recognition_decision"),
)  # fmt: skip
_RECOGNITION_ORDER: tuple[str, ...] = (
    R.PENDING, R.INITIATED, R.RECEIPT_CONFIRMED, R.DOCUMENTS_REQUESTED, R.FILE_COMPLETE,
    R.DECIDED_FULL, R.DECIDED_PARTIAL, R.DECIDED_REJECTED,
)  # fmt: skip
_BA: tuple[tuple[tuple[str, ...], Promise, str | None], ...] = (
    ((B.REQUESTED,), _("Approval requested"), None),
    ((B.APPROVED, B.DEEMED_APPROVED, B.REFUSED), _("Answer of the BA"), "ba_deemed_approval"),
)
_BA_ORDER: tuple[str, ...] = (B.PENDING, B.REQUESTED, B.INFORMATION_REQUESTED, B.APPROVED, B.DEEMED_APPROVED,
             B.REFUSED)  # fmt: skip


def _history(case: Case) -> list[CaseTransition]:
    return sorted(case.transitions.all(), key=lambda t: (t.recorded_at, t.pk))


def _reached_on(
    history: list[CaseTransition], track: str, states: tuple[str, ...]
) -> dt.date | None:
    days = [t.occurred_on for t in history if t.track == track and t.to_state in states]
    return days[-1] if days else None


def build(case: Case, today: dt.date, *, requests: Iterable[Any] = ()) -> list[Entry]:
    """The timeline; ``requests`` are the Nachforderungen the viewer may read (each shown with
    its items, the clocks it halted and its answer), from lotse.conversations."""
    entries = _steps(case, today)
    entries += [_request_entry(case, request, today) for request in requests]
    return entries


_REQUESTED_BY: dict[str, Promise] = {
    "abh": _("Request for documents (Nachforderung) by the immigration office"),
    "chamber": _("Request for documents (Nachforderung) by the chamber"),
}


def _clock_labels(codes: Iterable[str]) -> str:
    german = (translation.get_language() or "de").startswith("de")
    labels = []
    for code in codes:
        try:
            labels.append(clock_registry.clock(code).label("de" if german else "en"))
        except KeyError:
            labels.append(code)
    return ", ".join(labels)


def _suspension(
    case: Case, request: Any, asked_on: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """When the request's halt of the clocks began and ended, as the clocks recorded it."""
    reason = f"Nachforderung ({request.ground}) {asked_on.isoformat()}"
    for row in case.clocks.all():
        if row.code in request.suspended_clocks:
            for item in row.suspensions:
                if item.get("reason") == reason:
                    end = item.get("end")
                    return (dt.date.fromisoformat(item["start"]),
                            dt.date.fromisoformat(end) if end else None)  # fmt: skip
    return None, None


def _request_entry(case: Case, request: Any, today: dt.date) -> Entry:
    """One Nachforderung: asked (which documents), clocks halted, answered or lapsed, clocks on."""
    german = (translation.get_language() or "de").startswith("de")
    items = ", ".join(item.label_de if german else item.label_en for item in request.items.all())
    asked_on = timezone.localdate(request.created_at)
    closed_on = timezone.localdate(request.closed_at) if request.closed_at else None
    is_open = request.state == "open"
    label = _REQUESTED_BY.get(
        request.requested_by_party, _("Request for documents (Nachforderung)")
    )
    halted_on, resumed_on = _suspension(case, request, asked_on)
    children = [Entry(key="requested", label=str(_("Documents requested")), status="done", date=asked_on,
                      note=items)]  # fmt: skip
    if request.suspended_clocks:
        children.append(
            Entry(key="suspended", label=str(_("Deadline suspended")), status="done",
                  date=halted_on or asked_on, note=_clock_labels(request.suspended_clocks))
        )  # fmt: skip
    if is_open:
        children.append(
            Entry(key="answered", label=str(_("Answer by upload")), status="current",
                  due=request.due_on, due_label=str(_("documents due")),
                  overdue=request.due_on < today)
        )  # fmt: skip
    else:
        answered = request.state == "answered"
        children.append(
            Entry(key=request.state,
                  label=str(_("Answered by upload") if answered else _("Due date passed")),
                  status="done", date=closed_on)
        )  # fmt: skip
        if request.suspended_clocks:
            resumes = resumed_on or closed_on
            # § 14a Abs. 4 Satz 1 BQFG: an early answer leaves the clock halted until the due date.
            ahead = resumes is not None and resumes > today
            children.append(
                Entry(key="resumed", label=str(_("Deadline running again")),
                      status="future" if ahead else "done", date=None if ahead else resumes,
                      due=resumes if ahead else None,
                      note=_clock_labels(request.suspended_clocks))
            )  # fmt: skip
    return Entry(
        key=f"document_request-{request.pk}",
        label=str(label),
        status="current" if is_open else "done",
        date=None if is_open else closed_on,
        due=request.due_on if is_open else None,
        due_label=str(_("documents due")) if is_open else "",
        overdue=is_open and request.due_on < today,
        note=request.reason,
        children=children,
    )


def _steps(case: Case, today: dt.date) -> list[Entry]:
    history = _history(case)
    clocks = {view.row.code: view for view in deadlines.views_for(case, today)}

    def due_of(code: str | None) -> tuple[dt.date | None, str, bool]:
        if code is None or code not in clocks:
            return None, "", False
        view = clocks[code]
        return view.due, view.label, view.is_overdue and view.is_open

    ended = case.state in workflow.ENDED and case.state != S.CLOSED
    main_index = _main_index(case, history)
    order = [state for state, _label, _clock in _MAIN]
    gaps: list[Any] | None = None

    def owes_documents() -> bool:
        nonlocal gaps
        if gaps is None:
            gaps = checklist_gaps(case)
        return bool(gaps)

    def is_done(index: int, state: str) -> bool:
        if state not in _ONGOING:
            return index <= main_index
        if index >= main_index:  # the work of this state is still going on
            return False
        if state == S.COMPLETENESS_CHECK:
            # Only the chamber's check completes it: the file was forwarded (the gate held) or
            # nothing mandatory is missing; handing the file in with gaps is not a check.
            return main_index >= order.index(S.FORWARDED) or not owes_documents()
        return True

    entries: list[Entry] = []
    current_given = ended
    for index, (state, label, clock_code) in enumerate(_MAIN):
        status: Status
        if is_done(index, state):
            status = "done"
        elif not current_given:
            status, current_given = "current", True
        else:
            status = "future"
        entry = Entry(key=state, label=str(label), status=status)
        if status == "done":
            entry.date = (
                _left_on(history, state)
                if state in _ONGOING
                else _reached_on(history, "state", (state,))
            )
        else:
            entry.due, entry.due_label, entry.overdue = due_of(clock_code)
        if status == "current":
            early = case.state in (S.ADVICE, S.COLLECTING_DOCUMENTS)
            entry.who = workflow.who_acts(case, owes_documents=owes_documents() if early else None)
        entries.append(entry)
        if state == S.AGREEMENT_CONCLUDED:
            entries.append(_track_entry(case, history, "recognition", due_of))
            entries.append(_track_entry(case, history, "ba", due_of))
    if ended:
        entries.append(
            Entry(
                key=case.state,
                label=str(case.get_state_display()),
                status="ended",
                date=_reached_on(history, "state", (case.state,)),
                note=case.end_reason,
            )
        )
    return entries


def _left_on(history: list[CaseTransition], state: str) -> dt.date | None:
    """The day the case last moved on from ``state`` (the work of that state was done)."""
    days = [t.occurred_on for t in history if t.track == "state" and t.from_state == state]
    return days[-1] if days else None


def _main_index(case: Case, history: list[CaseTransition]) -> int:
    """Index in _MAIN of the furthest state the case has reached on its current path."""
    order = [state for state, _label, _clock in _MAIN]
    if case.state in order:
        return order.index(case.state)
    if case.state == S.RETURNED:
        return order.index(S.FORWARDED)
    # An end: the last main-line state the history reached.
    reached = [
        order.index(t.to_state) for t in history if t.track == "state" and t.to_state in order
    ]
    return max(reached, default=0)


def _track_entry(case: Case, history: list[CaseTransition], track: str, due_of: Any) -> Entry:
    if track == "recognition":
        current, order, steps, field_name = (
            case.recognition_state,
            _RECOGNITION_ORDER,
            _RECOGNITION,
            "recognition_state",
        )
        label = str(case.get_recognition_kind_display() or _("Recognition"))
        not_required: str = R.NOT_REQUIRED
    else:
        current, order, steps, field_name = case.ba_state, _BA_ORDER, _BA, "ba_state"
        label = str(_("Approval of the Federal Employment Agency"))
        not_required = B.NOT_REQUIRED
    if current == not_required:
        return Entry(key=track, label=label, status="skipped",
                     note=str(_("Not needed for this title: skipped.")))  # fmt: skip
    position = order.index(current) if current in order else 0
    running = case.state == S.AGREEMENT_CONCLUDED
    children: list[Entry] = []
    first_open = True
    for states, step_label, clock_code in steps:
        reached = (
            current not in (R.PENDING, B.PENDING)
            and min(order.index(s) for s in states) <= position
        )
        child = Entry(key=states[0], label=str(step_label), status="future")
        if reached:
            child.status = "done"
            child.date = _reached_on(history, field_name, states)
            if len(states) > 1:
                child.note = str(_choice_label(case, field_name))
            if B.DEEMED_APPROVED in states and current == B.DEEMED_APPROVED:
                # The fiction took effect at the end of the BA week, not on the day it was
                # confirmed (§ 36 Abs. 2 Satz 2 BeschV).
                child.date = _deemed_on(case) or child.date
        else:
            child.due, child.due_label, child.overdue = due_of(clock_code)
            if first_open and running:
                child.status = "current"
            first_open = False
        children.append(child)
    done = all(c.status == "done" for c in children)
    status: Status = (
        "done" if done else ("current" if case.state == S.AGREEMENT_CONCLUDED else "future")
    )
    note = str(_choice_label(case, field_name))
    return Entry(key=track, label=label, status=status, note=note, children=children,
                 date=children[-1].date if done else None)  # fmt: skip


def _deemed_on(case: Case) -> dt.date | None:
    answered = [a for a in case.ba_approvals.all() if a.outcome == BaOutcome.DEEMED]
    return max((a.answered_on for a in answered if a.answered_on), default=None)


def _choice_label(case: Case, field_name: str) -> Any:
    return getattr(case, f"get_{field_name}_display")()
