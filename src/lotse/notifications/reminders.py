"""Reminders before statutory deadlines, escalation of passed ones, and missing documents.

``reminders_scan`` runs periodically (``lotse scheduler``). For every open clock with a due
date it reminds the acting party ``LOTSE_REMINDER_WORKING_DAYS`` working days before (BW
calendar of ``lotse.clocks``), and once the date has passed it tells the party and its leads.
For a file still collecting documents it reminds the company and the worker every
``LOTSE_MISSING_DOCUMENTS_DAYS`` days. A ``Reminder`` row is written first for each (clock,
level) or (case, level); its unique constraint lets only one of two concurrent scans send it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from lotse import clocks as engine
from lotse.accounts.models import User
from lotse.audit.services import audit_record
from lotse.cases.models import Case, CaseClock, CaseState, CaseTransition
from lotse.notifications.models import Kind, Party, Reminder
from lotse.notifications.recipients import leads_of
from lotse.notifications.services import missing_items, notification_emit

# Which party of the case acts (or follows up) when a clock runs against someone.
# The recognition body and the BA are outside Lotse: the ABH, which asked them, follows up.
ACTING: dict[str, frozenset[str]] = {
    "abh": frozenset({Party.AUTHORITY}),
    "recognition_body": frozenset({Party.AUTHORITY}),
    "ba": frozenset({Party.AUTHORITY}),
    "mission": frozenset({Party.COMPANY, Party.WORKER}),
    "worker": frozenset({Party.COMPANY, Party.WORKER}),
    "employer": frozenset({Party.COMPANY}),
}
REMINDED_KINDS = ("deadline", "validity")


@dataclass
class ScanResult:
    reminders: int = 0
    overdue: int = 0
    missing: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"reminders": self.reminders, "overdue": self.overdue, "missing": self.missing}


def _claim(*, case: Case, clock: CaseClock | None, level: str, due_on: dt.date | None) -> bool:
    """Record that the reminder goes out; False when some scan recorded it already."""
    try:
        with transaction.atomic():
            Reminder.objects.create(case=case, clock=clock, level=level, due_on=due_on)
    except IntegrityError:
        return False
    return True


def _levels(today: dt.date, due: dt.date) -> list[str]:
    """The levels reached on ``today``, most urgent first."""
    if due < today:
        return ["overdue"]
    left = engine.working_days_between(today, due)
    return [f"before_{n}" for n in sorted(settings.LOTSE_REMINDER_WORKING_DAYS) if left <= n]


@transaction.atomic
def _remind_clock(row: CaseClock, today: dt.date, result: ScanResult) -> None:
    definition = engine.clock(row.code)
    if definition.kind not in REMINDED_KINDS or row.due_on is None:
        return
    levels = _levels(today, row.due_on)
    if not levels:
        return
    # Claim every level reached; only the most urgent newly claimed one is sent (a scheduler
    # that was down for days sends one reminder, not three).
    claimed = [
        level
        for level in levels
        if _claim(case=row.case, clock=row, level=f"{level}@{row.due_on}", due_on=row.due_on)
    ]
    if not claimed:
        return
    level = claimed[0]
    parties = ACTING.get(definition.runs_against, frozenset({Party.COMPANY}))
    context = {
        "clock": row.code,
        "due_on": row.due_on.isoformat(),
        "level": level,
        "legal_basis": definition.legal_basis,
    }
    leads: list[User] = []
    if level == "overdue":
        for party in parties:
            leads.extend(leads_of(party, row.case))
        result.overdue += 1
    else:
        result.reminders += 1
    kind = Kind.STEP_OVERDUE if level == "overdue" else Kind.DEADLINE_REMINDER
    notification_emit(
        kind=kind, case=row.case, actor=None, parties=parties, users=leads, context=context
    )
    audit_record(
        actor=None,
        action="reminder.sent",
        obj=row.case,
        concerns=[row.case.company, row.case.chamber, row.case.authority],
        after={"clock": row.code, "level": level, "due_on": row.due_on.isoformat()},
    )


def _collecting_since(case: Case) -> dt.date:
    last = (
        CaseTransition.objects.filter(case=case, to_state=CaseState.COLLECTING_DOCUMENTS)
        .order_by("-recorded_at", "-pk")
        .values_list("occurred_on", flat=True)
        .first()
    )
    return last or timezone.localtime(case.created_at).date()


@transaction.atomic
def _remind_missing(case: Case, today: dt.date, result: ScanResult) -> None:
    every = int(settings.LOTSE_MISSING_DOCUMENTS_DAYS)
    since = _collecting_since(case)
    periods = (today - since).days // every
    if periods < 1:
        return
    missing = missing_items(case)
    if not missing:
        return
    if not _claim(case=case, clock=None, level=f"missing@{since}#{periods}", due_on=None):
        return
    notification_emit(
        kind=Kind.DOCUMENTS_MISSING,
        case=case,
        actor=None,
        context={"missing": missing, "days": (today - since).days},
    )
    audit_record(
        actor=None,
        action="reminder.sent",
        obj=case,
        concerns=[case.company, case.chamber],
        after={"level": "missing", "days": (today - since).days},
    )
    result.missing += 1


def reminders_scan(*, today: dt.date | None = None) -> ScanResult:
    """One pass over the open clocks and the files still collecting documents."""
    today = today or timezone.localdate()
    result = ScanResult()
    clocks = (
        CaseClock.objects.filter(stopped_on__isnull=True, due_on__isnull=False)
        .select_related("case", "case__company", "case__chamber", "case__authority")
        .order_by("due_on", "pk")
    )
    for row in clocks:
        _remind_clock(row, today, result)
    collecting = Case.objects.filter(state=CaseState.COLLECTING_DOCUMENTS).select_related(
        "company", "chamber", "authority", "advisor"
    )
    for case in collecting:
        _remind_missing(case, today, result)
    return result
