from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

from lotse.cases import counters
from lotse.cases.selectors import BoardEntry, CaseRow, DeadlineBoard
from lotse.cases.workflow import history_label

register = template.Library()


@register.simple_tag
def board_columns(
    board: DeadlineBoard,
) -> list[tuple[str, list[Any], str, str, int, str, str, str]]:
    """The three columns of the deadline board: title, entries, empty text, badge colour, the
    column's (capped) count, its name and the cursors of its next and previous pages."""
    columns = [
        ("overdue", _("Overdue"), board.overdue, _("Nothing is overdue."), "danger"),
        ("due_this_week", _("Due this week"), board.due_this_week,
         _("Nothing is due this week."), "info"),
        ("deemed_to_confirm", _("Deemed approvals to confirm"), board.deemed_to_confirm,
         _("No BA week has passed without an answer."), "warning"),
    ]  # fmt: skip
    return [
        (title, entries, empty, kind, board.counts.get(name, len(entries)), name,
         board.next_cursors.get(name, ""), board.prev_cursors.get(name, ""))
        for name, title, entries, empty, kind in columns
    ]  # fmt: skip


@register.filter
def capped_count(count: int, cap: int = counters.CAP) -> str:
    """A count from lotse.cases.counters: the number, or "more than 1,000" beyond the cap."""
    if count > cap:
        return _("more than %(cap)s") % {"cap": formats.number_format(cap, force_grouping=True)}
    return formats.number_format(count, force_grouping=True)


@register.filter
def step_label(row: Any) -> str:
    """The label of a history row's step ("create" is the start of the case)."""
    return history_label(row.action)


def _e(value: Any) -> str:
    # What {{ value }} renders with autoescape on (django.utils.html.conditional_escape).
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


@register.simple_tag
def case_rows(rows: Iterable[CaseRow], company_user: bool) -> SafeString:
    """The ``<tr>`` of a workbench list's rows (cases/_case_table.html), written in Python:
    Django's template engine resolves each of the ~25 variables of a row through its lookup
    machinery, which made the rows the largest part of a list's CPU. The HTML is byte for byte
    what the template loop wrote (tests/cases/test_row_html.py renders both)."""
    recognition_word, ba_word = _e(_("Recognition")), _e(_("BA approval"))
    overdue_word, deemed_word = _e(_("overdue")), _e(_("BA approval deemed given"))
    parts = []
    for row in rows:
        case = row.case
        party = ""
        if not company_user:
            advisor = case.advisor
            party = (
                f'<td class="kern-table__cell">{_e(case.company.name)}<br>'
                f'<span class="lotse-muted">{_e(case.site.municipality)}'
                f"{f' · {_e(advisor.display_name)}' if advisor else ''}</span></td>"
            )
        state = _e(row.state_label)
        if row.recognition_label:
            state += (
                f'<br><span class="lotse-muted">{recognition_word}: {_e(row.recognition_label)}'
                f"<br>{ba_word}: {_e(row.ba_label)}</span>"
            )
        state += " "
        if row.overdue:
            state += (
                f'<span class="kern-badge kern-badge--danger"><span class="kern-label">'
                f"{overdue_word}</span></span>"
            )
        if row.deemed:
            state += (
                f'<span class="kern-badge kern-badge--warning"><span class="kern-label">'
                f"{deemed_word}</span></span>"
            )
        steps = (
            "<br>".join(_e(label) for label in row.next_steps)
            if row.next_steps
            else '<span class="lotse-muted">–</span>'
        )
        date = (
            f'<span class="lotse-nowrap">{_e(row.date_text)}</span><br>'
            f'<span class="lotse-muted">{_e(row.date_note)}</span>'
            if row.date_text
            else "–"
        )
        parts.append(
            '\n    <tr class="kern-table__row" data-testid="case-row">\n'
            f'      <td class="kern-table__cell"><a class="kern-link" href="{_e(row.url)}">'
            f"{_e(case.reference)}</a><br>{_e(case.worker_name)}<br>"
            f'<span class="lotse-muted">{_e(row.title_label)}</span></td>\n'
            f"      {party}\n"
            f'      <td class="kern-table__cell">{state}</td>\n'
            f'      <td class="kern-table__cell">{steps}</td>\n'
            f'      <td class="kern-table__cell">{_e(row.who) if row.who else "–"}</td>\n'
            f'      <td class="kern-table__cell">{date}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped above)


@register.simple_tag
def board_entries(entries: Iterable[BoardEntry]) -> SafeString:
    """The ``<li>`` of a deadline board column (cases/_board.html), written in Python for the
    reason of ``case_rows`` (up to 150 entries on the ABH's overview), the same HTML."""
    due_word, halted_word = _e(_("due")), _e(_("halted"))
    # One reverse for the column: the detail URL differs only by the case's number.
    marker = 999_999_999
    detail_url = reverse("cases:detail", args=[marker]).replace(str(marker), "{}")
    parts = []
    for entry in entries:
        case, status = entry.case, entry.status
        if status.state == "deemed":
            when = _("the week ended on %(date)s") % {"date": _e(_short_date(status.due))}
        elif status.due:
            when = f"{due_word} {_e(_short_date(status.due))}"
        else:
            when = halted_word
        parts.append(
            f'<li><a class="kern-link" href="{_e(detail_url.format(case.pk))}">{_e(case.reference)}</a> '
            f"{_e(case.worker_name)}<br>\n        <span>{_e(entry.label)}</span><br>"
            f'<span class="lotse-muted">{when} · {_e(case.company.name)}</span></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308  (every value escaped above)


def _short_date(value: Any) -> str:
    # The filter |date:"SHORT_DATE_FORMAT" ("" for no date, as the filter).
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""
