"""Company size and country of the qualification: recorded, carried into the figures, filtered
on the page, the exports and the API (issue 13), on the hand-made cases of conftest."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lotse.accounts.models import Role
from lotse.cases.models import Case
from lotse.cases.volume_dimensions import (
    COUNTRY_WEIGHTS,
    SIZE_WEIGHTS,
    company_size_for,
    qualification_country_for,
    sql_pick,
)
from lotse.insights.exports import cell_text
from lotse.insights.models import CaseFacts, MonthlyRollup
from lotse.insights.selectors import Filters, Statistics, statistics
from lotse.insights.services import rollups_refresh
from lotse.insights.tables import tables
from lotse.organisations.models import Organisation
from tests.cases.conftest import CA, WORKER
from tests.conftest import World
from tests.insights.conftest import PERIOD, TODAY
from tests.insights.test_pages import _page_cells

D = dt.date


def only(**kwargs: Any) -> Filters:
    return Filters(start=PERIOD.start, end=PERIOD.end, **kwargs)


@pytest.fixture
def marked(world: World, cases: dict[str, Case]) -> dict[str, Case]:
    """A and C qualified in India, B in Turkey, D without a country; the own company is small,
    the other chamber's company medium and its case F also from India. Recorded after the
    facts were built: the nightly job copies them onto the facts (facts_sync_dimensions)."""
    for key, country in (("a", "IND"), ("b", "TUR"), ("c", "IND"), ("f", "IND")):
        Case.objects.filter(pk=cases[key].pk).update(qualification_country=country)
    Organisation.objects.filter(pk=world.company.pk).update(size_class="small")
    Organisation.objects.filter(pk=world.other_company.pk).update(size_class="medium")
    rollups_refresh(today=TODAY)
    return cases


def _same(one: Statistics, other: Statistics) -> None:
    assert one.events == other.events
    assert one.durations == other.durations
    assert one.clocks == other.clocks
    assert (one.forwarded, one.returned, one.requests) == (
        other.forwarded, other.returned, other.requests)  # fmt: skip
    assert one.wip == other.wip


def test_the_facts_carry_size_and_country(world: World, marked: dict[str, Case]) -> None:
    a = CaseFacts.objects.get(case=marked["a"])
    assert (a.company_size, a.qualification_country) == ("small", "IND")
    d = CaseFacts.objects.get(case=marked["d"])
    assert (d.company_size, d.qualification_country) == ("small", "")


def test_country_of_the_qualification_figures(world: World, marked: dict[str, Case]) -> None:
    scope = {"chamber_id": world.ihk.pk}
    india = statistics(scope=scope, filters=only(qualification_country="IND"), today=TODAY)
    # A (January, visa issued) and C (February, forwarded, returned, collecting again).
    assert india.events == {"started": [1, 1], "forwarded": [1, 1], "accepted": [1, 0],
                            "preapproved": [1, 0], "visa_issued": [1, 0], "ended_early": [0, 0]}  # fmt: skip
    assert india.durations["advice_to_forwarding"] == {"count": 2, "median": 4, "p90": 4}
    assert india.durations["whole"]["count"] == 1
    assert (india.forwarded, india.returned, india.returned_per_100) == (2, 1, 50.0)
    assert {r["phase"]: r["total"] for r in india.wip if r["total"]} == {"preparation": 1,
                                                                         "entry": 1}  # fmt: skip
    turkey = statistics(scope=scope, filters=only(qualification_country="TUR"), today=TODAY)
    assert turkey.events["started"] == [1, 0]
    assert turkey.durations["advice_to_forwarding"] == {"count": 1, "median": 13, "p90": 13}
    unknown = statistics(scope=scope, filters=only(qualification_country="unknown"), today=TODAY)
    assert unknown.events["started"] == [0, 1]  # D
    assert unknown.events["ended_early"] == [0, 1]
    assert unknown.forwarded == 0


def test_company_size_figures(world: World, marked: dict[str, Case]) -> None:
    scope = {"chamber_id": world.ihk.pk}
    everything = statistics(scope=scope, filters=PERIOD, today=TODAY)
    small = statistics(scope=scope, filters=only(company_size="small"), today=TODAY)
    _same(small, everything)  # every own case is the small company's
    for other in ("micro", "medium", "large", "unknown"):
        none = statistics(scope=scope, filters=only(company_size=other), today=TODAY)
        assert none.totals() == dict.fromkeys(everything.totals(), 0), other
        assert all(row["total"] == 0 for row in none.wip)


def test_two_filters_count_alike_from_the_facts(world: World, marked: dict[str, Case]) -> None:
    # One filter reads the stored rollups, two or more sum the matching cases' facts now.
    scope = {"chamber_id": world.ihk.pk}
    india = statistics(scope=scope, filters=only(qualification_country="IND"), today=TODAY)
    both = statistics(scope=scope, filters=only(qualification_country="IND", company_size="small"),
                      today=TODAY)  # fmt: skip
    _same(both, india)
    three = statistics(scope=scope, today=TODAY, filters=only(
        title="18a", company_size="small", qualification_country="IND"))  # fmt: skip
    _same(three, india)
    none = statistics(scope=scope, today=TODAY,
                      filters=only(qualification_country="IND", company_size="medium"))  # fmt: skip
    assert sum(none.totals().values()) == 0
    everything = statistics(scope=scope, filters=PERIOD, today=TODAY)
    live_all = statistics(scope=scope, filters=only(title="18a", company_size="small"), today=TODAY)
    _same(live_all, everything)


def test_a_chamber_lead_sees_no_other_chambers_cases_with_the_filters(
    world: World, marked: dict[str, Case]
) -> None:
    # F (the HWK's case from India, a medium company) never counts for the IHK.
    ihk = statistics(scope={"chamber_id": world.ihk.pk}, filters=only(qualification_country="IND"),
                     today=TODAY)  # fmt: skip
    assert ihk.events["started"] == [1, 1]
    medium = statistics(scope={"chamber_id": world.ihk.pk}, filters=only(company_size="medium"),
                        today=TODAY)  # fmt: skip
    assert medium.totals()["started"] == 0
    hwk = statistics(scope={"chamber_id": world.hwk.pk}, today=TODAY,
                     filters=only(qualification_country="IND", company_size="medium"))  # fmt: skip
    assert hwk.events["started"] == [1, 0]


def test_the_rollups_keep_one_row_per_scope_month_and_single_filter_value(
    world: World, marked: dict[str, Case]
) -> None:
    rows = MonthlyRollup.objects.filter(chamber_id=world.ihk.pk, month=D(2026, 1, 1))
    assert set(rows.values_list("authority_id", "forwarded")) == {(0, False)}
    assert set(rows.values_list("dimension", flat=True)) == {
        "", "title", "recognition_body", "occupation_group", "company_size",
        "qualification_country"}  # fmt: skip
    countries = rows.filter(dimension="qualification_country")
    assert sorted(countries.values_list("qualification_country", flat=True)) == ["IND", "TUR"]
    # The other filter columns are blank on a row of one dimension.
    assert set(countries.values_list("company_size", "title")) == {("", "")}
    # The ABH's rows hold the cases forwarded to it (A and B in January), whatever the chamber.
    abh = MonthlyRollup.objects.filter(authority_id=world.lra.pk, month=D(2026, 1, 1))
    assert set(abh.values_list("chamber_id", "forwarded")) == {(0, True)}
    assert abh.get(dimension="").figures["events"]["forwarded"] == 2


QUERY = "?start=2026-01&end=2026-02&company_size=small&qualification_country=IND"


def test_the_page_and_its_exports_show_the_filtered_figures(
    world: World, marked: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.CHAMBER_LEAD])
    response = client.get(reverse("insights:statistics") + QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unternehmensgröße" in html
    assert "Land der Qualifikation" in html
    assert '<option value="IND" selected>' in html
    # As the page: today's open cases and overdue clocks.
    expected = statistics(scope={"chamber_id": world.ihk.pk},
                          filters=only(company_size="small", qualification_country="IND"))  # fmt: skip
    made = tables(expected)
    lines = list(csv.reader(io.StringIO(
        client.get(reverse("insights:statistics_csv") + QUERY).content.decode()), delimiter=";"))  # fmt: skip
    book = load_workbook(
        io.BytesIO(client.get(reverse("insights:statistics_xlsx") + QUERY).content)
    )
    position = 0
    for table in made:
        body = [[cell_text(v) for v in row] for row in table.rows]
        page = _page_cells(html, table.key)
        if body:
            assert page[1:] == body, table.key
        assert lines[position] == [table.title]
        assert lines[position + 2 : position + 2 + len(body)] == body
        position += 3 + len(body)
        sheet = [list(r) for r in book[table.key].iter_rows(values_only=True)]
        assert [list(row[: len(table.headers)]) for row in sheet[2:]] == [
            list(row) for row in table.rows]  # fmt: skip
    events = _page_cells(html, "events")
    assert events[-1][:3] == ["Gesamt", "2", "2"]  # A and C started, both forwarded


def test_the_api_takes_the_same_filters(
    world: World, marked: dict[str, Case], client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[Role.CHAMBER_LEAD])
    response = client.get("/api/v1/statistics" + QUERY)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["filters"]["company_size"] == "small"
    assert body["filters"]["qualification_country"] == "IND"
    assert body["events"]["started"] == [1, 1]
    for name, bad in (("company_size", "huge"), ("qualification_country", "XYZ")):
        refused = client.get(f"/api/v1/statistics?{name}={bad}", HTTP_ACCEPT_LANGUAGE="de")
        assert refused.status_code == 422
        assert refused.json()["field_errors"][0]["field"] == name
    page = client.get(reverse("insights:statistics") + "?company_size=huge")
    assert page.status_code == 422


def test_the_company_size_is_recorded_where_a_company_is_registered(world: World) -> None:
    client = Client()
    client.force_login(world.users["chamber_advisor"])
    response = client.post("/companies/new/", {
        "name": "Bäckerei Hofmann GmbH", "legal_form": "GmbH", "chamber_membership": "hwk",
        "size_class": "micro", "label": "Backstube", "street": "Marktplatz 1",
        "postcode": "71672", "municipality": "Marbach am Neckar"})  # fmt: skip
    assert response.status_code == 302
    assert Organisation.objects.get(name="Bäckerei Hofmann GmbH").size_class == "micro"
    api = client.post("/api/v1/companies", {
        "name": "Neu GmbH", "legal_form": "GmbH", "chamber_membership": "ihk",
        "size_class": "large", "site_label": "Werk", "street": "Weg 1", "postcode": "71679",
        "municipality": "Asperg"}, content_type="application/json")  # fmt: skip
    assert api.status_code == 201, api.json()
    assert api.json()["size_class"] == "large"
    bad = client.post("/api/v1/companies", {
        "name": "Falsch GmbH", "legal_form": "GmbH", "chamber_membership": "ihk",
        "size_class": "huge", "site_label": "Werk", "street": "Weg 1", "postcode": "71679",
        "municipality": "Asperg"}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    form = client.get("/companies/new/").content.decode()
    assert "Unternehmensgröße" in form
    assert "10–49 Beschäftigte" in form


def test_the_country_of_the_qualification_is_recorded_on_the_case(
    world: World, client_for: Callable[..., Client]
) -> None:
    client = client_for(world.users[CA])
    worker = {k.removeprefix("worker_"): v for k, v in WORKER.items()}
    body = {"site_id": world.company.sites.get().pk, "worker": worker, "title": "18a",
            "recognition_body": "ihk-fosa", "qualification_country": "ind"}  # fmt: skip
    response = client.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["qualification_country"] == "IND"
    case_id = response.json()["id"]
    bad = client.post("/api/v1/cases", {**body, "qualification_country": "India"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert bad.json()["field_errors"][0]["field"] == "qualification_country"
    patched = client.patch(f"/api/v1/cases/{case_id}",
                           {"version": response.json()["version"], "qualification_country": "TUR"},
                           content_type="application/json")  # fmt: skip
    assert patched.status_code == 200, patched.json()
    assert Case.objects.get(pk=case_id).qualification_country == "TUR"
    page = client.get(reverse("cases:create")).content.decode()
    assert "Land, in dem die Qualifikation erworben wurde" in page


def test_the_volume_seeder_derives_size_and_country_from_the_row_number() -> None:
    sizes = [company_size_for(n) for n in range(2000)]
    countries = [qualification_country_for(n) for n in range(20000)]
    assert set(sizes) == {value for value, _w in SIZE_WEIGHTS}
    assert set(countries) == {value for value, _w in COUNTRY_WEIGHTS}
    assert company_size_for(7) == company_size_for(7)


def test_the_benchmarks_sql_twin_picks_the_same_values(db: None) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the benchmark's SQL is PostgreSQL's")
    with connection.cursor() as cursor:
        for n in (0, 1, 7, 99, 123456):
            cursor.execute(f"SELECT {sql_pick(str(n), 81, COUNTRY_WEIGHTS)}")
            assert cursor.fetchone()[0] == qualification_country_for(n)


def test_the_one_pass_select_escapes_and_marks_the_choice(world: World) -> None:
    from lotse.insights.forms import Select

    widget = Select(choices=[("", "alle"), ("1", "<b>Kammer & Co</b>"), ("2", "Zwei")])
    html = widget.render("recognition_body", "1", {"id": "id_recognition_body"})
    assert '<option value="1" selected>&lt;b&gt;Kammer &amp; Co&lt;/b&gt;</option>' in html
    assert '<option value="2">Zwei</option>' in html
    assert html.startswith('<select id="id_recognition_body" name="recognition_body">')
