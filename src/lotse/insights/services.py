"""Writes of the insights area: the facts and expected dates of a case, the monthly rollups.

These rows are derived data, rebuilt from the case record at any time; no person changes them,
so they carry no audit event (the case's own steps are audited by lotse.cases).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from lotse.cases.models import Case, CaseClock
from lotse.insights import estimator
from lotse.insights.facts import facts_case_queryset, facts_values, recognition_path
from lotse.insights.models import (
    FILTER_COLUMNS,
    CaseFacts,
    MonthlyRollup,
    OverdueClock,
    PublishedFigures,
)
from lotse.insights.suppression import suppress

PeerCache = dict[tuple[str, int | None, str, str], estimator.PeerLengths]

# The phase → the facts field of the event that ends it (a length counts in that month).
PHASE_END: dict[str, str] = {
    "advice_to_forwarding": "forwarded_on",
    "forwarding_to_acceptance": "accepted_on",
    "recognition": "recognition_ended_on",
    "ba": "ba_ended_on",
    "acceptance_to_preapproval": "preapproved_on",
    "preapproval_to_visa": "visa_issued_on",
    "whole": "visa_issued_on",
}
EVENT_FIELD: dict[str, str] = {
    "started": "started_on",
    "forwarded": "forwarded_on",
    "accepted": "accepted_on",
    "preapproved": "preapproved_on",
    "visa_issued": "visa_issued_on",
    "ended_early": "ended_early_on",
}
COMPLIANCE_KINDS = ("deadline", "fiction")


def peer_lengths(
    *, title: str, body_id: int | None, anchor: str, field: str, today: dt.date,
    cache: PeerCache | None = None,
) -> estimator.PeerLengths:  # fmt: skip
    """The days from ``anchor`` to ``field`` of comparable cases whose ``field`` fell in the last
    12 months (same title, same recognition body), reduced once to their quantiles."""
    key = (title, body_id, anchor, field)
    if cache is not None and key in cache:
        return cache[key]
    since = today - dt.timedelta(days=estimator.PEER_WINDOW_DAYS)
    rows = CaseFacts.objects.filter(
        title=title, recognition_body_id=body_id,
        **{f"{field}__gte": since, f"{field}__lte": today, f"{anchor}__isnull": False},
    ).values_list(anchor, field)  # fmt: skip
    lengths = estimator.PeerLengths.of((end - start).days for start, end in rows if end >= start)
    if cache is not None:
        cache[key] = lengths
    return lengths


def expected_dates(
    case: Case, values: dict[str, Any], today: dt.date, cache: PeerCache | None = None
) -> list[dict[str, Any]]:
    """The expected dates of the case's remaining milestones, as stored on its facts."""
    if not values["is_open"]:
        return []
    reached = {name: values.get(name) for name in estimator.ANCHORS}
    situation = estimator.Situation(
        title=case.title,
        state=case.state,
        recognition_state=case.recognition_state,
        recognition_path=recognition_path(case),
        body_code=case.recognition_body.code if case.recognition_body else "",
        ba_state=case.ba_state,
        reached=reached,
        open_dues={c.code: c.due_on for c in case.clocks.all() if c.stopped_on is None},
    )
    bounds = estimator.statutory_bounds(situation, today)
    result = []
    for milestone in estimator.remaining(reached):
        anchor = estimator.anchor_of(milestone, reached)
        lengths = peer_lengths(
            title=case.title, body_id=case.recognition_body_id, anchor=anchor,
            field=estimator.MILESTONE_FIELD[milestone], today=today, cache=cache,
        )  # fmt: skip
        found = estimator.empirical(reached[anchor] or values["started_on"], lengths, today)
        bound = bounds.get(milestone, estimator.Bound(None))
        result.append(
            {
                "milestone": milestone,
                "statutory": bound.day.isoformat() if bound.day else None,
                "statutory_halted": bound.halted,
                "clocks": list(bound.clocks),
                "median": found.median.isoformat() if found else None,
                "low": found.low.isoformat() if found else None,
                "high": found.high.isoformat() if found else None,
                "peers": lengths.count,
                "anchor": anchor,
            }
        )
    return result


