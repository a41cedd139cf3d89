from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from lotse.cases import counters
from lotse.cases.selectors import DeadlineBoard
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
