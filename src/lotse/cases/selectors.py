"""Reads on cases: the workbench lists, the deadline board, one case with everything it shows.

Every list takes a constant number of queries however many cases it holds: the parties come
with ``select_related``, the open clocks with one prefetch, and the rest is computed in Python.
Every list is a keyset page (``Page``: a cursor, never an offset or a full count) along an
index that matches its filter and order, so a page costs the same at 10,000 and 1,000,000 cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from lotse.access import cases_visible_to, companies_visible_to, open_clocks_visible_to
from lotse.cases import counters, deadlines, workflow
from lotse.cases.models import (
    Case,
    CaseClock,
    CaseState,
    ChecklistItem,
    RecognitionProcedure,
)
from lotse.clocks import ClockStatus
from lotse.documents.selectors import case_documents

if TYPE_CHECKING:
    from lotse.accounts.models import User


def open_clocks() -> Prefetch[Any]:
    """The prefetch of a list's open clocks (``case.open_clocks``, for ``rows``)."""
    return _open_clocks()


def _open_clocks() -> Prefetch[Any]:
    return Prefetch(
        "clocks",
        queryset=CaseClock.objects.filter(stopped_on__isnull=True).order_by("due_on", "id"),
        to_attr="open_clocks",
    )


def _for_lists(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("company", "site", "chamber", "advisor", "authority").only(
        *LIST_FIELDS
    )


# What a list row (``rows``, cases/_case_table.html) and the API's case (``CaseOut``) show of
# the parties: every column of the case, of its parties only the names (and the site's
# address). The parties' other columns (~70) cost more CPU to read and build than the case
# itself; tests/cases/test_queries.py checks that the pages and the API read nothing more.
LIST_FIELDS = (
    *(f.name for f in Case._meta.concrete_fields),
    "company__name", "site__label", "site__postcode", "site__municipality", "chamber__name",
    "authority__name", "advisor__full_name", "advisor__email",
)  # fmt: skip


@dataclass(frozen=True)
class CaseFilters:
    state: str = ""
    company: int | None = None
    advisor: int | None = None
    overdue: bool = False
    open_only: bool = False
    query: str = ""


# The workbench lists' order: the most urgent first (the stored next due day), then the most
# recently changed; the indexes of lotse.cases.models.Case match it column for column.
LIST_ORDER = ("list_due_on", "-updated_at", "-id")
# Rows of a workbench page (KERN tables: 25, then "Next page"); the cost of a page is its rows.
PAGE_SIZE = 25


class CursorError(ValueError):
    """A ``cursor`` that this server did not hand out (or for another list)."""


def _cursor_out(kind: str, values: list[Any]) -> str:
    return signing.dumps([kind, *values], salt=_CURSOR_SALT, compress=False)


def _cursor_in(kind: str, token: str, size: int) -> list[Any]:
    try:
        data = signing.loads(token, salt=_CURSOR_SALT)
    except signing.BadSignature:
        raise CursorError(kind) from None
    if not isinstance(data, list) or len(data) != size + 1 or data[0] != kind:
        raise CursorError(kind)
    return data[1:]


_CURSOR_SALT = "lotse.cases.selectors.cursor"


@dataclass(frozen=True)
class Page:
    """One page of a keyset-paginated list; ``next_cursor`` is empty on the last page.

    ``prev_cursor`` (empty on the first page) is given back as ``before`` for the page that
    precedes this one: both cursors name a row's place in the list order, ``cursor`` reads on
    after it and ``before`` reads back from it.
    """

    items: list[Any]
    next_cursor: str
    prev_cursor: str = ""


def _paged(found: list[Any], size: int, *, cursor: str, before: str,
           place: Any) -> tuple[list[Any], str, str]:  # fmt: skip
    """The page of ``found`` (``size + 1`` rows read in the direction of travel: backwards,
    nearest first, for ``before``) with its next and previous cursors (``place(row)``)."""
    more = len(found) > size
    items = found[:size]
    if before:
        items.reverse()
        prev = place(items[0]) if more and items else ""
        # Going back from a row, the rows from it on follow this page.
        return items, place(items[-1]) if items else "", prev
    return items, place(items[-1]) if more else "", place(items[0]) if cursor and items else ""


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
        cases = cases.filter(_search(filters.query, among=cases))
    if filters.overdue:
        # An overdue deadline is an open deadline due before today (the stored next deadline),
        # so the stored next due day is too: that bound lets the list index skip the others.
        cases = cases.filter(list_due_on__lt=today, deadline_due_on__lt=today)
    return cases.prefetch_related(_open_clocks()).order_by(*LIST_ORDER)


def _search(term: str, *, among: QuerySet[Case]) -> Q:
    """A complete reference finds its case through the unique index. Any other term is a part of
    the reference or of the worker's names (the trigram index on PostgreSQL); at a million cases
    that reads the posting lists of trigrams every reference shares (17-57 ms for a full
    reference, docs/performance.md), while a caseworker mostly pastes the whole reference."""
    reference = term.strip().upper()
    if any(c.isdigit() for c in reference) and among.filter(reference=reference).exists():
        return Q(reference=reference)
    return (
        Q(reference__icontains=term)
        | Q(worker_surname__icontains=term)
        | Q(worker_given_names__icontains=term)
    )


def case_page(*, user: User, filters: CaseFilters | None = None, cursor: str = "",
              before: str = "", size: int = PAGE_SIZE,
              today: dt.date | None = None) -> Page:  # fmt: skip
    """A page of ``case_list_for`` after ``cursor`` or before ``before`` (keyset: no offset, no
    count).

    The order mixes directions (due day ascending, last change descending), so the rows after a
    cursor are two index ranges: the rest of the cursor's due day, then the later due days (read
    backwards for ``before``).
    """
    # The open clocks are fetched once for the whole page below, not once per range.
    base = case_list_for(user=user, filters=filters, today=today).prefetch_related(None)
    token = before or cursor
    if not token:
        found = list(base[: size + 1])
    else:
        due_iso, changed_iso, last_id = _cursor_in("case", token, 3)
        try:
            due = dt.date.fromisoformat(due_iso)
            changed = dt.datetime.fromisoformat(changed_iso)
            last = int(last_id)
        except (TypeError, ValueError):
            raise CursorError("case") from None
        if before:
            back = base.order_by("-list_due_on", "updated_at", "id")
            same_day = back.filter(list_due_on=due, updated_at__gte=changed).filter(
                Q(updated_at__gt=changed) | Q(id__gt=last)
            )
            later = back.filter(list_due_on__lt=due)
        else:
            same_day = base.filter(list_due_on=due, updated_at__lte=changed).filter(
                Q(updated_at__lt=changed) | Q(id__lt=last)
            )
            later = base.filter(list_due_on__gt=due)
        found = list(same_day[: size + 1])
        if len(found) <= size:
            found += list(later[: size + 1 - len(found)])
    items, next_token, prev_token = _paged(found, size, cursor=cursor, before=before,
                                           place=case_cursor)  # fmt: skip
    prefetch_related_objects(items, _open_clocks())
    return Page(items, next_token, prev_token)


def case_cursor(case: Case) -> str:
    """The cursor of the page that follows ``case`` in the list order."""
    return _cursor_out("case", [case.list_due_on.isoformat(), case.updated_at.isoformat(), case.pk])


def company_choices(*, user: User) -> list[tuple[int, str]]:
    """The companies a list may be filtered by: those the user may see (the organisation table,
    never a scan of the cases), cached until the next change."""
    return counters.cached(
        "companies",
        (user.organisation_id, user.role),
        lambda: [
            (pk, name)
            for pk, name in companies_visible_to(user=user)
            .order_by("name")
            .values_list("pk", "name")
        ],
    )


@dataclass(frozen=True)
class CaseRow:
    """One line of a workbench list, with what the row shows computed once (the template of
    lotse.cases._case_table renders 20 to 50 of them per page: no URL reversing, date
    formatting or label lookup per row there)."""

    case: Case
    next_steps: list[str]
    who: str
    next_due: ClockStatus | None
    next_due_label: str
    overdue: bool
    deemed: bool
    url: str = ""
    title_label: str = ""
    state_label: str = ""
    # Under the state of a concluded agreement: the recognition and BA tracks.
    recognition_label: str = ""
    ba_label: str = ""
    # The "next date" column: the day (formatted) and what it is.
    date_text: str = ""
    date_note: str = ""


def rows(cases: Iterable[Case], today: dt.date) -> list[CaseRow]:
    result = []
    language = _lang()
    # One reverse for the whole list: the detail URL differs only by the case's number.
    marker = 999_999_999
    detail_url = reverse("cases:detail", args=[marker]).replace(str(marker), "{}")
    forwarded, planned = gettext("forwarded"), gettext("planned start")
    for case in cases:
        statuses = [(deadlines.status(row, today), row) for row in getattr(case, "open_clocks", [])]
        upcoming = sorted(
            ((s, r) for s, r in statuses if s.due is not None),
            key=lambda pair: pair[0].due or dt.date.max,
        )
        first = upcoming[0] if upcoming else None
        steps = workflow.next_steps(case)
        next_due_label = deadlines.definition(first[1].code).label(language) if first else ""
        date_text, date_note = "", ""
        if first is not None and first[0].due is not None:
            date_text, date_note = _short_date(first[0].due), next_due_label
        elif case.state == CaseState.FORWARDED and case.forwarded_at:
            date_text, date_note = _short_date(case.forwarded_at), forwarded
        elif case.planned_start:
            date_text, date_note = _short_date(case.planned_start), planned
        concluded = case.state == CaseState.AGREEMENT_CONCLUDED
        result.append(
            CaseRow(
                case=case,
                next_steps=[str(step.next_label) for step in steps],
                who=workflow.who_acts(case, steps=steps),
                next_due=first[0] if first else None,
                next_due_label=next_due_label,
                overdue=any(s.is_overdue for s, _r in statuses),
                deemed=any(
                    s.state == "deemed" and r.code == "ba_deemed_approval" for s, r in statuses
                ),
                url=detail_url.format(case.pk),
                title_label=case.get_title_display(),
                state_label=case.get_state_display(),
                recognition_label=case.get_recognition_state_display() if concluded else "",
                ba_label=case.get_ba_state_display() if concluded else "",
                date_text=date_text,
                date_note=date_note,
            )
        )
    return result


def _short_date(value: dt.date | dt.datetime) -> str:
    # What the template filter |date:"SHORT_DATE_FORMAT" shows (a datetime in local time).
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def _lang() -> Any:
    return "de" if translation.get_language() == "de" else "en"


def intake_queue(*, user: User) -> QuerySet[Case]:
    """Forwarded files waiting for the ABH's intake decision, oldest first."""
    return (
        _for_lists(cases_visible_to(user=user))
        .filter(state=CaseState.FORWARDED)
        .order_by("forwarded_at", "id")
    )


def intake_page(*, user: User, cursor: str = "", before: str = "",
                size: int = PAGE_SIZE) -> Page:  # fmt: skip
    """A page of the intake queue after ``cursor`` or before ``before`` (keyset on
    forwarded_at, id)."""
    queue = intake_queue(user=user)
    token = before or cursor
    if token:
        forwarded_iso, last_id = _cursor_in("intake", token, 2)
        try:
            forwarded = dt.datetime.fromisoformat(forwarded_iso)
            last = int(last_id)
        except (TypeError, ValueError):
            raise CursorError("intake") from None
        if before:
            queue = (
                queue.filter(forwarded_at__lte=forwarded)
                .filter(Q(forwarded_at__lt=forwarded) | Q(id__lt=last))
                .order_by("-forwarded_at", "-id")
            )
        else:
            queue = queue.filter(forwarded_at__gte=forwarded).filter(
                Q(forwarded_at__gt=forwarded) | Q(id__gt=last)
            )
    found = list(queue[: size + 1])
    items, next_token, prev_token = _paged(found, size, cursor=cursor, before=before,
                                           place=_intake_cursor)  # fmt: skip
    prefetch_related_objects(items, _open_clocks())
    return Page(items, next_token, prev_token)


def _intake_cursor(case: Case) -> str:
    forwarded = case.forwarded_at.isoformat() if case.forwarded_at is not None else ""
    return _cursor_out("intake", [forwarded, case.pk])


def intake_count(*, user: User) -> int:
    """How many files wait for intake, counted up to ``counters.CAP + 1`` and cached."""
    return counters.cached(
        "intake",
        (user.organisation_id, user.role),
        lambda: counters.capped_count(intake_queue(user=user)),
    )


@dataclass(frozen=True)
class BoardEntry:
    case: Case
    clock: CaseClock
    status: ClockStatus
    label: str


BOARD_COLUMNS = ("overdue", "due_this_week", "deemed_to_confirm")
BOARD_ROWS = 50
# What a board entry shows (cases/_board.html) and its clock's status needs: the clock, the
# case's reference, worker and state, the company's name. Reading every column of the case and
# of four parties (~150 columns, ~900 model instances for three columns of 51) was over a third of
# the board's CPU; tests/cases/test_queries.py checks that the pages read nothing more.
BOARD_FIELDS = (
    *(f.name for f in CaseClock._meta.concrete_fields),
    "case__reference", "case__worker_surname", "case__worker_given_names", "case__state",
    "case__ba_state", "case__company", "case__company__name",
)  # fmt: skip


@dataclass(frozen=True)
class DeadlineBoard:
    overdue: list[BoardEntry]
    due_this_week: list[BoardEntry]
    deemed_to_confirm: list[BoardEntry]
    # Per column: the number of entries (capped, see lotse.cases.counters) and the cursor of
    # the column's next page ("" when it has none).
    counts: dict[str, int] = field(default_factory=dict)
    next_cursors: dict[str, str] = field(default_factory=dict)
    prev_cursors: dict[str, str] = field(default_factory=dict)


def _board_column(user: User, column: str, today: dt.date) -> QuerySet[CaseClock]:
    """The open clocks of one board column, read from the stored due days (no clock is
    computed to select them): overdue deadlines, clocks due within seven days (a Sunday still
    sees Wednesday's deadline), BA weeks that passed while the request is still open.

    The parties stored on the clock row (``CaseClock.board_*``) make each column one range of
    its index (``clock_<party>_<column>_idx``) in the column's order, read up to a page, with no
    condition on the case: an open clock belongs to a case that has not ended (ending a case
    stops its clocks), and a BA week that runs (a due day) to a BA request still open (the BA's
    answer stops it, its request for information halts it, a late one is refused), as
    tests/cases/test_open_clock_invariant.py checks over random sequences of steps.
    """
    clocks = open_clocks_visible_to(user=user)
    if column == "overdue":
        clocks = clocks.filter(kind="deadline", due_on__lt=today)
    elif column == "due_this_week":
        clocks = clocks.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=7))
    else:
        clocks = clocks.filter(code="ba_deemed_approval", due_on__lt=today)
    return clocks.order_by("due_on", "id")


