"""Background work of the conversations area (django-tasks; `lotse db_worker` runs it)."""

from __future__ import annotations

from django_tasks import task

from lotse.conversations.services import document_requests_lapse


@task()
def document_requests_lapse_task() -> int:
    """Once a day: end the § 14a BQFG suspension of requests whose due date passed unanswered."""
    return len(document_requests_lapse())
