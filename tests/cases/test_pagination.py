"""Keyset pages: walking every page yields every visible case exactly once, in the list order.

The volume comes from ``lotse seed_volume`` (lotse.cases.volume), which is tested on the way:
its cases must be valid for the app (their pages render).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.access import cases_visible_to
from lotse.accounts.models import User
from lotse.cases import selectors, volume
from lotse.cases.models import Case, CaseState

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@pytest.fixture
def seeded() -> dict[str, User]:
    volume.seed_volume(cases=160, seed=7)
    users = User.objects.filter(email__endswith=volume.EMAIL_DOMAIN)

    # The busiest party of each kind: enough cases for several pages whatever the generator draws.
    def busiest(cases: Any, field: str) -> int:
        row = cases.values(field).annotate(n=Count("id")).order_by("-n", field).first()
        return int(row[field])

    chamber = busiest(Case.objects.all(), "chamber_id")
    authority = busiest(Case.objects.filter(forwarded_at__isnull=False), "authority_id")
    company = busiest(Case.objects.all(), "company_id")
    return {
        "chamber": users.get(organisation_id=chamber),
        "abh": users.get(organisation_id=authority),
        "company": users.get(organisation_id=company),
    }


def _walk(user: User, filters: selectors.CaseFilters, size: int) -> list[int]:
    seen: list[int] = []
    cursor = ""
    for _ in range(1000):
        page = selectors.case_page(
            user=user, filters=filters, cursor=cursor, size=size, today=TODAY
        )
        assert len(page.items) <= size
        seen += [case.pk for case in page.items]
        if not page.next_cursor:
            return seen
        assert len(page.items) == size
        cursor = page.next_cursor
    raise AssertionError("the pages never end")


@SLOW
@given(
    role=st.sampled_from(["chamber", "abh", "company"]),
    size=st.integers(1, 40),
    state=st.sampled_from(["", CaseState.COLLECTING_DOCUMENTS, CaseState.AGREEMENT_CONCLUDED]),
    open_only=st.booleans(),
    overdue=st.booleans(),
)
def test_walking_the_pages_yields_every_visible_case_once_in_order(
    seeded: dict[str, User], role: str, size: int, state: str, open_only: bool, overdue: bool
) -> None:
    user = seeded[role]
    filters = selectors.CaseFilters(state=state, open_only=open_only, overdue=overdue)
    walked = _walk(user, filters, size)
    expected = [c.pk for c in selectors.case_list_for(user=user, filters=filters, today=TODAY)]
    assert walked == expected
    assert len(set(walked)) == len(walked)
    visible = set(cases_visible_to(user=user).values_list("pk", flat=True))
    assert set(walked) <= visible
    if not (state or open_only or overdue):
        assert set(walked) == visible


def test_the_list_order_is_the_stored_next_due_day_then_the_last_change(
    seeded: dict[str, User],
) -> None:
    cases = list(selectors.case_list_for(user=seeded["chamber"], today=TODAY))
    keys = [(c.list_due_on, -c.updated_at.timestamp(), -c.pk) for c in cases]
    assert keys == sorted(keys)
    assert any(c.list_due_on == Case._meta.get_field("list_due_on").default for c in cases)


@SLOW
@given(size=st.integers(1, 15))
def test_the_intake_queue_and_the_board_columns_page_completely(
    seeded: dict[str, User], size: int
) -> None:
    abh = seeded["abh"]
    seen: list[int] = []
    cursor = ""
    while True:
        page = selectors.intake_page(user=abh, cursor=cursor, size=size)
        seen += [c.pk for c in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [c.pk for c in selectors.intake_queue(user=abh)]
    for column in selectors.BOARD_COLUMNS:
        entries: list[Any] = []
        cursor = ""
        while True:
            board_page = selectors.board_column_page(
                user=abh, column=column, today=TODAY, cursor=cursor, size=size
            )
            entries += [e.clock.pk for e in board_page.items]
            if not board_page.next_cursor:
                break
            cursor = board_page.next_cursor
        assert entries == [c.pk for c in selectors._board_column(abh, column, TODAY)]


def test_a_cursor_of_another_list_or_an_altered_one_is_refused(seeded: dict[str, User]) -> None:
    other = selectors._cursor_out("intake", ["2026-01-01T00:00:00+00:00", 1])
    page = selectors.case_page(user=seeded["chamber"], size=1)
    assert page.next_cursor
    for bad in (other, "garbage", page.next_cursor[:-2] + "xx"):
        with pytest.raises(selectors.CursorError):
            selectors.case_page(user=seeded["abh"], cursor=bad)


def test_the_api_walks_by_cursor_and_keeps_offset(seeded: dict[str, User]) -> None:
    client = Client()
    client.force_login(seeded["chamber"])
    seen: list[int] = []
    url = "/api/v1/cases?limit=7"
    while url:
        body = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        url = f"/api/v1/cases?limit=7&cursor={body['next_cursor']}" if body["next_cursor"] else ""
    expected = [c.pk for c in selectors.case_list_for(user=seeded["chamber"], today=TODAY)]
    assert seen == expected
    offset = client.get("/api/v1/cases?limit=7&offset=7").json()
    assert [item["id"] for item in offset["items"]] == expected[7:14]
    assert offset["count"] == len(expected)
    bad = client.get("/api/v1/cases?cursor=nonsense")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"


def test_the_workbench_pages_render_the_seeded_volume(seeded: dict[str, User]) -> None:
    for role, user in seeded.items():
        client = Client()
        client.force_login(user)
        for url in (reverse("cases:list"), reverse("web:dashboard"), reverse("cases:deadlines")):
            cache.clear()
            assert client.get(url).status_code == 200, (role, url)
        page = client.get(reverse("cases:list"))
        assert page.status_code == 200
        following = client.get(reverse("cases:list") + "?cursor=altered")
        assert following.status_code == 200  # the first page, with a message
    chamber = Client()
    chamber.force_login(seeded["chamber"])
    for state in CaseState.values:
        case = Case.objects.filter(state=state, chamber=seeded["chamber"].organisation).first()
        if case is not None:
            assert chamber.get(reverse("cases:detail", args=[case.pk])).status_code == 200, state


# --- h/plans (issue 12): going back with `before` -------------------------------------------


def _pages_forward(fetch: Any) -> list[Any]:
    pages = [fetch(cursor="", before="")]
    while pages[-1].next_cursor:
        pages.append(fetch(cursor=pages[-1].next_cursor, before=""))
    return pages


def _assert_back_matches(fetch: Any, key: Any) -> None:
    """From the last page, ``prev_cursor`` as ``before`` gives every earlier page again, each
    with the cursors that lead on, and the first page has no previous one."""
    pages = _pages_forward(fetch)
    assert pages[0].prev_cursor == ""
    page = pages[-1]
    for expected in reversed(pages[:-1]):
        assert page.prev_cursor, "a page after the first one leads back"
        page = fetch(cursor="", before=page.prev_cursor)
        assert [key(item) for item in page.items] == [key(item) for item in expected.items]
        assert page.next_cursor
        forward = fetch(cursor=page.next_cursor, before="")
        assert [key(i) for i in forward.items] == [
            key(i) for i in pages[pages.index(expected) + 1].items
        ]
    assert page.prev_cursor == ""


@SLOW
@given(
    role=st.sampled_from(["chamber", "abh", "company"]),
    size=st.integers(1, 40),
    overdue=st.booleans(),
)
def test_the_previous_pages_of_the_case_list_are_the_pages_walked_forward(
    seeded: dict[str, User], role: str, size: int, overdue: bool
) -> None:
    filters = selectors.CaseFilters(overdue=overdue)

    def fetch(*, cursor: str, before: str) -> selectors.Page:
        return selectors.case_page(user=seeded[role], filters=filters, cursor=cursor,
                                   before=before, size=size, today=TODAY)  # fmt: skip

    _assert_back_matches(fetch, key=lambda case: case.pk)


@SLOW
@given(size=st.integers(1, 15))
def test_the_intake_queue_and_the_board_columns_page_back(
    seeded: dict[str, User], size: int
) -> None:
    abh = seeded["abh"]

    def intake(*, cursor: str, before: str) -> selectors.Page:
        return selectors.intake_page(user=abh, cursor=cursor, before=before, size=size)

    _assert_back_matches(intake, key=lambda case: case.pk)
    for column in selectors.BOARD_COLUMNS:

        def board(*, cursor: str, before: str, column: str = column) -> selectors.Page:
            return selectors.board_column_page(user=abh, column=column, today=TODAY,
                                               cursor=cursor, before=before, size=size)  # fmt: skip

        _assert_back_matches(board, key=lambda entry: entry.clock.pk)


def test_the_api_pages_back_with_before(seeded: dict[str, User]) -> None:
    client = Client()
    client.force_login(seeded["chamber"])
    forward = [client.get("/api/v1/cases?limit=7").json()]
    assert forward[0]["prev_cursor"] is None
    while forward[-1]["next_cursor"]:
        forward.append(
            client.get(f"/api/v1/cases?limit=7&cursor={forward[-1]['next_cursor']}").json()
        )
    assert len(forward) > 2
    body = forward[-1]
    for expected in reversed(forward[:-1]):
        assert body["prev_cursor"]
        body = client.get(f"/api/v1/cases?limit=7&before={body['prev_cursor']}").json()
        assert [i["id"] for i in body["items"]] == [i["id"] for i in expected["items"]]
    assert body["prev_cursor"] is None
    bad = client.get("/api/v1/cases?before=nonsense")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid_cursor"
    assert bad.json()["field_errors"][0]["field"] == "before"


def test_the_html_list_and_the_board_link_back(
    seeded: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages of five, so that the seeded volume has several.
    monkeypatch.setattr(selectors, "case_page", functools.partial(selectors.case_page, size=5))
    monkeypatch.setattr(selectors, "board_column_page",
                        functools.partial(selectors.board_column_page, size=5))  # fmt: skip
    client = Client()
    client.force_login(seeded["chamber"])
    first = selectors.case_page(user=seeded["chamber"], today=TODAY)
    assert first.next_cursor
    second = client.get(reverse("cases:list"), {"cursor": first.next_cursor})
    assert second.status_code == 200
    assert b'data-testid="previous-page"' in second.content
    back = client.get(reverse("cases:list"), {"before": second.context["page"].prev_cursor})
    assert [c.pk for c in back.context["page"].items] == [c.pk for c in first.items]
    assert b'data-testid="previous-page"' not in back.content
    garbage = client.get(reverse("cases:list"), {"before": "garbage"})
    assert garbage.status_code == 200
    client.force_login(seeded["abh"])
    for column in selectors.BOARD_COLUMNS:
        page = selectors.board_column_page(user=seeded["abh"], column=column, today=TODAY)
        if page.next_cursor:
            response = client.get(reverse("cases:deadlines"), {"column": column,
                                                               "cursor": page.next_cursor})  # fmt: skip
            assert b'data-testid="board-previous"' in response.content
        response = client.get(reverse("cases:deadlines"), {"column": column, "before": "x"})
        assert response.status_code == 200


# --- end h/plans ----------------------------------------------------------------------------
