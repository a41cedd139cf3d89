"""Delivery against a real SMTP server on loopback: outages lose nothing, hangs block nothing."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lotse.notifications import delivery
from lotse.notifications.models import Kind, MailStatus, OutboundMail
from lotse.notifications.services import notification_emit
from tests.conftest import World
from tests.notifications.conftest import CA, advised_case
from tests.notifications.smtp import SilentServer, SmtpServer, free_port


@pytest.fixture
def port() -> Iterator[int]:
    chosen = free_port()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=chosen,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=1,
    ):
        yield chosen


def _make_due() -> None:
    """Time passes: every waiting mail is due again."""
    OutboundMail.objects.filter(status=MailStatus.PENDING).update(next_attempt_at=timezone.now())


def _three_mails(world: World) -> list[int]:
    case = advised_case(world)
    with transaction.atomic():
        for kind in (Kind.FILE_FORWARDED, Kind.DOCUMENT_REJECTED):
            notification_emit(kind=kind, case=case, actor=world.users[CA], context={"reason": "r"})
    return list(OutboundMail.objects.filter(status=MailStatus.PENDING).values_list("pk", flat=True))


def test_refused_then_accepted_every_message_is_delivered_exactly_once(
    world: World, port: int
) -> None:
    ids = _three_mails(world)
    assert len(ids) >= 3
    # The server is down: connection refused. Nothing is lost, each waits for a retry.
    outcomes = delivery.outbox_flush()
    assert {o.mail_id for o in outcomes} == set(ids)
    assert not any(o.sent for o in outcomes)
    rows = OutboundMail.objects.filter(pk__in=ids)
    assert {r.status for r in rows} == {MailStatus.PENDING}
    assert all(r.next_attempt_at > timezone.now() for r in rows)
    assert all("Connection refused" in r.last_error or "Errno" in r.last_error for r in rows)
    # Down for a second attempt: the wait doubles.
    _make_due()
    delivery.outbox_flush()
    assert {r.attempts for r in OutboundMail.objects.filter(pk__in=ids)} == {2}
    with SmtpServer(port) as server:
        _make_due()
        sent = delivery.outbox_flush()
        assert sum(o.sent for o in sent) == len(ids)
        # Another flush (another worker, the scheduler's safety net) sends nothing again.
        _make_due()
        assert delivery.outbox_flush() == []
        delivered = Counter(m["To"] for m in server.messages)
    expected = Counter(OutboundMail.objects.filter(pk__in=ids).values_list("to", flat=True))
    assert delivered == expected
    assert {r.status for r in OutboundMail.objects.filter(pk__in=ids)} == {MailStatus.SENT}


def test_backoff_doubles_and_the_last_attempt_gives_up(world: World, port: int) -> None:
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert delivery.backoff(30).total_seconds() == 3600
    ids = _three_mails(world)
    with override_settings(LOTSE_MAIL_MAX_ATTEMPTS=2):
        delivery.outbox_flush()
        _make_due()
        delivery.outbox_flush()
    rows = OutboundMail.objects.filter(pk__in=ids)
    assert {r.status for r in rows} == {MailStatus.FAILED}
    _make_due()
    assert delivery.outbox_flush() == []  # given-up mails are not tried again


def test_a_silent_server_times_out_in_the_worker_and_the_mail_is_retried(
    world: World, port: int
) -> None:
    ids = _three_mails(world)[:1]
    OutboundMail.objects.exclude(pk__in=ids).delete()
    with SilentServer(port):
        started = time.monotonic()
        outcome = delivery.mail_deliver_one(ids[0])
        took = time.monotonic() - started
    assert outcome is not None
    assert not outcome.sent
    assert outcome.retry_at is not None
    assert took < 5  # EMAIL_TIMEOUT=1 bounds the wait
    row = OutboundMail.objects.get(pk=ids[0])
    assert row.status == MailStatus.PENDING
    assert row.attempts == 1
    assert "timed out" in row.last_error or "Timeout" in row.last_error
    with SmtpServer(port) as server:
        _make_due()
        assert [o.sent for o in delivery.outbox_flush()] == [True]
    assert len(server.messages) == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_silent_server_never_blocks_a_request(
    world: World, port: int, django_capture_on_commit_callbacks: Any
) -> None:
    user = world.users[CA]
    with SilentServer(port):
        client = Client()
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:password_reset"), {"email": user.email})
        took = time.monotonic() - started
    assert response.status_code == 302  # the user gets the normal answer
    assert took < 1  # well below EMAIL_TIMEOUT: the request only wrote rows
    mail = OutboundMail.objects.get(to=user.email, purpose="password_reset")
    assert mail.status == MailStatus.PENDING
    assert mail.attempts == 0
    # The wake-up is a task row for the worker, not a send.
    assert DBTaskResult.objects.filter(task_path__endswith="mail_deliver").count() == 1


def test_the_body_of_a_reset_mail_is_blanked_once_sent(world: World, port: int) -> None:
    with transaction.atomic():
        mail = delivery.mail_write(
            to="a@example.org", subject="s", body="link", language="de", purpose="password_reset"
        )
    with SmtpServer(port) as server:
        delivery.outbox_flush()
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert mail.body == ""
    assert "link" in server.messages[0].get_payload()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_two_workers_at_once_send_every_mail_exactly_once(world: World, port: int) -> None:
    case = advised_case(world)
    with transaction.atomic():
        for _ in range(10):
            notification_emit(kind=Kind.FILE_FORWARDED, case=case, actor=None)
    total = OutboundMail.objects.filter(status=MailStatus.PENDING).count()
    assert total >= 20
    barrier = threading.Barrier(3)

    def work() -> None:
        barrier.wait()
        try:
            delivery.outbox_flush()
        finally:
            connection.close()

    with SmtpServer(port) as server:
        threads = [threading.Thread(target=work) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(server.messages) == total
    assert OutboundMail.objects.filter(status=MailStatus.SENT).count() == total
