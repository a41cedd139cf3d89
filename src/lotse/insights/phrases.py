"""The expected dates in words ("Pre-approval expected between 12 and 26 January 2027")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.utils import formats, translation
from django.utils.translation import gettext as _

from lotse import clocks as clock_engine
from lotse.insights.labels import MILESTONE_LABELS, MILESTONE_TIMELINE


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j. F Y" if translation.get_language() == "de" else "j F Y")


def date_range(low: dt.date, high: dt.date) -> tuple[str, str]:
    """The two ends of a range without repeating the month and year they share."""
    de = translation.get_language() == "de"
    if low == high:
        return _day(low), _day(high)
    if (low.year, low.month) == (high.year, high.month):
        start = formats.date_format(low, "j." if de else "j")
    elif low.year == high.year:
        start = formats.date_format(low, "j. F" if de else "j F")
    else:
        start = _day(low)
    return start, _day(high)


@dataclass(frozen=True)
class ExpectedText:
    milestone: str
    label: str
    timeline_key: str
    estimate: str
    statutory: str
    median: dt.date | None
    low: dt.date | None
    high: dt.date | None
    bound: dt.date | None


def _clock_names(codes: list[str]) -> str:
    language: Literal["de", "en"] = "de" if translation.get_language() == "de" else "en"
    return ", ".join(clock_engine.clock(code).label(language) for code in codes)


def texts(expected: list[dict[str, Any]]) -> list[ExpectedText]:
    result = []
    for item in expected:
        label = str(MILESTONE_LABELS.get(item["milestone"], item["milestone"]))
        low = dt.date.fromisoformat(item["low"]) if item.get("low") else None
        high = dt.date.fromisoformat(item["high"]) if item.get("high") else None
        median = dt.date.fromisoformat(item["median"]) if item.get("median") else None
        bound = dt.date.fromisoformat(item["statutory"]) if item.get("statutory") else None
        if low and high and median:
            if low == high:
                estimate = _("%(milestone)s expected on %(day)s (from %(count)s comparable cases "
                             "of the last 12 months).") % {
                    "milestone": label, "day": _day(median), "count": item["peers"]}  # fmt: skip
            else:
                start, end = date_range(low, high)
                estimate = _("%(milestone)s expected between %(start)s and %(end)s (median "
                             "%(median)s; from %(count)s comparable cases of the last 12 months).") % {
                    "milestone": label, "start": start, "end": end, "median": _day(median),
                    "count": item["peers"]}  # fmt: skip
        else:
            estimate = _("%(milestone)s: not enough data yet for an estimate (%(count)s comparable "
                         "cases of the last 12 months; 20 are needed).") % {
                "milestone": label, "count": item["peers"]}  # fmt: skip
        if bound is not None:
            statutory = _("By the statutory periods at the latest on %(day)s (%(clocks)s).") % {
                "day": _day(bound), "clocks": _clock_names(item.get("clocks", []))}  # fmt: skip
        elif item.get("statutory_halted"):
            statutory = _("No statutory date while a period is halted (documents or information "
                          "were requested).")  # fmt: skip
        else:
            statutory = _("The law sets no period for this step.")
        result.append(
            ExpectedText(
                item["milestone"],
                label,
                MILESTONE_TIMELINE.get(item["milestone"], ""),
                estimate,
                statutory,
                median,
                low,
                high,
                bound,
            )
        )
    return result
