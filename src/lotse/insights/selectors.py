"""Reads of the insights area: a case's expected dates, a lead's figures, the open statistics.

Every read here uses the pre-aggregated rows (CaseFacts, MonthlyRollup, PublishedFigures); none
walks the history of all cases (docs/statistics.md, docs/performance.md "Statistics").
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from lotse import clocks as clock_engine
from lotse.cases.models import Case, CaseClock
from lotse.insights.estimator import percentile
from lotse.insights.facts import WIP_PHASES
from lotse.insights.models import (
    EVENTS,
    FILTER_COLUMNS,
    PHASES,
    CaseFacts,
    MonthlyRollup,
    OverdueClock,
    PublishedFigures,
)
from lotse.insights.services import (
    COMPLIANCE_KINDS,
    EVENT_FIELD,
    FACT_FIELDS,
    PHASE_END,
    one_key,
    rollups_build,
)

AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 30), (31, 90), (91, 180), (181, None))
OVERDUE_LIMIT = 100
# The value of the company size and country filters that selects the cases without one.
UNKNOWN = "unknown"


# The annotation of ``with_expected``: a case's stored expected dates, read with the case.
_STORED_EXPECTED = "stored_expected"


def with_expected(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with their stored expected dates joined in (the facts' unique case key), so
    that ``expected_of`` asks no query of its own (the case page)."""
    return cases.annotate(**{_STORED_EXPECTED: F("facts__expected")})


def expected_of(case: Case) -> list[dict[str, Any]]:
    """The stored expected dates of ``case`` (empty when none were computed yet).

    Read once per case object: the case page asks twice (the overview and the timeline)."""
    cached = case.__dict__.get("_lotse_expected")
    if cached is None:
        if _STORED_EXPECTED in case.__dict__:
            facts = case.__dict__[_STORED_EXPECTED]
        else:
            facts = (
                CaseFacts.objects.filter(case_id=case.pk).values_list("expected", flat=True).first()
            )
        cached = case.__dict__["_lotse_expected"] = list(facts or [])
    return list(cached)


@dataclass(frozen=True)
class Filters:
    """The period (whole months) and the filters of the statistics page and API."""

    start: dt.date  # first day of the first month
    end: dt.date  # first day of the last month
    title: str = ""
    recognition_body_id: int | None = None
    occupation_group: str = ""
    # A CompanySize value, an alpha-3 code, or UNKNOWN (not given); blank: every value.
    company_size: str = ""
    qualification_country: str = ""

    def chosen(self) -> dict[str, Any]:
        """The filters set, as {column of CaseFacts/MonthlyRollup: stored value}."""
        found: dict[str, Any] = {}
        for name, column in FILTER_COLUMNS.items():
            value = getattr(self, column if name == "recognition_body" else name)
            if value is None or value == "":
                continue
            found[column] = "" if value == UNKNOWN else value
        return found

    def months(self) -> list[dt.date]:
        found, day = [], self.start
        while day <= self.end:
            found.append(day)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return found


def default_filters(today: dt.date | None = None) -> Filters:
    today = today or timezone.localdate()
    end = today.replace(day=1)
    start = (end - dt.timedelta(days=335)).replace(day=1)
    return Filters(start=start, end=end)


@dataclass
class Statistics:
    filters: Filters
    months: list[dt.date]
    events: dict[str, list[int]]
    durations: dict[str, dict[str, float | int | None]]
    clocks: list[dict[str, Any]]
    overdue: list[dict[str, Any]]
    forwarded: int
    returned: int
    requests: int
    wip: list[dict[str, Any]] = field(default_factory=list)
    # How fresh the figures are (docs/statistics.md, "How fresh"): the monthly figures as of
    # the nightly rebuild (None with none stored yet), or counted live from the cases' facts
    # (two or more filters); the overdue list and the open cases as of ``counted_at``.
    monthly_as_of: dt.datetime | None = None
    monthly_live: bool = False
    counted_at: dt.datetime | None = None

    @property
    def returned_per_100(self) -> float | None:
        return round(100 * self.returned / self.forwarded, 1) if self.forwarded else None

    @property
    def requests_per_100(self) -> float | None:
        return round(100 * self.requests / self.forwarded, 1) if self.forwarded else None

    def totals(self) -> dict[str, int]:
        return {event: sum(counts) for event, counts in self.events.items()}