def insights_case_refresh(
    *, case_id: int, today: dt.date | None = None, cache: PeerCache | None = None
) -> CaseFacts | None:
    """Rebuild the facts and the expected dates of one case (after a step, and on schedule)."""
    today = today or timezone.localdate()
    case = facts_case_queryset().filter(pk=case_id).first()
    if case is None:
        return None
    return _store(case, today, cache)


def _values(case: Case, today: dt.date, cache: PeerCache | None) -> dict[str, Any]:
    values = facts_values(case)
    values["expected"] = expected_dates(case, values, today, cache)
    values["computed_at"] = timezone.now()
    return values


def _store(case: Case, today: dt.date, cache: PeerCache | None) -> CaseFacts:
    values = _values(case, today, cache)
    with transaction.atomic():
        facts, _created = CaseFacts.objects.update_or_create(case_id=case.pk, defaults=values)
        overdue_case_refresh(case_id=case.pk)
    return facts


def _overdue_insert(where: str) -> str:
    """INSERT … SELECT of the OverdueClock rows (PostgreSQL and SQLite alike): the deadline and
    fiction clocks with a due day that stopped after it or still run, except those stopped on
    the day their case closed (they stopped because the case ended), with the scope and the
    filter values of the case's facts. Only constants of the code go into the statement."""
    kinds = ", ".join(f"'{kind}'" for kind in COMPLIANCE_KINDS)
    return f"""
INSERT INTO {OverdueClock._meta.db_table} (clock_id, case_id, reference, code, due_on,
  stopped_on, chamber_id, authority_id, forwarded, title, recognition_body_id, occupation_group,
  company_size, qualification_country)
SELECT k.id, k.case_id, c.reference, k.code, k.due_on, k.stopped_on, f.chamber_id,
  f.authority_id, CASE WHEN f.forwarded_on IS NULL THEN %s ELSE %s END, f.title,
  f.recognition_body_id, f.occupation_group, f.company_size, f.qualification_country
FROM {CaseClock._meta.db_table} k
JOIN {CaseFacts._meta.db_table} f ON f.case_id = k.case_id
JOIN {Case._meta.db_table} c ON c.id = k.case_id
WHERE k.kind IN ({kinds}) AND k.due_on IS NOT NULL
  AND (k.stopped_on IS NULL OR k.stopped_on > k.due_on)
  AND NOT (k.stopped_on IS NOT NULL AND c.closed_on IS NOT NULL AND k.stopped_on = c.closed_on)
  {where}
"""  # noqa: S608


def overdue_case_refresh(*, case_id: int) -> None:
    """Rebuild the OverdueClock rows of one case (with its facts, after each step)."""
    overdue_cases_refresh(case_ids=[case_id])


