"""The statistics page, its exports and API: access, and the exports match the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lotse.accounts.models import Role
from lotse.cases.models import Case
from lotse.insights.exports import cell_text
from lotse.insights.selectors import statistics
from lotse.insights.tables import tables
from tests.conftest import World
from tests.insights.conftest import PERIOD

QUERY = "?start=2026-01&end=2026-02"


def _page_cells(html: str, key: str) -> list[list[str]]:
    """The cells of one table of the page, as text."""
    import re

    block = html.split(f'data-testid="table-{key}"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", block, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"<[^>]+>", "", c).strip().replace("–", "") for c in cells])
    return rows


@pytest.mark.parametrize("role", [Role.COMPANY_ADMIN, Role.COMPANY_HR, Role.CHAMBER_ADVISOR,
                                  Role.ABH_CASEWORKER])  # fmt: skip
def test_only_leads_see_the_figures(
    role: str, world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[role])
    assert client.get(reverse("insights:statistics")).status_code == 403
    assert client.get(reverse("insights:statistics_csv")).status_code == 403
    response = client.get("/api/v1/statistics")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_the_chamber_lead_sees_own_figures_not_the_others(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    own = client_for(world.users[Role.CHAMBER_LEAD]).get("/api/v1/statistics" + QUERY).json()
    other = client_for(world.foreign_users[Role.CHAMBER_LEAD]).get("/api/v1/statistics" + QUERY)
    assert own["events"]["started"] == [2, 2]
    assert other.json()["events"]["started"] == [1, 0]
    page = client_for(world.users[Role.CHAMBER_LEAD]).get(reverse("insights:statistics") + QUERY)
    assert page.status_code == 200
    assert cases["a"].reference not in page.content.decode()  # nothing overdue to list
    foreign_page = client_for(world.foreign_users[Role.CHAMBER_LEAD]).get(
        reverse("insights:statistics") + QUERY
    )
    assert 'data-testid="chart-events"' in foreign_page.content.decode()


def test_bad_filters_get_a_clear_error(world: World, client_for: Callable[..., Client]) -> None:
    client = client_for(world.users[Role.CHAMBER_LEAD])
    response = client.get("/api/v1/statistics?start=2026-13", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 422
    assert response.json()["field_errors"][0]["field"] == "start"
    page = client.get(reverse("insights:statistics") + "?start=2026-03&end=2026-01")
    assert page.status_code == 422
    assert "nicht vor dem ersten" in page.content.decode()


def test_csv_and_xlsx_match_the_page(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.CHAMBER_LEAD])
    html = client.get(reverse("insights:statistics") + QUERY).content.decode()
    made = tables(statistics(scope={"chamber_id": world.ihk.pk}, filters=PERIOD))
    raw = client.get(reverse("insights:statistics_csv") + QUERY)
    assert raw["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(raw.content.decode()), delimiter=";"))
    book = load_workbook(
        io.BytesIO(client.get(reverse("insights:statistics_xlsx") + QUERY).content)
    )
    position = 0
    for table in made:
        page = _page_cells(html, table.key)
        assert page[0] == table.headers
        body = [[cell_text(v) for v in row] for row in table.rows]
        if body:
            assert page[1:] == body
        # CSV: title, headers, rows, blank line.
        assert lines[position] == [table.title]
        assert lines[position + 1] == table.headers
        assert lines[position + 2 : position + 2 + len(body)] == body
        position += 3 + len(body)
        sheet = [list(r) for r in book[table.key].iter_rows(values_only=True)]
        assert sheet[0][0] == table.title
        assert [c for c in sheet[1] if c is not None] == table.headers
        assert [list(row[: len(table.headers)]) for row in sheet[2:]] == [
            list(row) for row in table.rows
        ]
    events = _page_cells(html, "events")
    assert events[-1][:2] == ["Gesamt", "4"]


def test_company_users_get_404_for_other_companies_expected_dates(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    foreign = cases["f"]
    client = client_for(world.users[Role.COMPANY_ADMIN])
    assert client.get(f"/api/v1/cases/{foreign.pk}/expected-dates").status_code == 404
    own = client.get(f"/api/v1/cases/{cases['c'].pk}/expected-dates")
    assert own.status_code == 200
    assert [row["milestone"] for row in own.json()] == [
        "preapproval", "visa_appointment", "visa", "entry"]  # fmt: skip


def test_the_page_says_how_fresh_its_figures_are(
    world: World, cases: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.CHAMBER_LEAD])
    nightly = client.get(reverse("insights:statistics") + QUERY + "&title=18a").content.decode()
    assert "Monatszahlen nach dem nächtlichen Stand vom" in nightly
    assert "Nicht eingehaltene Fristen und offene Fälle: Stand" in nightly
    live = client.get(reverse("insights:statistics") + QUERY + "&title=18a&company_size=small")
    assert "aus den Fallakten gezählt" in live.content.decode()
    api = client.get("/api/v1/statistics" + QUERY).json()
    assert api["monthly_as_of"] is not None
    assert api["monthly_live"] is False
    assert client.get("/api/v1/statistics" + QUERY + "&title=18a&company_size=small").json()[
        "monthly_live"
    ]
