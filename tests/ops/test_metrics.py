from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lotse.cases.models import CaseClock
from lotse.notifications.delivery import mail_write
from lotse.notifications.models import MailPurpose
from lotse.ops.metrics import STATE_CACHE_KEY
from tests.conftest import World
from tests.documents.conftest import make_case


@pytest.fixture(autouse=True)
def _fresh_state() -> None:
    cache.delete(STATE_CACHE_KEY)


def _value(text: str, name: str, labels: str = "") -> float:
    match = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    assert match, f"{name}{labels} not in the exposition"
    return float(match.group(1))


def test_metrics_are_absent_without_a_token(db: None, settings: Any) -> None:
    settings.LOTSE_METRICS_TOKEN = ""
    assert Client().get("/metrics").status_code == 404


def test_metrics_refuse_a_wrong_token(db: None, settings: Any) -> None:
    settings.LOTSE_METRICS_TOKEN = "s3cret-scrape-token"
    assert Client().get("/metrics").status_code == 401
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")


def test_metrics_count_requests_by_view_and_status_and_show_the_queues(
    db: None, settings: Any
) -> None:
    settings.LOTSE_METRICS_TOKEN = "s3cret-scrape-token"
    auth = {"HTTP_AUTHORIZATION": "Bearer s3cret-scrape-token"}
    before = Client().get("/metrics", **auth).content.decode()
    counted = 'lotse_http_requests_total{method="GET",status="401",view="api:case_list"}'
    base = _value(before, counted) if counted in before else 0.0
    Client().get("/api/v1/cases")  # no token: 401
    mail_write(to="a@example.org", subject="s", body="b", language="de",
               purpose=MailPurpose.NOTIFICATION)  # fmt: skip
    # A task waiting in the database queue, as `lotse worker` would find it.
    DBTaskResult.objects.create(
        task_path="lotse.notifications.tasks.outbox_flush_task", args_kwargs={"args": [], "kwargs": {}},
        backend_name="default", run_after=timezone.now(), queue_name="default",
    )  # fmt: skip
    cache.delete(STATE_CACHE_KEY)  # the first scrape's numbers are kept for a few seconds
    response = Client().get("/metrics", **auth)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert _value(text, counted) == base + 1
    assert "lotse_http_request_duration_seconds_bucket{" in text
    assert _value(text, "lotse_task_queue_length") == 1
    assert _value(text, "lotse_notifications_pending") == 1
    assert _value(text, "lotse_task_queue_oldest_age_seconds") >= 0
    assert _value(text, "lotse_clocks_overdue") == 0
    assert _value(text, "lotse_worker_heartbeat_age_seconds") == -1


def test_overdue_clocks_are_counted(world: World, settings: Any) -> None:
    settings.LOTSE_METRICS_TOKEN = "t" * 20
    case = make_case(world)
    today = timezone.localdate()
    CaseClock.objects.create(case=case, code="test_overdue", kind="deadline",
                             started_on=today - dt.timedelta(days=30),
                             due_on=today - dt.timedelta(days=1))  # fmt: skip
    CaseClock.objects.create(case=case, code="test_stopped", kind="deadline",
                             started_on=today - dt.timedelta(days=30),
                             stopped_on=today - dt.timedelta(days=3),
                             due_on=today - dt.timedelta(days=1))  # fmt: skip
    text = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer " + "t" * 20).content.decode()
    assert (
        _value(text, "lotse_clocks_overdue")
        == CaseClock.objects.filter(
            stopped_on__isnull=True, kind="deadline", due_on__lt=today
        ).count()
    )
    assert _value(text, "lotse_clocks_overdue") >= 1
