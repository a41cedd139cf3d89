"""API of the insights area: a case's expected dates and the leads' statistics.

No ``from __future__ import annotations`` here: ninja resolves the annotations at import.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from lotse.access import statistics_scope_for
from lotse.api.errors import OBJECT_ERRORS, ApiError, ErrorOut
from lotse.api.objects import request_user, visible_case
from lotse.api.schemas import OBJECT_ID
from lotse.insights import selectors
from lotse.insights.forms import StatisticsFilterForm
from lotse.insights.phrases import texts

router = Router(tags=["insights"])

NOT_A_LEAD = _("Only the leads of a chamber or an immigration office see the figures.")
INVALID = _("The filters are not valid.")


class ExpectedOut(Schema):
    milestone: str
    label: str
    median: date | None
    low: date | None
    high: date | None
    peers: int
    statutory: date | None
    statutory_halted: bool
    clocks: list[str]
    estimate_text: str
    statutory_text: str


@router.get(
    "/cases/{case_id}/expected-dates",
    response={200: list[ExpectedOut], **OBJECT_ERRORS},
    summary="The expected dates of the case's remaining milestones",
    description=(
        "For each milestone still to come (pre-approval, visa appointment, visa, entry): the "
        "empirical estimate (median and 80 % range of comparable cases of the last 12 months; "
        "null with fewer than 20) and the statutory bound. Recomputed when the case moves and "
        "nightly; see docs/statistics.md."
    ),
)
def case_expected_dates(request: HttpRequest, case_id: int = OBJECT_ID) -> list[dict[str, Any]]:
    case = visible_case(request, case_id)
    stored = selectors.expected_of(case)
    words = texts(stored)
    return [
        {
            "milestone": item["milestone"],
            "label": text.label,
            "median": text.median,
            "low": text.low,
            "high": text.high,
            "peers": item["peers"],
            "statutory": text.bound,
            "statutory_halted": bool(item.get("statutory_halted")),
            "clocks": list(item.get("clocks", [])),
            "estimate_text": text.estimate,
            "statutory_text": text.statutory,
        }
        for item, text in zip(stored, words, strict=True)
    ]


class StatisticsIn(Schema):
    start: str = ""
    end: str = ""
    title: str = ""
    recognition_body: str = ""
    occupation_group: str = ""
    company_size: str = Field(
        "",
        description="micro (1–9 employees), small (10–49), medium (50–249), large (250+), "
        "or unknown (not given)",
    )
    qualification_country: str = Field(
        "",
        description="ISO 3166-1 alpha-3 code of the country of the qualification, e.g. IND, "
        "or unknown (not given)",
    )


class PeriodOut(Schema):
    start: date
    end: date
    title: str
    recognition_body: int | None
    occupation_group: str
    company_size: str
    qualification_country: str


class DurationOut(Schema):
    phase: str
    count: int
    median: float | None
    p90: float | None


class ClockOut(Schema):
    code: str
    label: str
    met: int
    total: int
    share: float | None


class OverdueOut(Schema):
    case_id: int
    reference: str
    code: str
    label: str
    due_on: date
    stopped_on: date | None
    days_late: int | None


class ReturnsOut(Schema):
    forwarded: int
    returned: int
    requests: int
    returned_per_100: float | None
    requests_per_100: float | None


class WipOut(Schema):
    phase: str
    buckets: list[int]
    total: int


class StatisticsOut(Schema):
    filters: PeriodOut
    months: list[date]
    events: dict[str, list[int]]
    durations: list[DurationOut]
    clocks: list[ClockOut]
    overdue: list[OverdueOut]
    returns: ReturnsOut
    wip: list[WipOut]
    age_buckets: list[str]
    monthly_as_of: datetime | None = Field(
        description="When the nightly job computed the monthly figures (null: counted now, "
        "see monthly_live, or not computed yet)"
    )
    monthly_live: bool = Field(
        description="true: two or more filters, the monthly figures were counted now from "
        "the cases' records"
    )
    counted_at: datetime = Field(
        description="When the overdue list and the open cases were read (current figures)"
    )


@router.get(
    "/statistics",
    response={200: StatisticsOut, 403: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="The figures of your chamber's or immigration office's cases",
    description=(
        "The statistics page as data, with the same filters (`start`, `end` as YYYY-MM, "
        "`title`, `recognition_body` (id), `occupation_group`, `company_size`, "
        "`qualification_country`). Chamber leads read their "
        "chamber's cases, immigration office leads the cases forwarded to their office. "
        "Definitions: docs/statistics.md."
    ),
)
def statistics(request: HttpRequest, params: Query[StatisticsIn]) -> dict[str, Any]:
    user = request_user(request)
    scope = statistics_scope_for(user=user)
    if scope is None:
        raise ApiError(403, "forbidden", str(NOT_A_LEAD))
    form = StatisticsFilterForm({k: v for k, v in params.dict().items() if v})
    if not form.is_valid():
        raise ApiError(
            422,
            "invalid_filters",
            str(INVALID),
            [{"field": name, "message": str(errors[0])} for name, errors in form.errors.items()],
        )
    figures = selectors.statistics(
        scope=scope, filters=form.filters(), language=translation.get_language() or "de"
    )
    f = figures.filters
    return {
        "filters": {
            "start": f.start,
            "end": f.end,
            "title": f.title,
            "recognition_body": f.recognition_body_id,
            "occupation_group": f.occupation_group,
            "company_size": f.company_size,
            "qualification_country": f.qualification_country,
        },
        "months": figures.months,
        "events": figures.events,
        "durations": [{"phase": p, **row} for p, row in figures.durations.items()],
        "clocks": figures.clocks,
        "overdue": figures.overdue,
        "returns": {
            "forwarded": figures.forwarded,
            "returned": figures.returned,
            "requests": figures.requests,
            "returned_per_100": figures.returned_per_100,
            "requests_per_100": figures.requests_per_100,
        },
        "wip": figures.wip,
        "age_buckets": ["0-30", "31-90", "91-180", "181+"],
        "monthly_as_of": figures.monthly_as_of,
        "monthly_live": figures.monthly_live,
        "counted_at": figures.counted_at,
    }
