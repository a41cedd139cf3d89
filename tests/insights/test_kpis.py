"""The lead's figures on a hand-made set of cases whose figures are known (docs/statistics.md)."""

from __future__ import annotations

import datetime as dt

from lotse.cases.models import Case
from lotse.insights.models import CaseFacts
from lotse.insights.selectors import Filters, statistics
from lotse.insights.services import rollups_refresh
from tests.conftest import World
from tests.insights.conftest import PERIOD, TODAY

D = dt.date


def test_facts_keep_each_phase_length(cases: dict[str, Case]) -> None:
    a = CaseFacts.objects.get(case=cases["a"])
    assert (a.advice_to_forwarding, a.forwarding_to_acceptance, a.recognition, a.ba,
            a.acceptance_to_preapproval, a.preapproval_to_visa, a.whole) == (4, 1, 3, 1, 8, 3, 16)  # fmt: skip
    c = CaseFacts.objects.get(case=cases["c"])
    assert c.forwarded_on == D(2026, 2, 6)
    assert c.returned_count == 1
    assert c.current_phase == "preparation"
    assert c.phase_since == D(2026, 2, 7)
    d = CaseFacts.objects.get(case=cases["d"])
    assert d.ended_early_on == D(2026, 2, 4)
    assert not d.is_open


def test_the_chamber_leads_figures(world: World, cases: dict[str, Case]) -> None:
    figures = statistics(scope={"chamber_id": world.ihk.pk}, filters=PERIOD, today=TODAY)
    assert figures.events == {
        "started": [2, 2],
        "forwarded": [2, 1],
        "accepted": [2, 0],
        "preapproved": [2, 0],
        "visa_issued": [2, 0],
        "ended_early": [0, 1],
    }
    # Advice to forwarding: A 4, B 13, C 4 days (the first forwarding counts).
    assert figures.durations["advice_to_forwarding"] == {"count": 3, "median": 4, "p90": 11.2}
    assert figures.durations["whole"] == {"count": 2, "median": 20.5, "p90": 24.1}
    assert figures.durations["recognition"]["median"] == 3
    assert figures.forwarded == 3
    assert figures.returned_per_100 == 33.3
    assert figures.requests_per_100 == 0
    clocks = {row["code"]: (row["met"], row["total"]) for row in figures.clocks}
    assert clocks["recognition_receipt"] == (2, 2)
    assert clocks["ba_deemed_approval"] == (2, 2)
    assert clocks["visa_decision"] == (2, 2)
    assert figures.overdue == []
    wip = {row["phase"]: row["total"] for row in figures.wip}
    assert wip == {"preparation": 1, "acceptance": 0, "preapproval": 0, "visa": 0, "entry": 2}


def test_filters_narrow_the_figures(world: World, cases: dict[str, Case]) -> None:
    other_title = Filters(start=PERIOD.start, end=PERIOD.end, title="18b")
    figures = statistics(scope={"chamber_id": world.ihk.pk}, filters=other_title, today=TODAY)
    assert figures.totals()["started"] == 0
    january = Filters(start=D(2026, 1, 1), end=D(2026, 1, 1))
    figures = statistics(scope={"chamber_id": world.ihk.pk}, filters=january, today=TODAY)
    assert figures.events["started"] == [2]


def test_a_chamber_lead_sees_no_other_chambers_cases(world: World, cases: dict[str, Case]) -> None:
    hwk = statistics(scope={"chamber_id": world.hwk.pk}, filters=PERIOD, today=TODAY)
    assert hwk.events["started"] == [1, 0]
    assert hwk.totals()["forwarded"] == 0


def test_the_abh_lead_counts_the_files_forwarded_to_it(
    world: World, cases: dict[str, Case]
) -> None:
    figures = statistics(scope={"authority_id": world.lra.pk, "forwarded": True}, filters=PERIOD,
                         today=TODAY)  # fmt: skip
    assert figures.events["started"] == [2, 1]  # A, B, C; not the withdrawn D, not F
    assert figures.events["ended_early"] == [0, 0]


def test_an_overdue_clock_is_listed(world: World, cases: dict[str, Case]) -> None:
    # C's ABH has not accepted; give A an open clock whose due day passed in February.
    row = cases["a"].clocks.first()
    assert row is not None
    row.pk = None
    row.code, row.kind = "visa_decision", "deadline"
    row.started_on, row.due_on, row.stopped_on = D(2026, 2, 1), D(2026, 2, 22), None
    row.save()
    rollups_refresh(today=TODAY)
    figures = statistics(scope={"chamber_id": world.ihk.pk}, filters=PERIOD, today=TODAY)
    assert [(o["reference"], o["code"], o["days_late"]) for o in figures.overdue] == [
        (cases["a"].reference, "visa_decision", 7)
    ]
    clocks = {r["code"]: (r["met"], r["total"]) for r in figures.clocks}
    assert clocks["visa_decision"] == (2, 3)


def test_the_coarse_rows_sum_the_fine_ones(world: World, cases: dict[str, Case]) -> None:
    # Every own case is a § 18a case: filtering by it reads the fine rows, not filtering the
    # coarse ones; both must give the same figures.
    scope = {"chamber_id": world.ihk.pk}
    coarse = statistics(scope=scope, filters=PERIOD, today=TODAY)
    fine = statistics(scope=scope, filters=Filters(PERIOD.start, PERIOD.end, title="18a"),
                      today=TODAY)  # fmt: skip
    assert fine.events == coarse.events
    assert fine.durations == coarse.durations
    assert fine.clocks == coarse.clocks
    assert (fine.returned, fine.requests) == (coarse.returned, coarse.requests)
