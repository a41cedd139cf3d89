"""Reminders before statutory deadlines, escalation after them, and missing documents."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from lotse.audit.models import AuditEvent
from lotse.cases.models import Case, CaseClock
from lotse.notifications.models import Kind, Notification, Party, Reminder
from lotse.notifications.reminders import reminders_scan
from tests.conftest import World
from tests.notifications.conftest import AL, CA, CHR, CL, CW, advised_case, told

DUE = dt.date(2026, 12, 11)  # a Friday; no BW public holiday in that fortnight


def _clock(case: Case, code: str = "abh_invitation", due: dt.date = DUE) -> CaseClock:
    return CaseClock.objects.create(
        case=case, code=code, started_on=due - dt.timedelta(days=60), due_on=due, kind="deadline"
    )


def test_reminds_the_acting_party_three_and_one_working_days_before(world: World) -> None:
    case = advised_case(world)
    _clock(case)
    Notification.objects.all().delete()
    assert reminders_scan(today=dt.date(2026, 12, 7)).reminders == 0  # Monday: 4 working days
    assert reminders_scan(today=dt.date(2026, 12, 8)).reminders == 1  # Tuesday: 3 left
    assert told(Kind.DEADLINE_REMINDER, case) == {Party.AUTHORITY: {world.users[CW].email}}
    assert reminders_scan(today=dt.date(2026, 12, 9)).reminders == 0  # 2 left: nothing new
    assert reminders_scan(today=dt.date(2026, 12, 10)).reminders == 1  # Thursday: 1 left
    assert reminders_scan(today=dt.date(2026, 12, 10)).reminders == 0  # once per level
    levels = sorted(Reminder.objects.filter(case=case).values_list("level", flat=True))
    assert levels == ["before_1@2026-12-11", "before_3@2026-12-11"]
    assert Notification.objects.filter(kind=Kind.DEADLINE_REMINDER).count() == 2
    assert AuditEvent.objects.filter(action="reminder.sent").count() == 2
    note = Notification.objects.filter(kind=Kind.DEADLINE_REMINDER).first()
    assert note is not None
    assert note.context["legal_basis"].startswith("§ 81a")


def test_a_late_scan_sends_only_the_most_urgent_level(world: World) -> None:
    case = advised_case(world)
    _clock(case)
    assert reminders_scan(today=dt.date(2026, 12, 10)).reminders == 1
    assert reminders_scan(today=dt.date(2026, 12, 8)).reminders == 0
    assert Notification.objects.filter(kind=Kind.DEADLINE_REMINDER).count() == 1


def test_a_passed_deadline_is_flagged_to_the_party_and_its_leads(world: World) -> None:
    case = advised_case(world)
    _clock(case)
    result = reminders_scan(today=dt.date(2026, 12, 14))
    assert result.overdue == 1
    found = told(Kind.STEP_OVERDUE, case)
    assert found[Party.AUTHORITY] == {world.users[CW].email}
    assert found[Party.LEADS] == {world.users[AL].email}
    assert reminders_scan(today=dt.date(2026, 12, 15)).overdue == 0


def test_an_extended_deadline_is_reminded_again(world: World) -> None:
    case = advised_case(world)
    row = _clock(case)
    reminders_scan(today=dt.date(2026, 12, 10))
    CaseClock.objects.filter(pk=row.pk).update(due_on=dt.date(2026, 12, 18))
    assert reminders_scan(today=dt.date(2026, 12, 17)).reminders == 1


def test_a_stopped_or_validity_free_clock_is_not_reminded(world: World) -> None:
    case = advised_case(world)
    row = _clock(case)
    CaseClock.objects.filter(pk=row.pk).update(stopped_on=dt.date(2026, 12, 1))
    _clock(case, code="ba_deemed_approval")  # a fiction: nobody must act
    assert reminders_scan(today=dt.date(2026, 12, 14)).as_dict() == {
        "reminders": 0,
        "overdue": 0,
        "missing": 0,
    }


def test_a_worker_clock_reminds_company_and_worker(world: World) -> None:
    case = advised_case(world)
    _clock(case, code="registration_after_entry")
    reminders_scan(today=dt.date(2026, 12, 10))
    found = told(Kind.DEADLINE_REMINDER, case)
    assert found == {
        Party.COMPANY: {world.users[CA].email, world.users[CHR].email},
        Party.WORKER: {"priya@example.org"},
    }


@override_settings(LOTSE_MISSING_DOCUMENTS_DAYS=14)
def test_documents_still_missing_are_reminded_every_n_days(world: World) -> None:
    case = advised_case(world)
    Case.objects.filter(pk=case.pk).update(state="collecting_documents")
    # The local day (Europe/Berlin) the case started: between midnight in Berlin and midnight UTC
    # the UTC date of created_at is the day before.
    start = timezone.localtime(case.created_at).date()
    assert reminders_scan(today=start + dt.timedelta(days=13)).missing == 0
    assert reminders_scan(today=start + dt.timedelta(days=14)).missing == 1
    assert reminders_scan(today=start + dt.timedelta(days=20)).missing == 0
    assert reminders_scan(today=start + dt.timedelta(days=28)).missing == 1
    found = told(Kind.DOCUMENTS_MISSING, case)
    assert set(found) == {Party.COMPANY, Party.WORKER}
    note = Notification.objects.filter(kind=Kind.DOCUMENTS_MISSING).first()
    assert note is not None
    assert note.context["missing"]
    # Nobody at the chamber is reminded of the company's documents.
    assert world.users[CL].email not in {a for s in found.values() for a in s}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_each_reminder_once(world: World) -> None:
    cases = [advised_case(world) for _ in range(3)]
    for case in cases:
        _clock(case)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def scan() -> None:
        barrier.wait()
        try:
            reminders_scan(today=dt.date(2026, 12, 14))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Reminder.objects.filter(level__startswith="overdue").count() == 3
    assert Notification.objects.filter(kind=Kind.STEP_OVERDUE, party=Party.AUTHORITY).count() == 3


def test_two_scans_one_after_the_other_send_each_reminder_once(world: World) -> None:
    case = advised_case(world)
    _clock(case)
    first = reminders_scan(today=dt.date(2026, 12, 14))
    second = reminders_scan(today=dt.date(2026, 12, 14))
    assert (first.overdue, second.overdue) == (1, 0)
