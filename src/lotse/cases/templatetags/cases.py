from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from lotse.cases.selectors import DeadlineBoard
from lotse.cases.workflow import history_label

register = template.Library()


@register.simple_tag
def board_columns(board: DeadlineBoard) -> list[tuple[str, list[Any], str, str]]:
    """The three columns of the deadline board: title, entries, empty text, badge colour."""
    return [
        (_("Overdue"), board.overdue, _("Nothing is overdue."), "danger"),
        (_("Due this week"), board.due_this_week, _("Nothing is due this week."), "info"),
        (
            _("Deemed approvals to confirm"),
            board.deemed_to_confirm,
            _("No BA week has passed without an answer."),
            "warning",
        ),
    ]


@register.filter
def step_label(row: Any) -> str:
    """The label of a history row's step ("create" is the start of the case)."""
    return history_label(row.action)