def board_column_page(*, user: User, column: str, today: dt.date, cursor: str = "",
                      before: str = "", size: int = BOARD_ROWS) -> Page:  # fmt: skip
    """One page of a board column after ``cursor`` or before ``before`` (keyset on due_on,
    id), as BoardEntry."""
    clocks = _board_column(user, column, today)
    token = before or cursor
    if token:
        due_iso, last_id = _cursor_in(f"board-{column}", token, 2)
        try:
            due = dt.date.fromisoformat(due_iso)
            last = int(last_id)
        except (TypeError, ValueError):
            raise CursorError(column) from None
        if before:
            clocks = (
                clocks.filter(due_on__lte=due)
                .filter(Q(due_on__lt=due) | Q(id__lt=last))
                .order_by("-due_on", "-id")
            )
        else:
            clocks = clocks.filter(due_on__gte=due).filter(Q(due_on__gt=due) | Q(id__gt=last))
    found = list(clocks.select_related("case", "case__company").only(*BOARD_FIELDS)[: size + 1])

    def place(row: CaseClock) -> str:
        due = row.due_on.isoformat() if row.due_on is not None else ""
        return _cursor_out(f"board-{column}", [due, row.pk])

    rows_, next_token, prev_token = _paged(found, size, cursor=cursor, before=before,
                                           place=place)  # fmt: skip
    language = _lang()
    entries = [
        BoardEntry(row.case, row, deadlines.status(row, today),
                   deadlines.definition(row.code).label(language))
        for row in rows_
    ]  # fmt: skip
    return Page(entries, next_token, prev_token)


