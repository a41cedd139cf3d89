"""Lotse as a cluster: two servers, two workers, two schedulers on one PostgreSQL, Redis and S3.

Driven through the API with tokens. Run by .ci/run on PostgreSQL:
``LOTSE_CLUSTER_TESTS=1 DATABASE_URL=postgresql://…/lotse_cluster pytest -m cluster tests/cluster``.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from django.db import connection
from django.utils import timezone

from lotse.accounts.models import User
from lotse.accounts.services import api_token_create
from lotse.cases.models import Case, CaseClock, CaseTransition
from lotse.documents.models import Document
from lotse.notifications.models import (
    Kind,
    MailStatus,
    Notification,
    OutboundMail,
    Reminder,
    ScheduledRun,
)
from tests.cases.conftest import ADV, CA, create_case
from tests.cluster.cluster import Cluster, cluster_environment
from tests.conftest import World
from tests.documents.world import good_pdf, tagged_pdf
from tests.s3server import S3Endpoint, moto_server

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or os.environ.get("LOTSE_CLUSTER_TESTS") != "1",
        reason="the cluster test runs on PostgreSQL with LOTSE_CLUSTER_TESTS=1 (.ci/run)",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "postgres")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"])
    return (
        f"postgresql://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def s3() -> Iterator[S3Endpoint]:
    with moto_server() as endpoint:
        yield endpoint


def _token(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='cluster').secret}"}


def _parallel(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait(timeout=30)
        try:
            results[index] = calls[index]()
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _upload(base: str, case: Case, item: str, data: bytes, headers: dict[str, str]) -> Any:
    return requests.post(
        f"{base}/api/v1/cases/{case.pk}/documents", headers=headers, timeout=60,
        data={"item": item}, files={"file": (f"{uuid.uuid4().hex}.pdf", data, "application/pdf")},
    )  # fmt: skip


def _wait(condition: Callable[[], bool], cluster: Cluster, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}\n{cluster.logs()}")


@pytest.mark.django_db(transaction=True)
def test_the_cluster(world: World, s3: S3Endpoint, tmp_path: Path) -> None:
    bucket = f"lotse-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(bucket)
    case = create_case(world)
    # A deadline that passed yesterday: the first reminder scan flags it (once).
    today = timezone.localdate()
    clock = CaseClock.objects.create(case=case, code="abh_invitation", kind="deadline",
                                     started_on=today - dt.timedelta(days=60),
                                     due_on=today - dt.timedelta(days=1))  # fmt: skip
    advisor = _token(world.users[ADV])
    company = _token(world.users[CA])
    mail_dir, log_dir = tmp_path / "mail", tmp_path / "logs"
    mail_dir.mkdir()
    log_dir.mkdir()
    # Mails of the set-up were sent by this process (its tasks run at once); the cluster's own
    # are the ones counted.
    before = set(OutboundMail.objects.values_list("pk", flat=True))
    cluster = Cluster(
        environment=cluster_environment(database=_database_url(), s3=s3, bucket=bucket,
                                        mail_dir=mail_dir, var_dir=tmp_path / "var"),
        log_dir=log_dir, mail_dir=mail_dir,
    )  # fmt: skip
    try:
        for name in ("a", "b"):
            cluster.start_server(name)
            cluster.start(f"worker-{name}", "worker", "--interval", "0.2")
            cluster.start(f"scheduler-{name}", "scheduler", "--interval", "1")
        for name in ("a", "b"):
            ready = cluster.wait_ready(name)
            assert ready["status"] == "ok", ready
        servers = [cluster.url("a"), cluster.url("b")]

        # 1. The same step through both servers at once: taken exactly once.
        version = Case.objects.get(pk=case.pk).version
        answers = _parallel([
            (lambda base=base: requests.post(
                f"{base}/api/v1/cases/{case.pk}/transitions", headers=advisor, timeout=60,
                json={"action": "start_collecting", "data": {}, "version": version}))
            for base in servers * 4
        ])  # fmt: skip
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [201] + [409] * 7, [a.content for a in answers]
        assert CaseTransition.objects.filter(case=case, action="start_collecting").count() == 1

        # 2. Uploads to one checklist item through both servers: one current document.
        item = case.checklist.filter(requirement="mandatory").first()
        assert item is not None
        uploads = _parallel([
            (lambda i=i: _upload(servers[i % 2], case, item.document_code,
                                 tagged_pdf(str(i)), company))
            for i in range(8)
        ])  # fmt: skip
        assert [u.status_code for u in uploads] == [201] * 8, [u.content for u in uploads]
        assert Document.objects.filter(item=item).current().count() == 1
        assert Document.objects.filter(item=item).count() == 8
        assert len(s3.keys(bucket)) >= 8

        # 3. Killing a server mid-request loses nothing that was confirmed.
        other = case.checklist.filter(requirement="mandatory").exclude(pk=item.pk).first()
        assert other is not None
        confirmed: list[tuple[int, bytes]] = []
        stop = threading.Event()

        def keep_uploading(index: int) -> None:
            n = 0
            while not stop.is_set():
                data = tagged_pdf(f"kill-{index}-{n}")
                n += 1
                try:
                    answer = _upload(servers[0], case, other.document_code, data, company)
                except requests.RequestException:
                    return  # the server died under this request: nothing was promised
                if answer.status_code == 201:
                    confirmed.append((answer.json()["id"], data))

        slow = http.client.HTTPConnection("127.0.0.1", cluster.ports["a"], timeout=30)
        boundary = "lotse-slow-upload"
        body_head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"item\"\r\n\r\n"
                     f"{other.document_code}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                     f"name=\"file\"; filename=\"slow.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                     ).encode()  # fmt: skip
        slow.putrequest("POST", f"/api/v1/cases/{case.pk}/documents")
        slow.putheader("Authorization", company["Authorization"])
        slow.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        slow.putheader("Content-Length", str(len(body_head) + 2_000_000))
        slow.endheaders()
        slow.send(body_head + good_pdf())  # …and the rest never comes
        uploaders = [threading.Thread(target=keep_uploading, args=(i,)) for i in range(3)]
        for thread in uploaders:
            thread.start()
        _wait(lambda: len(confirmed) >= 3, cluster, "uploads through server a")
        cluster.kill("a")
        stop.set()
        for thread in uploaders:
            thread.join(timeout=60)
        with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
            slow.getresponse()
        assert confirmed
        for document_id, data in confirmed:
            answer = requests.get(f"{servers[1]}/api/v1/documents/{document_id}/content",
                                  headers=company, timeout=60)  # fmt: skip
            assert answer.status_code == 200, (document_id, answer.content[:200])
            assert answer.content == data
        assert not Document.objects.filter(item=other, filename="slow.pdf").exists()
        assert Document.objects.filter(item=other).current().count() == 1
        after = _upload(servers[1], case, other.document_code, tagged_pdf("after"), company)
        assert after.status_code == 201
        # Server b's two processes counted their uploads into one answer (4 in step 2, 1 here).
        metrics = requests.get(f"{servers[1]}/metrics", timeout=30,
                               headers={"Authorization": "Bearer cluster-metrics-token"})  # fmt: skip
        assert metrics.status_code == 200
        uploads_counted = sum(
            float(line.rsplit(" ", 1)[1]) for line in metrics.text.splitlines()
            if line.startswith("lotse_http_requests_total{")
            # The list and the upload share one URL (and its name); the method tells them apart.
            and 'view="api:case_document_list"' in line and 'method="POST"' in line
            and 'status="201"' in line
        )  # fmt: skip
        assert uploads_counted == 5, metrics.text

        # 4. The reminder of the passed deadline: once, although two schedulers run.
        _wait(lambda: Reminder.objects.filter(clock=clock).exists(), cluster, "the reminder")

        # 5. Every notification mail delivered exactly once.
        def all_sent() -> bool:
            return not OutboundMail.objects.filter(
                status__in=(MailStatus.PENDING, MailStatus.SENDING)
            ).exists()

        _wait(all_sent, cluster, "the outbox to empty")
        assert Reminder.objects.filter(clock=clock).count() == 1
        assert ScheduledRun.objects.filter(job="reminders_scan").count() >= 1
        assert Notification.objects.filter(kind=Kind.STEP_OVERDUE, case=case).exists()
        sent = Counter(
            (to, " ".join(subject.split()))
            for to, subject in OutboundMail.objects.filter(status=MailStatus.SENT)
            .exclude(pk__in=before)
            .values_list("to", "subject")
        )
        assert sent, "no mail went out"
        assert not OutboundMail.objects.filter(status=MailStatus.FAILED).exists()
        assert cluster.mails() == sent
    finally:
        cluster.stop()
