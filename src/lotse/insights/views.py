"""Pages of the insights area: the leads' statistics with exports, and the open statistics."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, translation
from django.utils.translation import gettext as _

from lotse.access import statistics_scope_for
from lotse.accounts.models import User
from lotse.insights import charts, selectors
from lotse.insights.exports import tables_csv, tables_xlsx
from lotse.insights.forms import StatisticsFilterForm
from lotse.insights.labels import AGE_LABELS, EVENT_LABELS, PHASE_LABELS, WIP_LABELS
from lotse.insights.tables import Table, tables

LICENCE_NAME = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
LICENCE_URL = "https://www.govdata.de/dl-de/by-2-0"


def _figures(request: HttpRequest) -> tuple[StatisticsFilterForm, selectors.Statistics]:
    user: User = request.user  # type: ignore[assignment]
    scope = statistics_scope_for(user=user)
    if scope is None:
        raise PermissionDenied(
            _("Only the leads of a chamber or an immigration office see the figures.")
        )
    form = StatisticsFilterForm(request.GET or None)
    figures = selectors.statistics(
        scope=scope, filters=form.filters(), language=translation.get_language() or "de"
    )
    return form, figures


def _charts(figures: selectors.Statistics) -> dict[str, charts.Chart]:
    months = [formats.date_format(m, "m/y") for m in figures.months]
    decimal = str(formats.get_format("DECIMAL_SEPARATOR"))
    return {
        "events": charts.grouped_bars(
            "events", _("Cases per month"), months,
            [(str(EVENT_LABELS[e]), figures.events[e]) for e in ("started", "forwarded", "visa_issued")],
            decimal_separator=decimal,
        ),
        "durations": charts.horizontal_bars(
            "durations", _("Median days per phase"),
            [(str(PHASE_LABELS[p]), row["median"]) for p, row in figures.durations.items()],
            decimal_separator=decimal,
        ),
        "clocks": charts.horizontal_bars(
            "clocks", _("Deadlines met (%)"),
            [(row["label"], row["share"]) for row in figures.clocks], maximum=100, suffix=" %", decimal_separator=decimal,
        ),
        "wip": charts.horizontal_bars(
            "wip", _("Open cases by phase"),
            [(str(WIP_LABELS[row["phase"]]), row["total"]) for row in figures.wip],
            decimal_separator=decimal,
        ),
    }  # fmt: skip


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    form, figures = _figures(request)
    status = 422 if form.is_bound and not form.is_valid() else 200
    made = {table.key: table for table in tables(figures)}
    context: dict[str, Any] = {
        "section": "statistics",
        "form": form,
        "figures": figures,
        "tables": made,
        "charts": _charts(figures),
        "age_labels": AGE_LABELS,
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/statistics.html", context, status=status)


def _export_name(figures: selectors.Statistics, ext: str) -> str:
    return f"lotse-statistik-{figures.filters.start:%Y-%m}-{figures.filters.end:%Y-%m}.{ext}"


@login_required
def statistics_csv(request: HttpRequest) -> HttpResponse:
    _form, figures = _figures(request)
    response = HttpResponse(tables_csv(tables(figures)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(figures, "csv")}"'
    return response


@login_required
def statistics_xlsx(request: HttpRequest) -> HttpResponse:
    _form, figures = _figures(request)
    response = HttpResponse(
        tables_xlsx(tables(figures)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(figures, "xlsx")}"'
    return response


def public_tables(data: dict[str, Any] | None) -> list[Table]:
    """The open statistics as tables (the page and the CSV)."""
    if not data:
        return []
    dash = None
    headline = Table(
        "headline",
        _("Headline figures per quarter"),
        [_("Quarter"), _("Cases started"), _("Median duration, start to visa (days)"),
         _("Deadlines met (%)"), _("Nachforderungen per 100 forwarded files")],
        [[row["quarter"], row["cases"], row["median_days"], row["compliance"],
          row["requests_per_100"]] for row in data["headline"]],
    )  # fmt: skip
    titles = data["titles"]
    rows = [[row["quarter"], *row["counts"], row["total"]] for row in data["by_title"]]
    if data.get("totals"):
        rows.append([_("All quarters"), *data["totals"]["counts"], data["totals"]["total"]])
    by_title = Table(
        "by_title",
        _("Cases started per quarter and residence title"),
        [_("Quarter"), *[f"§ {t}" for t in titles], _("Total")],
        [[dash if v is None else v for v in row] for row in rows],
    )
    return [headline, by_title]


def public(request: HttpRequest) -> HttpResponse:
    data = selectors.published()
    context = {
        "section": "public_statistics",
        "data": data,
        "tables": public_tables(data),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
    }
    return render(request, "insights/public.html", context)


def public_csv(request: HttpRequest) -> HttpResponse:
    made = public_tables(selectors.published())
    response = HttpResponse(tables_csv(made), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lotse-offene-statistik.csv"'
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    return response