def deadline_board(*, user: User, today: dt.date, column: str = "", cursor: str = "",
                   before: str = "") -> DeadlineBoard:  # fmt: skip
    """The first page of each column (or the page after ``cursor`` or before ``before`` of
    ``column``), with the columns' capped, cached counts."""
    pages = {
        name: board_column_page(
            user=user,
            column=name,
            today=today,
            cursor=cursor if name == column else "",
            before=before if name == column else "",
        )
        for name in BOARD_COLUMNS
    }
    counts = {
        name: counters.cached(
            f"board-{name}",
            (user.organisation_id, user.role, today.isoformat()),
            lambda name=name: counters.capped_count(_board_column(user, name, today)),  # type: ignore[misc]
        )
        for name in BOARD_COLUMNS
    }
    return DeadlineBoard(
        overdue=pages["overdue"].items,
        due_this_week=pages["due_this_week"].items,
        deemed_to_confirm=pages["deemed_to_confirm"].items,
        counts=counts,
        next_cursors={name: page.next_cursor for name, page in pages.items()},
        prev_cursors={name: page.prev_cursor for name, page in pages.items()},
    )


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
            "ba_approvals",
            "preapprovals",
            "visas",
        )
        # The body with the recognitions (a second prefetch would run once one exists).
        .prefetch_related(
            Prefetch("recognitions", queryset=RecognitionProcedure.objects.select_related("body"))
        )
    )  # fmt: skip


