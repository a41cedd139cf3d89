"""Who hears of a case's change: handed to lotse.notifications inside the step's transaction.

The rows are written with the change (and its audit event); the mail goes out later from the
outbox (`lotse worker`), so nothing is sent inside a request.
"""

from __future__ import annotations

from django.db import transaction

from lotse.cases.models import Case, CaseTransition
from lotse.insights.tasks import case_facts_refresh_task
from lotse.notifications.models import Notification
from lotse.notifications.services import notification_emit_for_case_change


def notify(*, case_id: int, transition_id: int | None) -> list[Notification]:
    """Write the notifications of a new case (no transition) or of one step."""
    case = Case.objects.select_related("company", "chamber", "advisor", "authority").get(pk=case_id)
    step = (
        CaseTransition.objects.select_related("actor").get(pk=transition_id)
        if transition_id is not None
        else None
    )
    # The case's figures and expected dates follow the step (lotse.insights), after the commit
    # so that the worker reads the step's rows.
    transaction.on_commit(lambda: case_facts_refresh_task.enqueue(case_id))
    return notification_emit_for_case_change(case=case, transition=step)
