"""The statutory clocks of a case, on top of ``lotse.clocks`` (the engine; no second one here).

A workflow step emits clock *events* (the event codes of ``clocks.toml``: a clock starts on its
``starts_on`` event and stops on its ``stops_on`` event). Suspensions (documents or information
requested) and extensions (with a reason) are stored on the ``CaseClock`` row; ``due_on`` is
recomputed on every change so that boards can filter in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import translation

from lotse import clocks as engine
from lotse.cases import counters
from lotse.cases.models import LIST_DUE_NONE, Case, CaseClock, board_parties
from lotse.clocks import Clock, ClockStatus, Extension, Suspension

# Which open clocks a "documents/information requested" step halts, by the step's track.
SUSPENDED_BY: dict[str, tuple[str, ...]] = {
    "recognition": ("recognition_decision", "comparability_statement"),
    "ba": ("ba_deemed_approval",),
}


def definition(code: str) -> Clock:
    return engine.clock(code)


def _suspensions(row: CaseClock) -> list[Suspension]:
    return [
        Suspension(
            dt.date.fromisoformat(item["start"]),
            dt.date.fromisoformat(item["end"]) if item.get("end") else None,
        )
        for item in row.suspensions
    ]


def _extensions(row: CaseClock) -> list[Extension]:
    return [Extension(int(item["days"]), item["unit"], item["reason"]) for item in row.extensions]


def recompute(row: CaseClock) -> None:
    row.due_on = engine.compute_due(
        definition(row.code),
        row.started_on,
        suspensions=_suspensions(row),
        extensions=_extensions(row),
    )


def refresh_list_due(case: Case) -> None:
    """Store what the lists and the board read of the case's open clocks (no per-request work).

    On the case: the earliest due day of its open clocks (the list sort key) and of its open
    deadlines (the overdue filter). On each open clock: the parties whose board shows it. Called
    after every clock change and when the file is forwarded; the case in memory gets the values
    too, so that a later full ``save()`` of it does not write back stale ones.
    """
    found = case.clocks.filter(stopped_on__isnull=True).aggregate(
        first=Min("due_on"), deadline=Min("due_on", filter=Q(kind="deadline"))
    )
    case.list_due_on = found["first"] or LIST_DUE_NONE
    case.deadline_due_on = found["deadline"] or LIST_DUE_NONE
    Case.objects.filter(pk=case.pk).update(
        list_due_on=case.list_due_on, deadline_due_on=case.deadline_due_on
    )
    case.clocks.filter(stopped_on__isnull=True).update(**board_parties(case))
    transaction.on_commit(counters.changed)


# The same values for many cases at once, as set-based SQL (the migration's backfill, the volume
# seed and rows written past the services): %(cases)s narrows it to a set of case ids.
REBUILD_SQL = (
    "UPDATE cases_case SET list_due_on = COALESCE((SELECT MIN(c.due_on) FROM cases_caseclock c "
    "WHERE c.case_id = cases_case.id AND c.stopped_on IS NULL), '9999-12-31'), "
    "deadline_due_on = COALESCE((SELECT MIN(c.due_on) FROM cases_caseclock c "
    "WHERE c.case_id = cases_case.id AND c.stopped_on IS NULL AND c.kind = 'deadline'), "
    "'9999-12-31') WHERE %(cases)s",
    "UPDATE cases_caseclock SET "
    "board_company_id = (SELECT k.company_id FROM cases_case k WHERE k.id = case_id), "
    "board_chamber_id = (SELECT k.chamber_id FROM cases_case k WHERE k.id = case_id), "
    "board_authority_id = (SELECT CASE WHEN k.forwarded_at IS NULL THEN NULL ELSE k.authority_id "
    "END FROM cases_case k WHERE k.id = case_id) WHERE stopped_on IS NULL AND %(clocks)s",
)


def rebuild(case_ids: Iterable[int] | None = None) -> None:
    """Recompute the stored values of ``refresh_list_due`` for the given cases (all when None)."""
    with connection.cursor() as cursor:
        if case_ids is None:
            where = {"cases": "1 = 1", "clocks": "1 = 1"}
            params: list[int] = []
            for sql in REBUILD_SQL:
                cursor.execute(sql % where, params)
            return
        ids = list(case_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            where = {"cases": f"id IN ({marks})", "clocks": f"case_id IN ({marks})"}
            for sql in REBUILD_SQL:
                cursor.execute(sql % where, chunk)
    transaction.on_commit(counters.changed)


def halted_by(row: CaseClock, start: dt.date) -> bool:
    """Whether a suspension from ``start`` halts the open clock ``row``: not once its period
    has run out before (the engine counts a late request as no request)."""
    if any(not item.get("end") for item in row.suspensions):
        return True
    late = Suspension(max(start, row.started_on), None)
    return (
        engine.compute_due(
            definition(row.code),
            row.started_on,
            suspensions=[*_suspensions(row), late],
            extensions=_extensions(row),
        )
        is None
    )


def status(row: CaseClock, today: dt.date) -> ClockStatus:
    return engine.clock_status(
        definition(row.code),
        row.started_on,
        today,
        suspensions=_suspensions(row),
        extensions=_extensions(row),
        stopped_on=row.stopped_on,
    )


def _open(case: Case, code: str) -> CaseClock | None:
    return (
        case.clocks.filter(code=code, stopped_on__isnull=True)
        .order_by("-started_on", "-id")
        .first()
    )


def applies(case: Case, item: Clock) -> bool:
    """Whether ``item`` runs for this case: its residence title and its recognition body.

    A clock the law sets only for some titles (the employer's notice of § 4a Abs. 5 Satz 3
    Nr. 3 AufenthG: employment titles) or some bodies (the two-week receipt of § 14a Abs. 2
    BQFG, which RP Stuttgart's health professions do not have) never starts for the others, so
    no overdue flag can show where the law sets no deadline.
    """
    if case.title and not item.applies_to_title(case.title):
        return False
    body = case.recognition_body.code if case.recognition_body is not None else ""
    return not (item.bodies and body and not item.applies_to_body(body))


def apply_events(case: Case, events: Iterable[tuple[str, dt.date]]) -> list[CaseClock]:
    """Start and stop the case's clocks for the given (event code, day) pairs.

    A start event for a clock that is already open resumes it instead (closes its open
    suspension): the recognition file becomes complete again after documents were delivered.
    A clock that does not apply to the case's title or body does not start (``applies``).
    """
    touched: list[CaseClock] = []
    for event, day in events:
        for item in engine.clocks():
            if item.stops_on == event:
                row = _open(case, item.code)
                if row is not None:
                    row.stopped_on = max(day, row.started_on)
                    row.save(update_fields=["stopped_on"])
                    touched.append(row)
        for item in engine.clocks():
            if item.starts_on == event and applies(case, item):
                row = _open(case, item.code)
                if row is not None and item.suspendable:
                    touched.extend(resume(case, (item.code,), day))
                    continue
                if row is not None:
                    # A second start of a non-suspendable clock replaces the first.
                    row.stopped_on = day
                    row.save(update_fields=["stopped_on"])
                new = CaseClock(case=case, code=item.code, started_on=day, kind=item.kind)
                recompute(new)
                new.save()
                touched.append(new)
    if touched:
        refresh_list_due(case)
    return touched


def close_moot(case: Case, codes: Iterable[str] | None, day: dt.date) -> list[CaseClock]:
    """Stop the open clocks among ``codes`` (all when None) whose purpose ended on ``day``.

    A clock whose awaited act can no longer come (the employer's invitation once the
    pre-approval is issued, every clock once the case has ended) must not show as a next date.
    """
    rows = case.clocks.filter(stopped_on__isnull=True)
    if codes is not None:
        rows = rows.filter(code__in=list(codes))
    touched = []
    for row in rows:
        row.stopped_on = max(day, row.started_on)
        row.save(update_fields=["stopped_on"])
        touched.append(row)
    if touched:
        refresh_list_due(case)
    return touched


def suspend(case: Case, codes: Sequence[str], start: dt.date, reason: str) -> list[CaseClock]:
    """Halt the open clocks among ``codes`` from ``start`` (Fristhemmung)."""
    touched = []
    for code in codes:
        row = _open(case, code)
        if row is None or any(not item.get("end") for item in row.suspensions):
            continue
        row.suspensions = [
            *row.suspensions,
            {"start": max(start, row.started_on).isoformat(), "end": None, "reason": reason},
        ]
        recompute(row)
        row.save(update_fields=["suspensions", "due_on"])
        touched.append(row)
    if touched:
        refresh_list_due(case)
    return touched


def resume(case: Case, codes: Sequence[str], end: dt.date) -> list[CaseClock]:
    """Close the open suspension of the open clocks among ``codes`` on ``end``."""
    touched = []
    for code in codes:
        row = _open(case, code)
        if row is None:
            continue
        items: list[dict[str, Any]] = []
        changed = False
        for item in row.suspensions:
            if not item.get("end"):
                start = dt.date.fromisoformat(item["start"])
                item = {**item, "end": max(end, start).isoformat()}
                changed = True
            items.append(item)
        if changed:
            row.suspensions = items
            recompute(row)
            row.save(update_fields=["suspensions", "due_on"])
            touched.append(row)
    if touched:
        refresh_list_due(case)
    return touched


def extend(row: CaseClock, *, days: int, unit: str, reason: str) -> CaseClock:
    """Lengthen a clock by ``days`` ``unit`` with a reason (§ 190 BGB: from the previous end)."""
    Extension(days, unit, reason)  # type: ignore[arg-type]  # validates the values
    row.extensions = [*row.extensions, {"days": days, "unit": unit, "reason": reason}]
    recompute(row)
    row.save(update_fields=["extensions", "due_on"])
    refresh_list_due(row.case)
    return row


def open_clock(case: Case, code: str) -> CaseClock | None:
    """The open clock ``code`` of a case from its prefetched clocks (no query when prefetched)."""
    rows = [r for r in case.clocks.all() if r.code == code and r.stopped_on is None]
    return max(rows, key=lambda r: (r.started_on, r.pk or 0)) if rows else None


@dataclass(frozen=True)
class ClockView:
    """A clock as the workbenches and the API show it."""

    row: CaseClock
    definition: Clock
    status: ClockStatus

    @property
    def label(self) -> str:
        return self.definition.label("de" if translation.get_language() == "de" else "en")

    @property
    def state(self) -> str:
        return self.status.state

    @property
    def due(self) -> dt.date | None:
        return self.status.due

    @property
    def is_overdue(self) -> bool:
        return self.status.is_overdue

    @property
    def is_open(self) -> bool:
        return self.row.stopped_on is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.row.pk,
            "code": self.row.code,
            "label": self.label,
            "kind": self.definition.kind,
            "legal_basis": self.definition.legal_basis,
            "runs_against": self.definition.runs_against,
            "binding": self.definition.binding,
            "started_on": self.row.started_on,
            "stopped_on": self.row.stopped_on,
            "due_on": self.status.due,
            "state": self.status.state,
            "days_left": self.status.days_left,
            "working_days_left": self.status.working_days_left,
            "late": self.status.late,
            "suspensions": self.row.suspensions,
            "extensions": self.row.extensions,
        }


def visa_appointment(case: Case, today: dt.date) -> ClockStatus | None:
    """§ 31a Abs. 1 AufenthV for the case's latest appointment request, or None before one.

    Read from the recorded visa application and pre-approval (prefetched on the case page), not
    from the clock row: the clock runs from the later of the request and the pre-approval and is
    met only by an appointment date inside the three weeks, which the row cannot tell apart from
    a case that ended while the request was open.
    """
    visas = list(case.visas.all())
    preapprovals = list(case.preapprovals.all())
    if not visas or not preapprovals:
        return None
    visa = max(visas, key=lambda v: (v.appointment_requested_on, v.pk or 0))
    preapproval = max(preapprovals, key=lambda p: (p.issued_on, p.pk or 0))
    return engine.visa_appointment_status(
        requested_on=visa.appointment_requested_on,
        preapproval_on=preapproval.issued_on,
        appointment_on=visa.appointment_on,
        today=today,
    )


def views_for(case: Case, today: dt.date) -> list[ClockView]:
    """Every clock of the case with its status today (uses prefetched ``clocks`` if present).

    The latest visa appointment clock shows ``visa_appointment`` (an appointment months away
    is overdue, however quickly it was offered).
    """
    rows = sorted(case.clocks.all(), key=lambda r: (r.started_on, r.pk or 0))
    visa_rows = [r for r in rows if r.code == "visa_appointment"]
    visa = visa_appointment(case, today) if visa_rows else None
    result = []
    for row in rows:
        row_status = status(row, today)
        if visa is not None and row is visa_rows[-1]:
            row_status = visa
        result.append(ClockView(row, definition(row.code), row_status))
    return result
