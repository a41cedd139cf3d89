"""The open statistics: no login, suppressed cells (also complementary), CSV under a licence."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.test import Client
from django.urls import reverse

from lotse.insights.models import PublishedFigures
from lotse.insights.services import public_build, public_refresh
from lotse.insights.suppression import derivable, suppress
from tests.conftest import World

D = dt.date


def _rows() -> list[tuple[dt.date, str, dict[str, object]]]:
    # Q1 2026: 12 cases of § 18a, 3 of § 18b (too few), 9 of § 18g; Q2: 8, 7, 6.
    return [
        (D(2026, 1, 1), "18a", {"events": {"started": 12, "forwarded": 10}, "requests": 4,
                                "durations": {"whole": {"40": 3, "50": 3}},
                                "clocks": {"visa_decision": [4, 5]}}),
        (D(2026, 2, 1), "18b", {"events": {"started": 3}}),
        (D(2026, 3, 1), "18g", {"events": {"started": 9}}),
        (D(2026, 4, 1), "18a", {"events": {"started": 8}}),
        (D(2026, 5, 1), "18b", {"events": {"started": 7}}),
        (D(2026, 6, 1), "18g", {"events": {"started": 6}}),
    ]  # fmt: skip


def test_small_cells_and_the_cells_they_could_be_derived_from_are_hidden() -> None:
    data = public_build(_rows(), minimum=5)
    assert data["titles"] == ["18a", "18b", "18g"]
    q1 = data["by_title"][0]
    assert q1["counts"][1] is None  # 3 cases of § 18b
    # The quarter's total (24) minus 12 would give the 3 away: a second cell of Q1 is hidden.
    assert sum(1 for c in q1["counts"] if c is None) >= 2
    # And the column total of § 18b (10) minus Q2's 7 would give it away: Q2's 7 is hidden too.
    assert sum(1 for row in data["by_title"] if row["counts"][1] is None) >= 2
    table = [[12, 3, 9], [8, 7, 6]]
    assert derivable(suppress(table, 5)) == []
    headline = data["headline"][0]
    assert headline["cases"] == 24
    assert headline["median_days"] == 45
    assert headline["compliance"] == 80.0
    assert headline["requests_per_100"] == 40.0
    # Q2 has no finished case, no decided deadline, no forwarded file: no figure, not zero.
    assert data["headline"][1]["median_days"] is None
    assert data["headline"][1]["requests_per_100"] is None


def test_fewer_than_the_minimum_behind_a_ratio_hides_it() -> None:
    data = public_build(_rows(), minimum=7)
    assert data["headline"][0]["median_days"] is None  # 6 finished cases
    assert data["headline"][0]["compliance"] is None  # 5 deadlines decided


def test_the_public_page_needs_no_login_and_names_nobody(world: World) -> None:
    public_refresh()
    client = Client()
    page = client.get(reverse("insights:public"))
    assert page.status_code == 200
    assert "dl-de/by-2-0" in page.content.decode()
    response = client.get(reverse("insights:public_csv"))
    assert response.status_code == 200
    assert "dl-de/by-2-0" in response["Link"]
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0] == ["Kennzahlen je Quartal"]


def test_the_csv_matches_the_page(world: World) -> None:
    PublishedFigures.objects.create(key="public", data=public_build(_rows(), minimum=5))
    client = Client()
    html = client.get(reverse("insights:public")).content.decode()
    rows = list(csv.reader(io.StringIO(client.get(reverse("insights:public_csv")).content.decode()),
                           delimiter=";"))  # fmt: skip
    by_title = rows[rows.index(["Begonnene Fälle je Quartal und Aufenthaltstitel"]) + 2 :]
    assert by_title[0][0] == "2026-Q1"
    assert by_title[0][2] == ""  # suppressed
    assert "2026-Q1" in html
    assert by_title[0][1] == "12"
    assert ">12<" in html
