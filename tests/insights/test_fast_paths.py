"""The fast reads of the statistics page against their definitions, on random cases (issue 13).

- two or more filters: the database's count (``selectors.facts_rows``) against the nightly job's
  own Python (``facts_rows_reference``, i.e. ``rollups_build``), and, for no or one filter,
  against the stored rollups as the page reads them;
- the overdue list: the kept ``OverdueClock`` rows (rebuilt in full, and per case as after a
  step) against the query over the clocks and facts themselves (``overdue_reference``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotse.cases.models import Case, CaseClock
from lotse.insights.facts import WIP_PHASES
from lotse.insights.models import PHASES, CaseFacts, MonthlyRollup, OverdueClock
from lotse.insights.selectors import (
    Filters,
    facts_rows,
    facts_rows_reference,
    merge,
    overdue,
    overdue_reference,
    statistics,
)
from lotse.insights.services import (
    FACT_FIELDS,
    coarse_tails,
    facts_refresh_batch,
    overdue_case_refresh,
    overdue_rebuild,
    rollups_build,
    rollups_rows,
)
from tests.cases.conftest import create_case
from tests.conftest import World

BASE = dt.date(2026, 1, 1)
POOL = 12
CHAMBERS, AUTHORITIES = (101, 102), (201, 202)
VALUES: dict[str, tuple[Any, ...]] = {
    "title": ("18a", "18b"),
    "recognition_body_id": (None, 7),
    "occupation_group": ("", "ihk-training"),
    "company_size": ("", "small"),
    "qualification_country": ("", "IND", "TUR"),
}
DAY = st.integers(0, 420).map(lambda n: BASE + dt.timedelta(days=n))
# Every other day of a case lies on or after its start (days after it, added in _write).
MAYBE_DAY = st.none() | st.integers(0, 300)
LENGTH = st.none() | st.integers(0, 90)

clock_strategy = st.fixed_dictionaries(
    {
        "code": st.sampled_from(("recognition_decision", "ba_deemed_approval", "visa_decision")),
        "kind": st.sampled_from(("deadline", "fiction", "validity")),
        # Days after the case's start, close together: on time, on the day, late.
        "due_on": st.none() | st.integers(0, 12).map(lambda n: n * 25),
        "stopped_on": st.none() | st.integers(0, 12).map(lambda n: n * 25),
        # Stopped on the day the case ended early, or on the day it was closed.
        "stops_at": st.sampled_from(("", "ended_early_on", "closed_on")),
    }
)
DAYS = ("forwarded_on", "accepted_on", "recognition_ended_on", "ba_ended_on", "preapproved_on",
        "visa_issued_on", "ended_early_on", "phase_since", "closed_on")  # fmt: skip
case_strategy = st.fixed_dictionaries(
    {
        "chamber_id": st.sampled_from(CHAMBERS),
        "authority_id": st.sampled_from(AUTHORITIES),
        **{column: st.sampled_from(values) for column, values in VALUES.items()},
        "started_on": DAY,
        **{name: MAYBE_DAY for name in DAYS if name not in ("phase_since", "closed_on")},
        **dict.fromkeys(PHASES, LENGTH),
        "returned_count": st.integers(0, 2),
        "requests_count": st.integers(0, 2),
        "current_phase": st.sampled_from(("", *WIP_PHASES)),
        "phase_since": MAYBE_DAY,
        "closed_on": st.none() | st.integers(0, 12).map(lambda n: n * 25),
        "clocks": st.lists(clock_strategy, min_size=1, max_size=3),
    }
)
filters_strategy = st.fixed_dictionaries(
    {
        "start": st.integers(0, 13),
        "months": st.integers(0, 14),
        **{column: st.none() | st.sampled_from(values) for column, values in VALUES.items()},
    }
)
scope_strategy = st.sampled_from(
    ({"chamber_id": 101}, {"chamber_id": 102}, {"authority_id": 201, "forwarded": True}, {})
)


@pytest.fixture
def pool(world: World) -> list[Case]:
    """A few real case rows whose facts and clocks each example writes anew."""
    template = create_case(world)
    clones = [Case(**{f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields
                      if f.attname != "id"}) for _ in range(POOL - 1)]  # fmt: skip
    for i, clone in enumerate(clones):
        clone.reference = f"R-{i:05d}"
    return [template, *Case.objects.bulk_create(clones)]


def _month(n: int) -> dt.date:
    return dt.date(BASE.year + (BASE.month - 1 + n) // 12, (BASE.month - 1 + n) % 12 + 1, 1)


def _write(pool: list[Case], specs: list[dict[str, Any]]) -> None:
    ids = [case.pk for case in pool]
    CaseFacts.objects.filter(case_id__in=ids).delete()
    CaseClock.objects.filter(case_id__in=ids).delete()
    facts, clocks = [], []
    for case, raw in zip(pool, specs, strict=False):
        spec = {k: raw["started_on"] + dt.timedelta(days=v) if isinstance(v, int) and k in DAYS
                else v for k, v in raw.items()}  # fmt: skip
        values = {k: v for k, v in spec.items() if k not in ("clocks", "closed_on")}
        values["is_open"] = bool(values["current_phase"])
        facts.append(CaseFacts(case_id=case.pk, **values))
        Case.objects.filter(pk=case.pk).update(closed_on=spec["closed_on"])
        for clock in spec["clocks"]:
            due, stopped = (None if clock[k] is None else
                            spec["started_on"] + dt.timedelta(days=clock[k])
                            for k in ("due_on", "stopped_on"))  # fmt: skip
            stopped = spec[clock["stops_at"]] or stopped if clock["stops_at"] else stopped
            clocks.append(CaseClock(case_id=case.pk, code=clock["code"], kind=clock["kind"],
                                    started_on=spec["started_on"], due_on=due,
                                    stopped_on=stopped))  # fmt: skip
    CaseFacts.objects.bulk_create(facts)
    CaseClock.objects.bulk_create(clocks)


def _filters(spec: dict[str, Any]) -> Filters:
    chosen = {k: v for k, v in spec.items() if k in VALUES and v is not None}
    for key in ("company_size", "qualification_country"):
        if chosen.get(key) == "":
            chosen[key] = "unknown"
    return Filters(start=_month(spec["start"]), end=_month(spec["start"] + spec["months"]),
                   **chosen)  # fmt: skip


@pytest.mark.django_db
@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])  # fmt: skip
@given(
    specs=st.lists(case_strategy, min_size=1, max_size=POOL),
    asked=st.lists(st.tuples(scope_strategy, filters_strategy), min_size=1, max_size=4),
    today_offset=st.integers(0, 700),
)
def test_fast_reads_count_as_their_definitions(
    pool: list[Case], specs: list[dict[str, Any]], asked: list[tuple[dict[str, Any], Any]],
    today_offset: int,
) -> None:  # fmt: skip
    with transaction.atomic():  # each example in its own savepoint: a failure stays its own
        _check(pool, specs, asked, BASE + dt.timedelta(days=today_offset))


def _check(pool: list[Case], specs: list[dict[str, Any]],
           asked: list[tuple[dict[str, Any], Any]], today: dt.date) -> None:  # fmt: skip
    _write(pool, specs)
    overdue_rebuild()
    # The rollups as the nightly job stores them (its dimension sync left out: the random
    # dimensions live on the facts only).
    MonthlyRollup.objects.all().delete()
    table = rollups_build(CaseFacts.objects.values(*FACT_FIELDS),
                          CaseClock.objects.values("case_id", "code", "kind", "stopped_on", "due_on"),
                          today, coarse_tails)  # fmt: skip
    MonthlyRollup.objects.bulk_create(rollups_rows(table))
    for scope, spec in asked:
        filters = _filters(spec)
        months = filters.months()
        fast = merge(facts_rows(scope, filters, today), months)
        assert fast == merge(facts_rows_reference(scope, filters, today), months), (scope, filters)
        if len(filters.chosen()) <= 1:
            page = statistics(scope=scope, filters=filters, today=today)
            assert page.events == fast["events"]
            assert {row["code"]: [row["met"], row["total"]] for row in page.clocks} == fast[
                "clocks"
            ]
            assert (page.returned, page.requests) == (fast["returned"], fast["requests"])
        kept = [{k: row[k] for k in ("case_id", "reference", "code", "due_on", "stopped_on")}
                for row in overdue(scope=scope, filters=filters, today=today)]  # fmt: skip
        assert kept == overdue_reference(scope=scope, filters=filters, today=today)


# A forwarded case in the visa phase whose visa decision was due on day 5 and is still open.
VISA_OVERDUE: dict[str, Any] = {
    "chamber_id": 101, "authority_id": 201, "title": "18a", "recognition_body_id": None,
    "occupation_group": "", "company_size": "", "qualification_country": "",
    "started_on": BASE, "current_phase": "visa", "phase_since": 0, "closed_on": None,
    "ended_early_on": None, "forwarded_on": 0,
    "clocks": [{"code": "visa_decision", "kind": "deadline", "due_on": 5,
                "stopped_on": None, "stops_at": ""}],
}  # fmt: skip


def test_a_cases_overdue_rows_follow_its_clocks(world: World, pool: list[Case]) -> None:
    case = pool[0]
    _write([case], [VISA_OVERDUE])
    overdue_rebuild()
    assert OverdueClock.objects.filter(case_id=case.pk).count() == 1
    # Met in time after all: the case's refresh (after the step) drops its row.
    CaseClock.objects.filter(case_id=case.pk).update(stopped_on=BASE + dt.timedelta(days=3))
    overdue_case_refresh(case_id=case.pk)
    assert not OverdueClock.objects.filter(case_id=case.pk).exists()
    # Stopped late: listed again, with the day it stopped.
    CaseClock.objects.filter(case_id=case.pk).update(stopped_on=BASE + dt.timedelta(days=9))
    overdue_case_refresh(case_id=case.pk)
    row = OverdueClock.objects.get(case_id=case.pk)
    assert (row.stopped_on, row.forwarded, row.chamber_id) == (
        BASE + dt.timedelta(days=9),
        True,
        101,
    )


def test_the_nightly_batch_keeps_the_overdue_rows_of_its_cases(
    world: World, pool: list[Case]
) -> None:
    """The batched refresh of the open cases writes the overdue rows as the per-case refresh
    does (a case whose facts it creates is listed without waiting for the rollups)."""
    case = pool[0]
    _write([case], [VISA_OVERDUE])
    OverdueClock.objects.all().delete()
    facts_refresh_batch(case_ids=[case.pk], today=BASE + dt.timedelta(days=30), cache={})
    assert list(OverdueClock.objects.filter(case_id=case.pk).values_list("code", flat=True)) == [
        "visa_decision"
    ]
