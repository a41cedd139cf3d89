"""Listing a thousand cases takes as many queries as listing ten, in every workbench and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.cases import deadlines, selectors
from lotse.cases.models import BaState, Case, CaseClock, CaseState, RecognitionState
from tests.cases.conftest import ADV, CA, CW, WORKER, create_case, drive
from tests.conftest import World

STATES = (CaseState.FORWARDED, CaseState.INTAKE_ACCEPTED, CaseState.AGREEMENT_CONCLUDED,
          CaseState.PREAPPROVAL_ISSUED)  # fmt: skip


def _bulk_cases(world: World, count: int) -> None:
    """``count`` forwarded cases with two open clocks each (one overdue), straight into the table."""
    today = dt.date.today()
    site = world.company.sites.get()
    worker = dict(WORKER.items())
    worker["worker_birth_date"] = dt.date(1996, 4, 12)
    worker["worker_passport_expiry"] = dt.date(2032, 1, 31)
    cases = [
        Case(reference=f"LB-2099-{n:05d}", company=world.company, site=site, chamber=world.ihk,
             advisor=world.users[ADV], authority=world.lra, title="18a",
             state=STATES[n % len(STATES)], recognition_state=RecognitionState.INITIATED,
             ba_state=BaState.REQUESTED, forwarded_at=timezone.now(), **worker)
        for n in range(count)
    ]  # fmt: skip
    Case.objects.bulk_create(cases, batch_size=500)
    ids = Case.objects.filter(reference__startswith="LB-2099-").values_list("pk", flat=True)
    clocks = []
    for pk in ids:
        clocks.append(CaseClock(case_id=pk, code="recognition_receipt", kind="deadline",
                                started_on=today - dt.timedelta(days=30),
                                due_on=today - dt.timedelta(days=16)))  # fmt: skip
        clocks.append(CaseClock(case_id=pk, code="ba_deemed_approval", kind="fiction",
                                started_on=today - dt.timedelta(days=2),
                                due_on=today + dt.timedelta(days=5)))  # fmt: skip
    CaseClock.objects.bulk_create(clocks, batch_size=1000)
    # Written past the clock service, so what it stores is set here as the service would.
    deadlines.rebuild(list(ids))
    assert set(Case.objects.filter(pk__in=ids).values_list("list_due_on", flat=True)) == {
        today - dt.timedelta(days=16)
    }


def _queries(action: Callable[[], Any]) -> int:
    # The counters are cached; both runs count them, as the first request after a change does.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx.captured_queries)


def _compare(world: World, action: Callable[[], Any]) -> tuple[int, int]:
    _bulk_cases(world, 10)
    # The first request of a session also settles the second factor once (lotse.accounts.identity):
    # a cost per session, not per case, so it is paid before counting.
    action()
    few = _queries(action)
    _bulk_cases_more(world)
    many = _queries(action)
    return few, many


def _bulk_cases_more(world: World) -> None:
    Case.objects.filter(reference__startswith="LB-2099-").delete()
    _bulk_cases(world, 1000)
    assert Case.objects.count() == 1000


@pytest.mark.parametrize("role", [CA, ADV, CW])
def test_the_workbench_rows_of_1000_cases(world: World, role: str) -> None:
    user = world.users[role]
    today = dt.date.today()

    def listing() -> None:
        cases = list(selectors.case_list_for(user=user, today=today))
        rows = selectors.rows(cases, today)
        assert rows
        assert all(r.overdue for r in rows)

    few, many = _compare(world, listing)
    print(f"QUERIES {role}: 10 cases {few}, 1000 cases {many}")
    assert few == many, f"{role}: {few} queries for 10 cases, {many} for 1000"


@pytest.mark.parametrize("role", [CA, ADV, CW])
def test_the_workbench_pages(world: World, client_for: Callable[..., Client], role: str) -> None:
    client = client_for(world.users[role])

    def pages() -> None:
        for url in (reverse("cases:list"), reverse("cases:list") + "?overdue=on",
                    reverse("web:dashboard"), reverse("cases:deadlines")):  # fmt: skip
            assert client.get(url).status_code == 200

    few, many = _compare(world, pages)
    print(f"QUERIES {role}: 10 cases {few}, 1000 cases {many}")
    assert few == many, f"{role}: {few} queries for 10 cases, {many} for 1000"


def test_the_deadline_board_over_1000_cases(world: World) -> None:
    user = world.users[CW]

    def board() -> None:
        result = selectors.deadline_board(user=user, today=dt.date.today())
        assert result.overdue

    few, many = _compare(world, board)
    print(f"QUERIES board: 10 cases {few}, 1000 cases {many}")
    assert few == many


def test_the_api_lists_1000_cases_in_pages_of_500(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[ADV])

    def page(offset: int) -> int:
        # The API's largest page is 500 (lotse.api.pagination).
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(f"/api/v1/cases?limit=500&offset={offset}").json()
        assert len(body["items"]) == min(500, body["count"] - offset)
        return len(ctx.captured_queries)

    def api() -> None:
        page(0)

    few, many = _compare(world, api)
    print(f"QUERIES api: 10 cases {few}, 1000 cases {many}")
    assert few == many, f"{few} queries for 10 cases, {many} for 1000"
    assert page(0) == page(500) == many  # both pages of the thousand


# The case page reads one case with everything it shows: the session and the user, the case
# with its parties and expected dates, its history, clocks, checklist, documents, family and
# procedures (one query each), the messages with their requests for documents (the timeline's
# and the conversation's); the bell's count comes from the cache after the first page. The chamber also reads its notes and advisors; the
# ABH's recognition step lists the recognition bodies until the recognition is decided. The
# number does not grow with what the case holds (procedures, visas, history).
# (Before: company 17 early / 18 late, chamber 20 / 21, ABH 19 / 19.)
CASE_PAGE_QUERIES = {CA: (13, 13), ADV: (15, 15), CW: (14, 13)}


@pytest.mark.parametrize("role", [CA, ADV, CW])
def test_the_case_page_takes_the_same_few_queries_early_and_late(
    world: World, client_for: Callable[..., Client], role: str
) -> None:
    client = client_for(world.users[role])
    early = drive(world, create_case(world), "accept_intake")
    late = drive(world, create_case(world), "issue_visa")
    assert late.visas.exists()
    assert late.preapprovals.exists()
    assert late.recognitions.exists()
    counts = []
    for case in (early, late):
        url = reverse("cases:detail", args=[case.pk])
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    print(f"QUERIES case page {role}: early {counts[0]}, late {counts[1]}")
    assert tuple(counts) == CASE_PAGE_QUERIES[role]
