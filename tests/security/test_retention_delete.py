"""Retention deletes an ended case's documents and personal data; skeleton, history, audit stay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Q
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.audit.models import AuditEvent
from lotse.audit.selectors import audit_chain_verify
from lotse.cases.models import Case, CaseTransition
from lotse.documents.models import Document, SealedFile
from lotse.notifications.scheduler import jobs
from lotse.privacy.models import CaseErasure
from lotse.privacy.retention import cases_due, retention_run
from tests.conftest import World
from tests.documents.conftest import WORKER
from tests.documents.flow import step
from tests.documents.world import forwarded_case

pytestmark = pytest.mark.django_db

ENDED_ON = dt.date(2026, 1, 15)


@pytest.fixture(autouse=True)
def document_dir(tmp_path: Path, settings: SettingsWrapper) -> Path:
    root = tmp_path / "documents"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    settings.LOTSE_RETENTION_DAYS_WITHDRAWN = 180
    return root


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def withdrawn_case(world: World) -> Case:
    case = forwarded_case(world)
    return step(
        case,
        "withdraw",
        world,
        occurred_on=ENDED_ON.isoformat(),
        reason=f"{WORKER['worker_surname']} found another job",
    )


def _personal_values() -> list[str]:
    return [
        str(WORKER["worker_surname"]),
        str(WORKER["worker_passport_number"]),
        str(WORKER["worker_birth_place"]),
        str(WORKER["worker_email"]),
    ]


def _events_of(case: Case) -> Any:
    return AuditEvent.objects.filter(
        Q(object_type="cases.case", object_id=str(case.pk))
        | Q(object_type="documents.sealedfile")
        | Q(object_type="documents.document")
    )


def test_nothing_is_deleted_before_the_period_is_over(withdrawn_case: Case) -> None:
    assert cases_due(today=ENDED_ON + dt.timedelta(days=179)) == []
    assert retention_run(today=ENDED_ON + dt.timedelta(days=179)) == 0
    assert Document.objects.filter(case=withdrawn_case).exists()


def test_after_the_period_documents_and_personal_data_are_gone(
    withdrawn_case: Case,
    document_dir: Path,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    case = withdrawn_case
    history_before = CaseTransition.objects.filter(case=case).count()
    sealed = SealedFile.objects.get(case=case)
    assert _files(document_dir)
    assert any(
        value in str(e.object_repr) + str(e.after) + str(e.before)
        for e in _events_of(case)
        for value in _personal_values()
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert retention_run(today=ENDED_ON + dt.timedelta(days=180)) == 1

    # Documents: rows and encrypted files, the sealed ZIP too.
    assert not Document.objects.filter(case=case).exists()
    assert _files(document_dir) == []
    # The skeleton stays, without the person.
    case = Case.objects.get(pk=case.pk)
    assert case.reference
    assert case.state == "withdrawn"
    assert case.worker_surname == ""
    assert case.worker_passport_number == ""
    assert case.worker_email == ""
    assert case.end_reason == ""
    # The history stays, without free text.
    transitions = CaseTransition.objects.filter(case=case)
    assert transitions.count() == history_before
    assert all(t.reason == "" and t.data == {} for t in transitions)
    # The sealed file's row stays with the documents' hashes only.
    sealed.refresh_from_db()
    assert sealed.manifest["redacted"] is True
    assert all(set(entry) == {"id", "sha256"} for entry in sealed.manifest["documents"])
    # The audit trail stays, says nothing about the person, and its chain still holds.
    for event in _events_of(case):
        text = str(event.object_repr) + str(event.after) + str(event.before)
        for value in _personal_values():
            assert value not in text, (event.action, value)
    assert audit_chain_verify()[1] is None
    erasure = CaseErasure.objects.get(case=case)
    assert erasure.documents >= 1
    event = AuditEvent.objects.get(action="privacy.case_personal_data_deleted")
    assert event.object_id == str(case.pk)
    assert event.after is not None
    assert event.after["documents"] == erasure.documents


def test_a_second_run_changes_nothing(
    withdrawn_case: Case, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    later = ENDED_ON + dt.timedelta(days=400)
    with django_capture_on_commit_callbacks(execute=True):
        assert retention_run(today=later) == 1
    assert retention_run(today=later) == 0
    assert AuditEvent.objects.filter(action="privacy.case_personal_data_deleted").count() == 1


def test_an_open_case_is_never_touched(world: World) -> None:
    case = forwarded_case(world)
    assert retention_run(today=dt.date(2100, 1, 1)) == 0
    assert Document.objects.filter(case=case).exists()


def test_the_scheduler_runs_retention_daily_and_the_command_lists_due_cases(
    withdrawn_case: Case, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "privacy_retention_delete" in {job.name for job in jobs()}
    call_command("retention", "--dry-run")
    assert f"{withdrawn_case.reference} ended 2026-01-15" in capsys.readouterr().out
