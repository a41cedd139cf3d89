"""A blob written just before a crash is removed by the clean-up task; referenced blobs stay."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command

from lotse.accounts.models import Role
from lotse.documents import services
from lotse.documents.models import Document, StoredBlob
from lotse.documents.services import document_upload
from lotse.documents.tasks import storage_orphans_delete
from tests.conftest import World
from tests.documents.conftest import stored_files
from tests.documents.world import good_pdf

if TYPE_CHECKING:
    from lotse.cases.models import Case

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def _age(path: Path, seconds: int) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _crashing_upload(case: Case, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(**kwargs: object) -> None:
        raise RuntimeError("power failure")

    monkeypatch.setattr(services, "audit_record", crash)
    with pytest.raises(RuntimeError):
        document_upload(case=case, item=case.checklist.get(document_code="cv"), data=good_pdf(),
                        filename="cv.pdf", declared_type="application/pdf",
                        actor=world.users[Role.COMPANY_HR])  # fmt: skip
    monkeypatch.undo()


def test_the_task_removes_a_crashed_uploads_blob_and_keeps_referenced_ones(
    case: Case, world: World, document_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = document_upload(case=case, item=case.checklist.get(document_code="passport"),
                           data=good_pdf(), filename="pass.pdf", declared_type="application/pdf",
                           actor=world.users[Role.COMPANY_HR])  # fmt: skip
    _crashing_upload(case, world, monkeypatch)
    files = stored_files(document_dir)
    assert len(files) == 2  # the crash left its blob behind
    assert StoredBlob.objects.count() == 1
    for path in files:
        _age(path, 2 * DAY)  # both old: only the missing row tells them apart
    assert storage_orphans_delete.enqueue().return_value == 1
    remaining = [p.relative_to(document_dir).as_posix() for p in stored_files(document_dir)]
    assert remaining == [kept.blob.name]
    assert Document.objects.get().blob == kept.blob


def test_a_fresh_orphan_is_left_alone_within_the_grace_period(
    case: Case, world: World, document_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upload whose transaction is still open has a blob without a row: never delete it."""
    _crashing_upload(case, world, monkeypatch)
    (orphan,) = stored_files(document_dir)
    _age(orphan, 1800)
    assert storage_orphans_delete.enqueue(grace_hours=0).return_value == 0  # at least 1 hour
    assert storage_orphans_delete.enqueue().return_value == 0  # default grace 6 hours
    assert orphan.exists()


def test_the_command_deletes_orphans(
    case: Case, world: World, document_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _crashing_upload(case, world, monkeypatch)
    (orphan,) = stored_files(document_dir)
    _age(orphan, 2 * DAY)
    call_command("documents_delete_orphans")
    assert not orphan.exists()
