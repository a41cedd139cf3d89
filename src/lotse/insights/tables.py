"""The figures of the statistics page as tables: the page, the CSV and the XLSX show these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from lotse.insights.labels import AGE_LABELS, EVENT_LABELS, PHASE_LABELS, WIP_LABELS
from lotse.insights.selectors import Statistics

Value = str | int | float | None


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Value]]


def month_label(day: dt.date) -> str:
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def tables(figures: Statistics) -> list[Table]:
    """Every table of the page, in page order (the exports write the same cells)."""
    months = [month_label(m) for m in figures.months]
    event_rows: list[list[Value]] = [
        [month, *[figures.events[event][i] for event in EVENT_LABELS]]
        for i, month in enumerate(months)
    ]
    event_rows.append([_("Total"), *[sum(figures.events[event]) for event in EVENT_LABELS]])
    events = Table(
        "events",
        _("Cases per month"),
        [_("Month"), *[str(label) for label in EVENT_LABELS.values()]],
        event_rows,
    )
    durations = Table(
        "durations",
        _("Time each phase takes (calendar days)"),
        [_("Phase"), _("Finished in the period"), _("Median"), _("90th percentile")],
        [
            [str(PHASE_LABELS[phase]), row["count"], row["median"], row["p90"]]
            for phase, row in figures.durations.items()
        ],
    )
    clocks = Table(
        "clocks",
        _("Deadline compliance"),
        [_("Deadline"), _("Met"), _("Decided"), _("Share met (%)")],
        [[row["label"], row["met"], row["total"], row["share"]] for row in figures.clocks],
    )
    overdue = Table(
        "overdue",
        _("Deadlines not met"),
        [_("Case"), _("Deadline"), _("Due"), _("Days late")],
        [
            [row["reference"], row["label"], formats.date_format(row["due_on"], "SHORT_DATE_FORMAT"),
             row["days_late"]]
            for row in figures.overdue
        ],
    )  # fmt: skip
    returns = Table(
        "returns",
        _("Files returned and requests for documents"),
        [_("Figure"), _("Count"), _("Per 100 forwarded files")],
        [
            [_("Files forwarded"), figures.forwarded, None],
            [_("Files returned by the immigration office"), figures.returned,
             figures.returned_per_100],
            [_("Requests for missing documents (Nachforderungen)"), figures.requests,
             figures.requests_per_100],
        ],
    )  # fmt: skip
    wip = Table(
        "wip",
        _("Open cases by phase and waiting time"),
        [_("Phase"), *[str(label) for label in AGE_LABELS], _("Total")],
        [[str(WIP_LABELS[row["phase"]]), *row["buckets"], row["total"]] for row in figures.wip],
    )
    return [events, durations, clocks, overdue, returns, wip]