def case_page_queryset(*, user: User) -> QuerySet[Case]:
    """One case as its page shows it: ``case_detail_queryset`` and the documents of its
    checklist (the statuses of lotse.documents.selectors.item_statuses without a query of their
    own). Only for reading: a view that writes loads the case again before showing it."""
    return case_detail_queryset(user=user).prefetch_related(case_documents())


DASHBOARD_ROWS = 20


def dashboard_context(*, user: User, today: dt.date) -> dict[str, Any]:
    """What the overview page shows of the cases: the first rows of the workbench, and for an
    immigration office its intake queue and deadline board. Counts are capped and cached."""
    if user.is_authority_user:
        queue = intake_page(user=user, size=DASHBOARD_ROWS)
        return {
            "case_rows": rows(queue.items, today),
            "case_count": intake_count(user=user),
            "count_cap": counters.CAP,
            "board": deadline_board(user=user, today=today),
        }
    filters = CaseFilters(open_only=True)
    page = case_page(user=user, filters=filters, size=DASHBOARD_ROWS, today=today)
    return {
        "case_rows": rows(page.items, today),
        "case_count": case_count(user=user, filters=filters, today=today),
        "count_cap": counters.CAP,
    }


def case_count(*, user: User, filters: CaseFilters, today: dt.date) -> int:
    """How many cases match, counted up to ``counters.CAP + 1`` and cached."""
    return counters.cached(
        "cases",
        (user.organisation_id, user.role, repr(filters), today.isoformat()),
        lambda: counters.capped_count(case_list_for(user=user, filters=filters, today=today)),
    )


def case_summary_queryset(*, user: User) -> QuerySet[Case]:
    """One case as the API's ``CaseOut`` shows it: the parties and the open clocks (its next
    steps), without the history, checklist and procedures that ``case_detail_queryset`` loads."""
    return _for_lists(cases_visible_to(user=user)).prefetch_related(_open_clocks())
