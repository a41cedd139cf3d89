"""Encryption at rest through the real storage: round trip, rotation, tampering."""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from lotse.documents.blobs import orphan_blobs_delete, stored_blob_create, stored_blob_read
from lotse.documents.models import BlobKind, StoredBlob
from lotse.documents.storage import BlobIntegrityError
from lotse.documents.tasks import storage_keys_rotate
from lotse.filecheck.crypto import MAGIC, TamperedError, UnknownKeyError, read_header
from tests.documents.conftest import stored_files

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7 Reisepass von M\xc3\xbcller " * 100


def _key() -> bytes:
    return os.urandom(32)


def _setting(*entries: tuple[str, bytes]) -> dict[str, bytes]:
    return dict(entries)


def test_round_trip_stores_only_ciphertext(document_dir: Path) -> None:
    blob = stored_blob_create(data=CONTENT, kind=BlobKind.DOCUMENT)
    [path] = stored_files(document_dir)
    raw = path.read_bytes()
    assert raw.startswith(MAGIC)
    assert b"Reisepass" not in raw
    assert blob.size == len(CONTENT)
    assert stored_blob_read(blob) == CONTENT
    # The name says nothing about the case or the person.
    assert "Reisepass" not in blob.name
    assert blob.name.startswith("document/")


def test_flipped_byte_is_detected(document_dir: Path) -> None:
    blob = stored_blob_create(data=CONTENT, kind=BlobKind.DOCUMENT)
    [path] = stored_files(document_dir)
    raw = bytearray(path.read_bytes())
    raw[-40] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(TamperedError):
        stored_blob_read(blob)


def test_truncated_blob_is_detected(document_dir: Path) -> None:
    blob = stored_blob_create(data=CONTENT, kind=BlobKind.DOCUMENT)
    [path] = stored_files(document_dir)
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(TamperedError):
        stored_blob_read(blob)


def test_blob_swapped_for_another_valid_blob_is_detected(document_dir: Path) -> None:
    first = stored_blob_create(data=CONTENT, kind=BlobKind.DOCUMENT)
    second = stored_blob_create(data=b"%PDF-1.7 another file", kind=BlobKind.DOCUMENT)
    (document_dir / first.name).write_bytes((document_dir / second.name).read_bytes())
    with pytest.raises(BlobIntegrityError):
        stored_blob_read(first)


def test_rotation_task_moves_every_blob_to_the_new_key(
    document_dir: Path, settings: SettingsWrapper, django_capture_on_commit_callbacks: Any
) -> None:
    old, new = _key(), _key()
    settings.LOTSE_STORAGE_KEYS = _setting(("k1", old))
    settings.LOTSE_STORAGE_PRIMARY_KEY = "k1"
    blobs = [
        stored_blob_create(data=CONTENT + bytes([i]), kind=BlobKind.DOCUMENT) for i in range(3)
    ]
    old_names = {b.name for b in blobs}

    settings.LOTSE_STORAGE_KEYS = _setting(("k2", new), ("k1", old))
    settings.LOTSE_STORAGE_PRIMARY_KEY = "k2"
    with django_capture_on_commit_callbacks(execute=True):
        result = storage_keys_rotate.enqueue()
    assert result.return_value == {"rotated": 3, "already_current": 0, "failed": []}

    files = stored_files(document_dir)
    assert len(files) == 3  # the old blobs were removed after commit
    assert {read_header(p.read_bytes()).key_id for p in files} == {"k2"}
    # Without the old key everything still reads.
    settings.LOTSE_STORAGE_KEYS = _setting(("k2", new))
    for i, blob in enumerate(blobs):
        blob.refresh_from_db()
        assert blob.key_id == "k2"
        assert blob.rotated_at is not None
        assert blob.name not in old_names
        assert stored_blob_read(blob) == CONTENT + bytes([i])
    # A second run has nothing to do.
    assert storage_keys_rotate.enqueue().return_value["rotated"] == 0


def test_rotation_reports_a_damaged_blob_and_goes_on(
    document_dir: Path, settings: SettingsWrapper
) -> None:
    settings.LOTSE_STORAGE_KEYS = _setting(("k1", _key()))
    settings.LOTSE_STORAGE_PRIMARY_KEY = "k1"
    damaged = stored_blob_create(data=CONTENT, kind=BlobKind.DOCUMENT)
    fine = stored_blob_create(data=CONTENT, kind=BlobKind.DOCUMENT)
    path = document_dir / damaged.name
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(bytes(raw))

    settings.LOTSE_STORAGE_KEYS = {"k2": _key(), **settings.LOTSE_STORAGE_KEYS}
    settings.LOTSE_STORAGE_PRIMARY_KEY = "k2"
    report = storage_keys_rotate.enqueue().return_value
    assert report["rotated"] == 1
    assert report["failed"] == [f"{damaged.pk}: TamperedError"]
    fine.refresh_from_db()
    assert fine.key_id == "k2"
    damaged.refresh_from_db()
    assert damaged.key_id == "k1"


def test_a_removed_key_is_named(document_dir: Path, settings: SettingsWrapper) -> None:
    settings.LOTSE_STORAGE_KEYS = _setting(("k1", _key()))
    settings.LOTSE_STORAGE_PRIMARY_KEY = "k1"
    blob = stored_blob_create(data=CONTENT, kind=BlobKind.DOCUMENT)
    settings.LOTSE_STORAGE_KEYS = _setting(("k2", _key()))
    settings.LOTSE_STORAGE_PRIMARY_KEY = "k2"
    with pytest.raises(UnknownKeyError, match="k1"):
        stored_blob_read(blob)


def test_orphans_are_deleted_but_recorded_blobs_kept(document_dir: Path) -> None:
    kept = stored_blob_create(data=CONTENT, kind=BlobKind.DOCUMENT)
    orphan = document_dir / "document" / "2020" / "01" / "orphan.bin"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    os.utime(orphan, (0, 0))
    assert orphan_blobs_delete() == 1
    remaining = [p.relative_to(document_dir).as_posix() for p in stored_files(document_dir)]
    assert remaining == [kept.name]


def test_the_development_key_is_32_bytes() -> None:
    assert len(base64.b64decode("bG90c2UtZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQ=")) == 32
    assert StoredBlob.objects.count() == 0