def rollup_scope(scope: Mapping[str, Any]) -> Q:
    """The rollup rows of a scope of access.statistics_scope_for: a chamber's rows (every case
    of the chamber), an ABH's rows (the cases forwarded to it), or, for the platform
    administrator, every chamber's rows (each case counts in exactly one chamber)."""
    if "authority_id" in scope:
        return Q(chamber_id=0, authority_id=scope["authority_id"], forwarded=True)
    if "chamber_id" in scope:
        return Q(chamber_id=scope["chamber_id"], authority_id=0, forwarded=False)
    return Q(authority_id=0, forwarded=False)


def _rollup_scope(scope: Mapping[str, Any], filters: Filters) -> Q | None:
    """The rollup rows to sum: the scope's rows without a filter, or its rows of the one
    dimension with one filter; None with two or more filters (no rollup holds those)."""
    chosen = filters.chosen()
    q = Q(month__gte=filters.start, month__lte=filters.end) & rollup_scope(scope)
    if not chosen:
        return q & Q(dimension="")
    if len(chosen) == 1:
        column = next(iter(chosen))
        name = next(n for n, c in FILTER_COLUMNS.items() if c == column)
        return q & Q(dimension=name, **chosen)
    return None


def _rollup_rows(
    scope: Mapping[str, Any], filters: Filters, today: dt.date
) -> tuple[list[tuple[dt.date, dict[str, Any]]], dt.datetime | None]:
    """(month, figures) of the period, and when they were computed: from the stored rollups
    (as of the nightly rebuild), or, with two or more filters, counted now in the database from
    the facts and clocks of the matching cases (``facts_rows``; None: as of now)."""
    q = _rollup_scope(scope, filters)
    if q is None:
        return facts_rows(scope, filters, today), None
    rows = list(MonthlyRollup.objects.filter(q).values_list("month", "figures", "computed_at"))
    as_of = min((row[2] for row in rows), default=None)
    return [(month, figures) for month, figures, _at in rows], as_of


def facts_rows_reference(
    scope: Mapping[str, Any], filters: Filters, today: dt.date
) -> list[tuple[dt.date, dict[str, Any]]]:
    """The figures of ``facts_rows`` summed in Python by the nightly job's own code
    (``rollups_build``): the reference the database's count is tested against."""
    last = (filters.end + dt.timedelta(days=32)).replace(day=1)
    facts = CaseFacts.objects.filter(_facts_scope(scope, filters), started_on__lt=last)
    clocks = CaseClock.objects.filter(
        case_id__in=facts.values("case_id"), kind__in=COMPLIANCE_KINDS
    ).values("case_id", "code", "kind", "stopped_on", "due_on")
    table = rollups_build(facts.values(*FACT_FIELDS), clocks, today, one_key)
    return [(key[0], figures) for key, figures in table.items()
            if filters.start <= key[0] <= filters.end]  # fmt: skip


