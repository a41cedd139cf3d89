"""`lotse backup` and `lotse restore`: the restored instance is identical to the backed-up one.

Runs on the database of the test run: SQLite always, PostgreSQL when DATABASE_URL names one (and
pg_dump/pg_restore are installed).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.accounts.models import Role
from lotse.audit.models import AuditEvent
from lotse.conversations.services import message_post
from lotse.core.backup import (
    BLOB_DIR,
    MANIFEST,
    BackupError,
    backup_create,
    backup_restore,
    manifest_verify,
    stored_names,
)
from lotse.documents.services import document_review, document_upload
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _documents_storage(tmp_path: Path, settings: SettingsWrapper) -> Path:
    root = tmp_path / "documents"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    if connection.vendor == "postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        pytest.skip("LOUD SKIP: pg_dump/pg_restore missing; the PostgreSQL backup was not tested")
    return root


def _tables() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order."""
    content = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            content[table] = sorted(cursor.fetchall(), key=repr)
    return content


def _blobs() -> dict[str, str]:
    storage = storages["documents"]
    hashes = {}
    for name in stored_names(storage):
        with storage.open(name, "rb") as handle:
            hashes[name] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


def _an_instance_with_data(world: World) -> None:
    advisor = world.users[Role.CHAMBER_ADVISOR]
    case = make_case(world)
    for code in ("passport", "cv"):
        document = document_upload(
            case=case, item=case.checklist.get(document_code=code), data=good_pdf(),
            filename=f"{code}.pdf", declared_type="application/pdf", actor=advisor,
        )  # fmt: skip
    document_review(document=document, actor=advisor, accept=False, reason="unscharf")
    message_post(
        case=case, audience="company_chamber", body="Bitte den Lebenslauf neu.", actor=advisor
    )


def _empty_the_instance() -> None:
    call_command("flush", interactive=False, verbosity=0)
    storage = storages["documents"]
    for name in list(stored_names(storage)):
        storage.delete(name)


def test_the_restored_instance_is_identical(world: World, tmp_path: Path) -> None:
    _an_instance_with_data(world)
    before_tables, before_blobs = _tables(), _blobs()
    assert before_blobs  # encrypted documents exist
    assert AuditEvent.objects.count() > 5

    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["row_counts"]["audit_auditevent"] == AuditEvent.objects.count()
    assert ["cases", "0001_initial"] in manifest["migrations"]
    assert sorted(n.removeprefix(f"{BLOB_DIR}/") for n in manifest["files"] if n.startswith(BLOB_DIR)) == sorted(before_blobs)  # fmt: skip
    # The blobs are copied as stored: still encrypted, byte for byte.
    for name, digest in before_blobs.items():
        assert manifest["files"][f"{BLOB_DIR}/{name}"] == digest
        assert b"%PDF" not in (tmp_path / "backup" / BLOB_DIR / name).read_bytes()

    _empty_the_instance()
    assert AuditEvent.objects.count() == 0
    call_command("restore", str(tmp_path / "backup"), verbosity=0)

    after = _tables()
    assert after.keys() == before_tables.keys()
    for table, rows in before_tables.items():
        assert after[table] == rows, table
    assert _blobs() == before_blobs


def test_restore_refuses_an_instance_with_data(world: World, tmp_path: Path) -> None:
    _an_instance_with_data(world)
    backup_create(tmp_path / "backup")
    with pytest.raises(BackupError, match="not empty, restore refused") as refused:
        backup_restore(tmp_path / "backup")
    assert "cases_case" in str(refused.value)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"), verbosity=0)


def test_restore_refuses_a_damaged_or_incomplete_backup(world: World, tmp_path: Path) -> None:
    _an_instance_with_data(world)
    backup = tmp_path / "backup"
    backup_create(backup)
    blob = next(p for p in (backup / BLOB_DIR).rglob("*") if p.is_file())
    blob.write_bytes(blob.read_bytes()[:-1] + b"\0")
    with pytest.raises(BackupError, match="does not match its SHA-256"):
        manifest_verify(backup)
    blob.unlink()
    with pytest.raises(BackupError, match="missing from the backup"):
        manifest_verify(backup)
    with pytest.raises(BackupError, match="not a Lotse backup"):
        manifest_verify(tmp_path)


def test_backup_refuses_a_directory_in_use(world: World, tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "used"), verbosity=0)


def test_backup_refuses_to_finish_without_a_blob_the_database_names(
    world: World, tmp_path: Path
) -> None:
    _an_instance_with_data(world)
    storage = storages["documents"]
    storage.delete(next(stored_names(storage)))  # as if a key rotation replaced it meanwhile
    with pytest.raises(BackupError, match="vanished during the backup"):
        backup_create(tmp_path / "backup")
