from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from lotse.ops.heartbeat import HeartbeatThread, heartbeat_beat
from lotse.ops.models import WorkerHeartbeat


def test_healthz_answers_without_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("down")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_with_a_recent_heartbeat(db: None) -> None:
    heartbeat_beat(worker="host:1")
    response = Client().get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {
        "database": "ok", "cache": "ok", "storage": "ok", "worker": "ok",
    }  # fmt: skip


def test_readyz_names_the_missing_worker(db: None) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["worker"]
    assert response.json()["checks"]["worker"] == "no worker has reported"


def test_readyz_names_a_stale_heartbeat(db: None) -> None:
    heartbeat_beat(worker="host:1", now=timezone.now() - dt.timedelta(minutes=5))
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "no recent heartbeat"


def test_readyz_names_every_failing_component(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("10.0.0.7 refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        patch.setattr("lotse.ops.health.cache.set", broken)
        patch.setattr("lotse.ops.health.document_storage", broken)
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache", "database", "storage", "worker"]
    assert body["checks"]["database"] == "error: ConnectionError"
    # No message of the exception (hosts, paths) reaches this public answer.
    assert "10.0.0.7" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_heartbeat_thread_beats_and_removes_its_row_on_stop(
    settings: Any,
) -> None:
    thread = HeartbeatThread(worker="test:42")
    thread.start()
    try:
        for _ in range(100):
            if WorkerHeartbeat.objects.filter(worker="test:42").exists():
                break
            thread._stopped.wait(0.05)
        assert WorkerHeartbeat.objects.filter(worker="test:42").exists()
    finally:
        thread.stop()
    assert not WorkerHeartbeat.objects.filter(worker="test:42").exists()


def test_old_rows_of_dead_workers_are_removed_by_the_next_beat(db: None) -> None:
    heartbeat_beat(worker="gone:1", now=timezone.now() - dt.timedelta(days=2))
    heartbeat_beat(worker="alive:2")
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["alive:2"]