def _month_sql(expression: str) -> str:
    """The first day of the month of a date expression, in the database's own dialect."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {expression}) AS date)"
    return f"date({expression}, 'start of month')"


_EVENTS = tuple(EVENT_FIELD.items())
_PHASES = tuple(PHASE_END.items())
_RETURNS = len(_EVENTS) + len(_PHASES)
_CLOCKS = _RETURNS + 1


def facts_rows_sql(
    scope: Mapping[str, Any], filters: Filters, today: dt.date
) -> tuple[str, list[Any]]:
    """The statement of ``facts_rows`` and its parameters (also for EXPLAIN)."""
    last_day = (filters.end + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    columns = ("case_id", "ended_early_on", "returned_count", "requests_count",
               *EVENT_FIELD.values(), *PHASE_END.keys(),
               *(f for f in PHASE_END.values() if f not in EVENT_FIELD.values()))  # fmt: skip
    facts = CaseFacts.objects.filter(_facts_scope(scope, filters), started_on__lte=last_day)
    sub, sub_params = facts.values(*dict.fromkeys(columns)).query.sql_with_params()
    # Only constants of the code and the ORM's own statement go into the SQL; values are
    # parameters.
    nothing = "CAST(NULL AS integer)"
    branches: list[str] = []
    params: list[Any] = list(sub_params)
    period = [filters.start, last_day]
    for k, (_event, day) in enumerate(_EVENTS):
        month = _month_sql(day)
        branches.append(
            f"SELECT {k} AS k, '' AS code, {month} AS m, {nothing} AS days, COUNT(*) AS n, "  # noqa: S608
            f"0 AS a, 0 AS b FROM f WHERE {day} BETWEEN %s AND %s GROUP BY {month}"
        )
        params += period
    for k, (phase, day) in enumerate(_PHASES, start=len(_EVENTS)):
        month = _month_sql(day)
        branches.append(
            f"SELECT {k}, '', {month}, {phase}, COUNT(*), 0, 0 FROM f "  # noqa: S608
            f"WHERE {day} BETWEEN %s AND %s AND {phase} IS NOT NULL GROUP BY {month}, {phase}"
        )
        params += period
    month = _month_sql("forwarded_on")
    branches.append(
        f"SELECT {_RETURNS}, '', {month}, {nothing}, COUNT(*), SUM(returned_count), "  # noqa: S608
        f"SUM(requests_count) FROM f WHERE forwarded_on BETWEEN %s AND %s GROUP BY {month}"
    )
    params += period
    # A clock counts when decided (stopped, or still running past its due day), in the month
    # it stopped or fell due, unless it stopped on the day the case ended early (services).
    decided = _month_sql("COALESCE(c.stopped_on, c.due_on)")
    kinds = ", ".join(f"'{kind}'" for kind in COMPLIANCE_KINDS)
    met = "CASE WHEN c.stopped_on IS NOT NULL AND (c.due_on IS NULL OR c.stopped_on <= c.due_on) THEN 1 ELSE 0 END"
    branches.append(
        f"SELECT {_CLOCKS}, c.code, {decided}, {nothing}, COUNT(*), SUM({met}), 0 "  # noqa: S608
        f"FROM {CaseClock._meta.db_table} c JOIN f ON f.case_id = c.case_id "
        f"WHERE c.kind IN ({kinds}) AND (c.stopped_on IS NOT NULL OR c.due_on < %s) "
        "AND NOT (c.stopped_on IS NOT NULL AND f.ended_early_on IS NOT NULL "
        "AND c.stopped_on = f.ended_early_on) "
        f"AND COALESCE(c.stopped_on, c.due_on) BETWEEN %s AND %s GROUP BY c.code, {decided}"
    )
    params += [today, *period]
    return f"WITH f AS ({sub}) " + " UNION ALL ".join(branches), params


def facts_rows(
    scope: Mapping[str, Any], filters: Filters, today: dt.date
) -> list[tuple[dt.date, dict[str, Any]]]:
    """The monthly figures of the cases in ``scope`` matching two or more filters, counted by
    the database in one statement: the matching facts (found through the GIN index over the
    scope and filter columns, PostgreSQL; only the matching rows are read) are grouped per
    event, phase length, returns and clock, by month of the period. The same figures as the
    nightly job's ``rollups_build`` (``facts_rows_reference``; tests/insights/test_fast_paths.py)."""
    sql, params = facts_rows_sql(scope, filters, today)
    table: dict[dt.date, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    for k, code, m, days, n, a, b in found:
        # PostgreSQL gives a date, SQLite the text of one.
        first = m if isinstance(m, dt.date) else dt.date.fromisoformat(m)
        cell = table.setdefault(first, {"events": {}, "durations": {}, "returned": 0,
                                      "requests": 0, "clocks": {}})  # fmt: skip
        if k < len(_EVENTS):
            cell["events"][_EVENTS[k][0]] = int(n)
        elif k < _RETURNS:
            cell["durations"].setdefault(_PHASES[k - len(_EVENTS)][0], {})[str(days)] = int(n)
        elif k == _RETURNS:
            cell["returned"] += int(a or 0)
            cell["requests"] += int(b or 0)
        else:
            cell["clocks"][code] = [int(a), int(n)]
    return list(table.items())


def _facts_scope(scope: Mapping[str, Any], filters: Filters) -> Q:
    q = Q()
    for key, value in scope.items():
        q &= Q(forwarded_on__isnull=False) if key == "forwarded" else Q(**{key: value})
    return q & Q(**filters.chosen())


def summarise(histogram: Mapping[str, int]) -> dict[str, float | int | None]:
    """Count, median and 90th percentile of a histogram ``{days: count}`` (exact)."""
    values: list[int] = []
    for days, count in sorted(((int(d), c) for d, c in histogram.items())):
        values.extend([days] * count)
    if not values:
        return {"count": 0, "median": None, "p90": None}
    return {"count": len(values), "median": round(percentile(values, 0.5), 1),
            "p90": round(percentile(values, 0.9), 1)}  # fmt: skip


def merge(rows: Iterable[tuple[dt.date, dict[str, Any]]], months: list[dt.date]) -> dict[str, Any]:
    index = {month: i for i, month in enumerate(months)}
    events = {event: [0] * len(months) for event in EVENTS}
    histograms: dict[str, dict[str, int]] = {phase: {} for phase in PHASES}
    clocks: dict[str, list[int]] = {}
    returned = requests = 0
    for month, figures in rows:
        i = index[month]
        for event, count in figures.get("events", {}).items():
            events[event][i] += count
        for phase, histogram in figures.get("durations", {}).items():
            target = histograms.setdefault(phase, {})
            for days, count in histogram.items():
                target[days] = target.get(days, 0) + count
        for code, (met, total) in figures.get("clocks", {}).items():
            counts = clocks.setdefault(code, [0, 0])
            counts[0] += met
            counts[1] += total
        returned += figures.get("returned", 0)
        requests += figures.get("requests", 0)
    return {"events": events, "histograms": histograms, "clocks": clocks,
            "returned": returned, "requests": requests}  # fmt: skip


def clock_label(code: str, language: str) -> str:
    try:
        return clock_engine.clock(code).label("de" if language == "de" else "en")
    except KeyError:
        return code


def statistics(
    *, scope: Mapping[str, Any], filters: Filters, today: dt.date | None = None,
    language: str = "de",
) -> Statistics:  # fmt: skip
    """The figures of the cases in ``scope`` (access.statistics_scope_for) for ``filters``."""
    today = today or timezone.localdate()
    months = filters.months()
    rows, as_of = _rollup_rows(scope, filters, today)
    merged = merge(rows, months)
    clocks = [
        {
            "code": code,
            "label": clock_label(code, language),
            "met": met,
            "total": total,
            "share": round(100 * met / total, 1) if total else None,
        }
        for code, (met, total) in sorted(merged["clocks"].items())
    ]
    return Statistics(
        filters=filters,
        months=months,
        events=merged["events"],
        durations={phase: summarise(merged["histograms"].get(phase, {})) for phase in PHASES},
        clocks=clocks,
        overdue=overdue(scope=scope, filters=filters, today=today, language=language),
        forwarded=sum(merged["events"]["forwarded"]),
        returned=merged["returned"],
        requests=merged["requests"],
        wip=work_in_progress(scope=scope, filters=filters, today=today),
        monthly_as_of=as_of,
        monthly_live=_rollup_scope(scope, filters) is None,
        counted_at=timezone.now(),
    )


def _overdue_scope(scope: Mapping[str, Any]) -> Q:
    if "authority_id" in scope:
        return Q(authority_id=scope["authority_id"], forwarded=True)
    if "chamber_id" in scope:
        return Q(chamber_id=scope["chamber_id"])
    return Q()


def overdue(
    *, scope: Mapping[str, Any], filters: Filters, today: dt.date, language: str = "de"
) -> list[dict[str, Any]]:
    """The clocks in scope whose due day fell in the period and that were not met (or still
    run past it), latest first: one index range of the kept OverdueClock rows."""
    last = (filters.end + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    rows = (
        OverdueClock.objects.filter(_overdue_scope(scope), due_on__gte=filters.start,
                                    due_on__lte=min(last, today), **filters.chosen())
        .filter(Q(stopped_on__isnull=True, due_on__lt=today) | Q(stopped_on__isnull=False))
        .order_by("-due_on", "-clock_id")
        .values("case_id", "reference", "code", "due_on", "stopped_on")[:OVERDUE_LIMIT]
    )  # fmt: skip
    return [
        {**row, "label": clock_label(row["code"], language),
         "days_late": ((row["stopped_on"] or today) - row["due_on"]).days}
        for row in rows
    ]  # fmt: skip


def overdue_reference(
    *, scope: Mapping[str, Any], filters: Filters, today: dt.date
) -> list[dict[str, Any]]:
    """The overdue list read from the clocks and facts themselves (the definition the kept
    OverdueClock rows are tested against)."""
    last = (filters.end + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    facts = CaseFacts.objects.filter(_facts_scope(scope, filters)).values("case_id")
    rows = (
        CaseClock.objects.filter(case_id__in=facts, kind__in=COMPLIANCE_KINDS,
                                 due_on__gte=filters.start, due_on__lte=min(last, today))
        .filter(Q(stopped_on__isnull=True, due_on__lt=today) | Q(stopped_on__gt=F("due_on")))
        .exclude(case__closed_on=F("stopped_on"))
        .order_by("-due_on", "-id")[:OVERDUE_LIMIT]
        .values("case_id", "case__reference", "code", "due_on", "stopped_on")
    )  # fmt: skip
    return [{"case_id": r["case_id"], "reference": r["case__reference"], "code": r["code"],
             "due_on": r["due_on"], "stopped_on": r["stopped_on"]} for r in rows]  # fmt: skip


def work_in_progress(
    *, scope: Mapping[str, Any], filters: Filters, today: dt.date
) -> list[dict[str, Any]]:
    """Open cases by the phase they wait in and by how long they have waited there (days)."""
    # Counted in the database: one grouped row per phase, whatever the number of open cases.
    limits = [today - dt.timedelta(days=high) for _low, high in AGE_BUCKETS if high is not None]
    buckets = [Q(phase_since__gte=limits[0]) | Q(phase_since__isnull=True)]
    buckets += [Q(phase_since__lt=newer, phase_since__gte=older)
                for newer, older in itertools.pairwise(limits)]  # fmt: skip
    buckets.append(Q(phase_since__lt=limits[-1]))
    rows = (
        CaseFacts.objects.filter(_facts_scope(scope, filters), is_open=True)
        .exclude(current_phase="")
        .values("current_phase")
        # Counting a column of the covering index keeps it an index-only scan (models).
        .annotate(**{f"b{i}": Count("current_phase", filter=q) for i, q in enumerate(buckets)})
    )
    table = {phase: [0] * len(AGE_BUCKETS) for phase in WIP_PHASES}
    for row in rows:
        table[row["current_phase"]] = [row[f"b{i}"] for i in range(len(AGE_BUCKETS))]
    return [{"phase": phase, "buckets": counts, "total": sum(counts)}
            for phase, counts in table.items()]  # fmt: skip


def published(key: str = "public") -> dict[str, Any] | None:
    row = PublishedFigures.objects.filter(key=key).values_list("data", flat=True).first()
    return dict(row) if row else None