def overdue_cases_refresh(*, case_ids: Sequence[int]) -> None:
    """Rebuild the OverdueClock rows of these cases (with their facts)."""
    if not case_ids:
        return
    marks = ", ".join(["%s"] * len(case_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        OverdueClock.objects.filter(case_id__in=case_ids).delete()
        cursor.execute(_overdue_insert(f"AND k.case_id IN ({marks})"), [False, True, *case_ids])


def overdue_rebuild() -> int:
    """Rebuild every OverdueClock row (the nightly job, after the dimensions were synced)."""
    with transaction.atomic(), connection.cursor() as cursor:
        OverdueClock.objects.all().delete()
        cursor.execute(_overdue_insert(""), [False, True])
        return int(cursor.rowcount)


def insights_refresh_open(*, today: dt.date | None = None, batch: int = 500) -> int:
    """Rebuild the facts of every case still before entry and of cases without facts yet.

    One upsert per batch instead of a read and a write per case: at a million cases about
    700,000 are open, and the nightly run must finish within the night."""
    today = today or timezone.localdate()
    cache: PeerCache = {}
    ids = list(
        Case.objects.exclude(facts__is_open=False).values_list("pk", flat=True).order_by("pk")
    )
    for start in range(0, len(ids), batch):
        facts_refresh_batch(case_ids=ids[start : start + batch], today=today, cache=cache)
    return len(ids)


def facts_refresh_batch(*, case_ids: Sequence[int], today: dt.date, cache: PeerCache) -> int:
    """Rebuild the facts of these cases in one transaction and one upsert."""
    computed = {
        case.pk: _values(case, today, cache)
        for case in facts_case_queryset().filter(pk__in=case_ids)
    }
    if not computed:
        return 0
    # Like update_or_create(defaults=values): only the computed fields are written.
    fields = sorted(next(iter(computed.values())))
    with transaction.atomic():
        CaseFacts.objects.bulk_create(
            [CaseFacts(case_id=pk, **values) for pk, values in computed.items()],
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=fields,
        )
        # As _store does per case: the overdue rows carry the facts' scope and filters.
        overdue_cases_refresh(case_ids=list(computed))
    return len(computed)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _blank() -> dict[str, Any]:
    return {"events": {}, "durations": {}, "returned": 0, "requests": 0, "clocks": {}}


def _bump(counter: dict[str, Any], key: str, by: int = 1) -> None:
    counter[key] = counter.get(key, 0) + by


FACT_FIELDS = ("case_id", "chamber_id", "authority_id", "title", "recognition_body_id",
               "occupation_group", "company_size", "qualification_country",
               "forwarded_on", "ended_early_on",
               *EVENT_FIELD.values(), *PHASE_END.values(), *PHASE_END.keys(),
               "returned_count", "requests_count")  # fmt: skip


Dims = tuple[Any, ...]
Tails = Callable[[Dims], Sequence[tuple[Any, ...]]]


def fine_tails(dims: Dims) -> Sequence[Dims]:
    """One key per case: all its dimensions (chamber, authority, forwarded, then FILTER_COLUMNS)."""
    return (dims,)


def one_key(dims: Dims) -> Sequence[Dims]:
    """One key for every case: the figures per month only (the cases were selected before)."""
    return ((),)


def coarse_tails(dims: Dims) -> Sequence[tuple[Any, ...]]:
    """The keys of the stored rollups a case counts in: its chamber's scope (every case) and,
    once forwarded, its ABH's scope, each without a filter and with each single filter's value.
    A scope's rows carry 0 for the other organisation (access.statistics_scope_for)."""
    chamber, authority, forwarded = dims[:3]
    scopes = [(chamber, 0, False), (0, authority, True)] if forwarded else [(chamber, 0, False)]
    return tuple(key for scope in scopes for key in (
        (*scope, "", None), *((*scope, name, dims[3 + i]) for i, name in enumerate(FILTER_COLUMNS))
    ))  # fmt: skip


def rollups_build(
    facts: Iterable[Mapping[str, Any]],
    clocks: Iterable[Mapping[str, Any]],
    today: dt.date,
    tails: Tails = fine_tails,
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The monthly figures per (month, *key) for the keys ``tails`` gives each case's dimensions
    (pure: tested on hand-made facts)."""
    table: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(_blank)
    keys_of: dict[int, Sequence[tuple[Any, ...]]] = {}
    shared: dict[Dims, Sequence[tuple[Any, ...]]] = {}  # a million cases share few combinations
    ended_of: dict[int, dt.date | None] = {}
    event_fields, phase_ends = tuple(EVENT_FIELD.items()), tuple(PHASE_END.items())
    for row in facts:
        dims = (row["chamber_id"], row["authority_id"], row["forwarded_on"] is not None,
                *(row[column] for column in FILTER_COLUMNS.values()))  # fmt: skip
        keys = shared.get(dims)
        if keys is None:
            keys = shared[dims] = tails(dims)
        keys_of[row["case_id"]] = keys
        if row["ended_early_on"] is not None:
            ended_of[row["case_id"]] = row["ended_early_on"]
        # The hot loop of the nightly job (a million cases × six keys): plain dict operations.
        for event, name in event_fields:
            day = row[name]
            if day is not None:
                month = (day.replace(day=1),)
                for key in keys:
                    counts = table[month + key]["events"]
                    counts[event] = counts.get(event, 0) + 1
        for phase, name in phase_ends:
            length, day = row[phase], row[name]
            if length is not None and day is not None:
                month, days = (day.replace(day=1),), str(length)
                for key in keys:
                    durations = table[month + key]["durations"]
                    histogram = durations.get(phase)
                    if histogram is None:
                        histogram = durations[phase] = {}
                    histogram[days] = histogram.get(days, 0) + 1
        if row["forwarded_on"] is not None and (row["returned_count"] or row["requests_count"]):
            forwarded = _month(row["forwarded_on"])
            for key in keys:
                cell = table[(forwarded, *key)]
                cell["returned"] += row["returned_count"]
                cell["requests"] += row["requests_count"]
    for clock in clocks:
        found = keys_of.get(clock["case_id"])
        if found is None or clock["kind"] not in COMPLIANCE_KINDS:
            continue
        stopped, due = clock["stopped_on"], clock["due_on"]
        if stopped is not None and stopped == ended_of.get(clock["case_id"]):
            continue  # stopped because the case ended, not because the act came
        if stopped is None and (due is None or due >= today):
            continue  # still running within its period: not yet decided
        met = stopped is not None and (due is None or stopped <= due)
        decided = _month(stopped or due)
        for key in found:
            counts = table[(decided, *key)]["clocks"].setdefault(clock["code"], [0, 0])
            counts[0] += int(met)
            counts[1] += 1
    return dict(table)


def figures_add(into: dict[str, Any], figures: Mapping[str, Any]) -> None:
    """Add one cell's figures to another (counts, histograms, clock pairs)."""
    for event, count in figures.get("events", {}).items():
        _bump(into["events"], event, count)
    for phase, histogram in figures.get("durations", {}).items():
        target = into["durations"].setdefault(phase, {})
        for days, count in histogram.items():
            _bump(target, days, count)
    for code, (met, total) in figures.get("clocks", {}).items():
        pair = into["clocks"].setdefault(code, [0, 0])
        pair[0] += met
        pair[1] += total
    into["returned"] += figures.get("returned", 0)
    into["requests"] += figures.get("requests", 0)


def rollups_rows(table: Mapping[tuple[Any, ...], dict[str, Any]]) -> list[MonthlyRollup]:
    """The stored rows of a table built with ``coarse_tails`` (pure)."""
    blank: dict[str, Any] = dict.fromkeys(FILTER_COLUMNS.values(), "")
    blank["recognition_body_id"] = None
    rows, now = [], timezone.now()
    for (month, chamber, authority, forwarded, dimension, value), figures in table.items():
        values = dict(blank)
        if dimension:
            values[FILTER_COLUMNS[dimension]] = value
        rows.append(MonthlyRollup(month=month, chamber_id=chamber, authority_id=authority,
                                  forwarded=forwarded, dimension=dimension, figures=figures,
                                  computed_at=now, **values))  # fmt: skip
    return rows


def facts_sync_dimensions() -> int:
    """Copy the company's size class and the case's country of qualification onto the facts
    where they changed since the facts were built (neither change is a step of the case)."""
    size = Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("company__size_class")[:1])
    country = Subquery(
        Case.objects.filter(pk=OuterRef("case_id")).values("qualification_country")[:1]
    )
    changed = CaseFacts.objects.filter(
        ~Q(company_size=F("case__company__size_class"))
        | ~Q(qualification_country=F("case__qualification_country"))
    )
    return changed.update(company_size=size, qualification_country=country)


def rollups_refresh(*, today: dt.date | None = None) -> int:
    """Rebuild every monthly rollup from the cases' facts and clocks (the scheduler, nightly)."""
    today = today or timezone.localdate()
    facts_sync_dimensions()
    overdue_rebuild()
    facts = CaseFacts.objects.values(*FACT_FIELDS).iterator(chunk_size=5000)
    clocks = CaseClock.objects.values("case_id", "code", "kind", "stopped_on", "due_on").iterator(
        chunk_size=5000
    )
    rows = rollups_rows(rollups_build(facts, clocks, today, coarse_tails))
    with transaction.atomic():
        MonthlyRollup.objects.all().delete()
        MonthlyRollup.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def public_build(
    rows: Iterable[tuple[dt.date, str, dict[str, Any]]], minimum: int
) -> dict[str, Any]:
    """The open statistics from (month, title, figures) rollup rows, suppressed (pure)."""
    per_quarter: dict[str, dict[str, Any]] = {}
    for month, title, figures in rows:
        cell = per_quarter.setdefault(
            _quarter(month),
            {"titles": {}, "whole": {}, "met": 0, "decided": 0, "forwarded": 0, "requests": 0},
        )
        started = figures.get("events", {}).get("started", 0)
        if started:
            cell["titles"][title] = cell["titles"].get(title, 0) + started
        for days, count in figures.get("durations", {}).get("whole", {}).items():
            cell["whole"][days] = cell["whole"].get(days, 0) + count
        for met, total in figures.get("clocks", {}).values():
            cell["met"] += met
            cell["decided"] += total
        cell["forwarded"] += figures.get("events", {}).get("forwarded", 0)
        cell["requests"] += figures.get("requests", 0)
    quarters = sorted(per_quarter)
    titles = sorted({t for q in per_quarter.values() for t in q["titles"]})
    matrix = [[per_quarter[q]["titles"].get(t, 0) for t in titles] for q in quarters]
    result = suppress(matrix, minimum) if quarters and titles else None
    headline = []
    for i, quarter in enumerate(quarters):
        cell = per_quarter[quarter]
        values: list[int] = []
        for days, count in sorted((int(d), c) for d, c in cell["whole"].items()):
            values.extend([days] * count)
        cases = result.shown(i, len(titles)) if result else 0
        headline.append(
            {
                "quarter": quarter,
                "cases": cases,
                "median_days": (round(estimator.percentile(values, 0.5))
                                if len(values) >= minimum else None),
                "finished": len(values) if len(values) >= minimum else None,
                "compliance": (round(100 * cell["met"] / cell["decided"], 1)
                               if cell["decided"] >= minimum else None),
                "requests_per_100": (round(100 * cell["requests"] / cell["forwarded"], 1)
                                     if cell["forwarded"] >= minimum else None),
            }
        )  # fmt: skip
    by_title = [
        {"quarter": quarter, "counts": [result.shown(i, j) if result else None
                                         for j in range(len(titles))],
         "total": result.shown(i, len(titles)) if result else None}
        for i, quarter in enumerate(quarters)
    ]  # fmt: skip
    totals = (
        {"counts": [result.shown(len(quarters), j) for j in range(len(titles))],
         "total": result.shown(len(quarters), len(titles))} if result else None
    )  # fmt: skip
    return {"minimum": minimum, "quarters": quarters, "titles": titles, "headline": headline,
            "by_title": by_title, "totals": totals}  # fmt: skip


def public_refresh(*, minimum: int | None = None) -> PublishedFigures:
    """Rebuild the open statistics from the rollups (after rollups_refresh)."""
    minimum = minimum if minimum is not None else int(settings.LOTSE_STATISTICS_MIN_COUNT)
    rows = (
        MonthlyRollup.objects.filter(dimension="title", authority_id=0)
        .values_list("month", "title", "figures")
        .iterator(chunk_size=5000)
    )
    data = public_build(rows, minimum)
    figures, _created = PublishedFigures.objects.update_or_create(
        key="public", defaults={"data": data, "computed_at": timezone.now()}
    )
    return figures


def statistics_refresh(*, today: dt.date | None = None) -> dict[str, int]:
    """The scheduled job: expected dates of open cases, then the rollups, then the open figures."""
    cases = insights_refresh_open(today=today)
    rollups = rollups_refresh(today=today)
    public_refresh()
    return {"cases": cases, "rollups": rollups}
