"""Reading the machine: who may take which step, what comes next, who acts now."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext

from lotse.access import case_party
from lotse.cases import deadlines
from lotse.cases.models import (
    Case,
)
from lotse.cases.workflow.base import (
    AWAIT_BA,
    AWAIT_BODY,
    AWAIT_WORKER,
    ENDED,
    B,
    GuardFailedError,
    NotYourStepError,
    R,
    S,
    Step,
    StepRefusedError,
    WrongStateError,
    party_labels,
    state_label,
    track_state,
)
from lotse.cases.workflow.guards import ba_result_in, recognition_result_in
from lotse.cases.workflow.steps import STEP_BY_NAME, STEPS

if TYPE_CHECKING:
    from lotse.accounts.models import User


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
            % {"step": step.label, "state": state_label(step.track, current)},
        )
    for guard in step.guards:
        message = guard.check(case, today)
        if message is not None:
            return GuardFailedError(f"guard_failed:{guard.code}", message)
    return None


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
    # Each track's state read once (a list asks this for every row; each read of an FSM field
    # goes through its descriptor).
    current: dict[str, str] = {}
    concluded = case.state == S.AGREEMENT_CONCLUDED
    for step in STEPS:
        if step.kind != "forward" or step.track in tracks_seen:
            continue
        value = current.get(step.track)
        if value is None:
            value = current[step.track] = str(getattr(case, step.track))
        if value not in step.sources:
            continue
        if step.track != "state" and not concluded:
            continue
        if step.name == "ba_approve" and _ba_week_over(case):
            step = STEP_BY_NAME["ba_confirm_deemed"]
        tracks_seen.add(step.track)
        found.append(step)
    if concluded:
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
        recognition_result_in(case, dt.date.min) is None and ba_result_in(case, dt.date.min) is None
    )


# While the file is put together, the company and the worker owe its documents.
COLLECTING_STATES = frozenset({S.ADVICE, S.COLLECTING_DOCUMENTS})


def who_acts(
    case: Case, owes_documents: bool | None = None, steps: list[Step] | None = None
) -> str:
    """Who must act now, in words: the party or the outside body awaited.

    At the start the company and the worker are named while they owe documents
    (``owes_documents``; a list that does not know assumes they do until the file is handed in).
    """
    if case.state in ENDED:
        return ""
    # A list that already has the case's next steps passes them (``steps``).
    steps = next_steps(case) if steps is None else steps
    if case.state in COLLECTING_STATES and owes_documents is not False:
        owing = [party_labels(frozenset({"company"})), str(AWAIT_WORKER)]
        others = [party_labels(s.parties - {"company"}) for s in steps if s.parties - {"company"}]
        if case.state == S.COLLECTING_DOCUMENTS:
            others = []  # the company (with the chamber's help) hands the documents in
        return "; ".join(dict.fromkeys([*others, *owing]))
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


def history_label(action: str) -> str:
    """A history row's step as an event in the past tense ("create" is the start of the case)."""
    step = STEP_BY_NAME.get(action)
    return str(step.done_label) if step is not None else gettext("Case started")


def is_ended(case: Case) -> bool:
    return case.state in ENDED


def recognition_required_initially(kind: str) -> str:
    return R.PENDING if kind else R.NOT_REQUIRED


def ba_required_initially(required: bool) -> str:
    return B.PENDING if required else B.NOT_REQUIRED
