"""Reads on cases: the workbench lists, the deadline board, one case with everything it shows.

Every list takes a constant number of queries however many cases it holds: the parties come
with ``select_related``, the open clocks with one prefetch, and the rest is computed in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from lotse.access import cases_visible_to
from lotse.cases import deadlines, workflow
from lotse.cases.models import (
    BaState,
    Case,
    CaseClock,
    CaseState,
    ChecklistItem,
)
from lotse.clocks import ClockStatus

if TYPE_CHECKING:
    from lotse.accounts.models import User


def _open_clocks() -> Prefetch[Any]:
    return Prefetch(
        "clocks",
        queryset=CaseClock.objects.filter(stopped_on__isnull=True).order_by("due_on", "id"),
        to_attr="open_clocks",
    )


def _for_lists(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("company", "site", "chamber", "advisor", "authority")


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    company: int | None = None
    advisor: int | None = None
    overdue: bool = False
    open_only: bool = False
    query: str = ""


def case_list_for(*, user: User, filters: CaseFilters | None = None,
                  today: dt.date | None = None) -> QuerySet[Case]:  # fmt: skip
    """The cases the user may see, filtered, the most urgent first."""
    filters = filters or CaseFilters()
    today = today or timezone.localdate()
    cases = _for_lists(cases_visible_to(user=user))
    if filters.state:
        cases = cases.filter(state=filters.state)
    if filters.company:
        cases = cases.filter(company_id=filters.company)
    if filters.advisor:
        cases = cases.filter(advisor_id=filters.advisor)
    if filters.open_only:
        cases = cases.exclude(state__in=workflow.ENDED)
    if filters.query:
        cases = cases.filter(
            Q(reference__icontains=filters.query)
            | Q(worker_surname__icontains=filters.query)
            | Q(worker_given_names__icontains=filters.query)
        )
    if filters.overdue:
        cases = cases.filter(Exists(_overdue_clocks(today).filter(case=OuterRef("pk"))))
    return (
        cases.annotate(next_due=Min("clocks__due_on", filter=Q(clocks__stopped_on__isnull=True)))
        .prefetch_related(_open_clocks())
        .order_by(F("next_due").asc(nulls_last=True), "-updated_at", "-id")
    )


def _overdue_clocks(today: dt.date) -> QuerySet[CaseClock]:
    # A deadline is overdue the day after its due date; validity and fiction clocks never are.
    return CaseClock.objects.filter(stopped_on__isnull=True, kind="deadline", due_on__lt=today)


@dataclass(frozen=True)
class CaseRow:
    """One line of a workbench list."""

    case: Case
    next_steps: list[str]
    who: str
    next_due: ClockStatus | None
    next_due_label: str
    overdue: bool
    deemed: bool


def rows(cases: Iterable[Case], today: dt.date) -> list[CaseRow]:
    result = []
    for case in cases:
        statuses = [(deadlines.status(row, today), row) for row in getattr(case, "open_clocks", [])]
        upcoming = sorted(
            ((s, r) for s, r in statuses if s.due is not None),
            key=lambda pair: pair[0].due or dt.date.max,
        )
        first = upcoming[0] if upcoming else None
        result.append(
            CaseRow(
                case=case,
                next_steps=[str(step.next_label) for step in workflow.next_steps(case)],
                who=workflow.who_acts(case),
                next_due=first[0] if first else None,
                next_due_label=deadlines.definition(first[1].code).label(_lang()) if first else "",
                overdue=any(s.is_overdue for s, _r in statuses),
                deemed=any(
                    s.state == "deemed" and r.code == "ba_deemed_approval" for s, r in statuses
                ),
            )
        )
    return result


def _lang() -> Any:
    return "de" if translation.get_language() == "de" else "en"


def intake_queue(*, user: User) -> QuerySet[Case]:
    """Forwarded files waiting for the ABH's intake decision, oldest first."""
    return (
        _for_lists(cases_visible_to(user=user))
        .filter(state=CaseState.FORWARDED)
        .prefetch_related(_open_clocks())
        .order_by("forwarded_at", "id")
    )


@dataclass(frozen=True)
class BoardEntry:
    case: Case
    clock: CaseClock
    status: ClockStatus
    label: str


@dataclass(frozen=True)
class DeadlineBoard:
    overdue: list[BoardEntry]
    due_this_week: list[BoardEntry]
    deemed_to_confirm: list[BoardEntry]


def deadline_board(*, user: User, today: dt.date) -> DeadlineBoard:
    """The open clocks of the user's cases that need attention: overdue, due in the next seven
    days (a Sunday still sees Wednesday's deadline), deemed."""
    end_of_week = today + dt.timedelta(days=7)
    clocks = (
        CaseClock.objects.filter(
            stopped_on__isnull=True,
            case__in=cases_visible_to(user=user).exclude(state__in=workflow.ENDED),
        )
        .filter(Q(due_on__lte=end_of_week) | Q(due_on__isnull=True))
        .select_related("case", "case__company", "case__chamber", "case__authority", "case__site")
        .order_by("due_on", "id")
    )
    overdue, week, deemed = [], [], []
    language = _lang()
    for row in clocks:
        status = deadlines.status(row, today)
        entry = BoardEntry(row.case, row, status, deadlines.definition(row.code).label(language))
        if status.state == "deemed" and row.case.ba_state == BaState.REQUESTED:
            deemed.append(entry)
        elif status.is_overdue:
            overdue.append(entry)
        elif status.due is not None and today <= status.due <= end_of_week:
            week.append(entry)
    return DeadlineBoard(overdue, week, deemed)


def case_detail_queryset(*, user: User) -> QuerySet[Case]:
    return (
        cases_visible_to(user=user)
        .select_related("company", "site", "chamber", "advisor", "authority", "recognition_body")
        .prefetch_related(
            "transitions",
            "clocks",
            Prefetch("checklist", queryset=ChecklistItem.objects.select_related(
                "checked_by", "paper_original_seen_by")),
            "family_members",
            "recognitions__body",
            "ba_approvals",
            "preapprovals",
            "visas",
        )
    )  # fmt: skip


DASHBOARD_ROWS = 20


def dashboard_context(*, user: User, today: dt.date) -> dict[str, Any]:
    """What the overview page shows of the cases: the first rows of the workbench, and for an
    immigration office its intake queue and deadline board."""
    if user.is_authority_user:
        queue = list(intake_queue(user=user)[:DASHBOARD_ROWS])
        return {
            "case_rows": rows(queue, today),
            "case_count": intake_queue(user=user).count(),
            "board": deadline_board(user=user, today=today),
        }
    cases = case_list_for(user=user, filters=CaseFilters(open_only=True), today=today)
    return {
        "case_rows": rows(cases[:DASHBOARD_ROWS], today),
        "case_count": cases.count(),
    }
