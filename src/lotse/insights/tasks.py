"""Background work of the insights area, enqueued by the scheduler and after each step."""

from __future__ import annotations

from django_tasks import task

from lotse.insights.services import insights_case_refresh, statistics_refresh


@task()
def statistics_refresh_task() -> dict[str, int]:
    return statistics_refresh()


@task()
def case_facts_refresh_task(case_id: int) -> bool:
    return insights_case_refresh(case_id=case_id) is not None
