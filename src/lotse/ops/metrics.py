"""Prometheus metrics (prometheus_client, ADR 0021).

Two kinds, because ``lotse serve`` runs several worker processes:

* Counters and histograms of requests live in each process. With ``PROMETHEUS_MULTIPROC_DIR``
  set (``lotse serve`` sets it before anything imports prometheus_client) every process writes
  its values to memory-mapped files there, and a scrape sums all processes' files, so the
  answer does not depend on which worker took the scrape.
* The state of the system (task queue, outbox, overdue clocks, worker heartbeats) is not a
  process's business: it is read from the database when scraped, and kept for a few seconds in
  the shared cache so that several scrapers do not repeat the queries.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from lotse.cases.models import CaseClock
from lotse.notifications.models import MailStatus, OutboundMail
from lotse.ops.models import WorkerHeartbeat

# registry=None: registered per scrape (single process) or read from files (multi-process).
REQUESTS = Counter(
    "lotse_http_requests",
    "HTTP requests answered, by view and status code.",
    ["view", "method", "status"],
    registry=None,
)
LATENCY = Histogram(
    "lotse_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)
STATE_CACHE_KEY = "lotse:metrics:state"
STATE_CACHE_SECONDS = 10


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(view=view, method=method, status=str(status)).inc()
    LATENCY.labels(view=view).observe(seconds)


def _age(moment: Any, now: Any) -> float:
    return max((now - moment).total_seconds(), 0.0) if moment is not None else 0.0


def system_state() -> dict[str, Any]:
    """Numbers about the work waiting, read from the database (a few indexed queries)."""
    now = timezone.now()
    tasks = DBTaskResult.objects.filter(status=TaskResultStatus.READY).aggregate(
        count=Count("id"), oldest=Min("enqueued_at")
    )
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    mails = dict(
        OutboundMail.objects.filter(status__in=(MailStatus.PENDING, MailStatus.SENDING))
        .values_list("status")
        .annotate(n=Count("id"))
    )
    oldest_mail = OutboundMail.objects.filter(status=MailStatus.PENDING).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    failed_mails = OutboundMail.objects.filter(status=MailStatus.FAILED).count()
    overdue = CaseClock.objects.filter(
        stopped_on__isnull=True, kind="deadline", due_on__lt=timezone.localdate(now)
    ).count()
    beats = WorkerHeartbeat.objects.aggregate(count=Count("id"), latest=Max("beat_at"))
    return {
        "tasks_ready": tasks["count"],
        "tasks_oldest_age": _age(tasks["oldest"], now),
        "tasks_running": running,
        "mails_pending": mails.get(MailStatus.PENDING, 0),
        "mails_sending": mails.get(MailStatus.SENDING, 0),
        "mails_failed": failed_mails,
        "mails_oldest_age": _age(oldest_mail, now),
        "clocks_overdue": overdue,
        "workers": beats["count"],
        "worker_heartbeat_age": _age(beats["latest"], now) if beats["latest"] else -1.0,
    }


class StateCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            state = cache.get(STATE_CACHE_KEY)
            if state is None:
                state = system_state()
                cache.set(STATE_CACHE_KEY, state, timeout=STATE_CACHE_SECONDS)
        except Exception:  # the request counters are still worth a scrape when the database is away
            yield GaugeMetricFamily(
                "lotse_state_up", "1 when the database could be read for this scrape.", value=0.0
            )
            return
        yield GaugeMetricFamily(
            "lotse_state_up", "1 when the database could be read for this scrape.", value=1.0
        )
        gauges = (
            ("lotse_task_queue_length", "Background tasks waiting for a worker.", "tasks_ready"),
            ("lotse_task_queue_oldest_age_seconds", "Age of the oldest waiting task.",
             "tasks_oldest_age"),
            ("lotse_tasks_running", "Background tasks being run now.", "tasks_running"),
            ("lotse_notifications_pending", "E-mails in the outbox waiting to be sent.",
             "mails_pending"),
            ("lotse_notifications_sending", "E-mails claimed by a worker and being sent.",
             "mails_sending"),
            ("lotse_notifications_failed", "E-mails given up after the last attempt.",
             "mails_failed"),
            ("lotse_notifications_oldest_pending_age_seconds",
             "Age of the oldest e-mail waiting to be sent.", "mails_oldest_age"),
            ("lotse_clocks_overdue", "Running statutory deadlines whose due day has passed.",
             "clocks_overdue"),
            ("lotse_workers", "Background workers with a heartbeat row.", "workers"),
            ("lotse_worker_heartbeat_age_seconds",
             "Seconds since the latest worker heartbeat (-1: none).", "worker_heartbeat_age"),
        )  # fmt: skip
        for name, documentation, key in gauges:
            yield GaugeMetricFamily(name, documentation, value=float(state[key]))


def exposition() -> bytes:
    """The text format of every metric, summed over all server processes."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(StateCollector())
    return generate_latest(registry)
