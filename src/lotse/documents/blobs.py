"""Services for encrypted blobs: store one, read one, move all of them to the primary key."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from lotse.documents.models import BlobKind, StoredBlob
from lotse.documents.storage import (
    blob_delete,
    blob_read,
    blob_rewrite,
    blob_write,
    document_storage,
    keyring,
)
from lotse.filecheck.crypto import DecryptionError

logger = logging.getLogger(__name__)


def stored_blob_create(*, data: bytes, kind: BlobKind) -> StoredBlob:
    """Encrypt and store ``data`` and record it, in the caller's transaction.

    When recording fails the blob is deleted at once. Should the caller's transaction roll back
    later, the blob is an orphan that :func:`orphan_blobs_delete` removes.
    """
    written = blob_write(data, prefix=str(kind))
    try:
        with transaction.atomic():
            return StoredBlob.objects.create(
                kind=kind,
                name=written.name,
                key_id=written.key_id,
                sha256=written.sha256,
                size=written.size,
            )
    except BaseException:
        blob_delete(written.name)
        raise


def stored_blob_read(blob: StoredBlob) -> bytes:
    """The plaintext; raises a :class:`~lotse.filecheck.crypto.DecryptionError` when damaged."""
    return blob_read(blob.name, sha256=blob.sha256)


@dataclass
class RotationReport:
    rotated: int = 0
    already_current: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "rotated": self.rotated,
            "already_current": self.already_current,
            "failed": list(self.failed),
        }


def stored_blobs_rotate(*, batch_size: int = 200) -> RotationReport:
    """Re-encrypt every blob that is not sealed with the primary key.

    Each blob is written anew under a new name; the row is switched with a conditional update
    (so a concurrent run or a deletion is not overwritten) and the old blob is removed after
    commit. A blob that cannot be decrypted is reported, never skipped silently: it is either
    damaged or needs a key that was removed from the settings too early.
    """
    report = RotationReport()
    primary = keyring().primary
    pending = StoredBlob.objects.exclude(key_id=primary).order_by("pk")
    for blob in pending.iterator(chunk_size=batch_size):
        try:
            rewritten = blob_rewrite(blob.name, prefix=blob.kind)
        except (DecryptionError, OSError) as exc:
            logger.error("key rotation: blob %s (%s) failed: %s", blob.pk, blob.name, exc)
            report.failed.append(f"{blob.pk}: {type(exc).__name__}")
            continue
        if rewritten is None:
            # The row's key id was stale (e.g. restored from a backup); the blob is current.
            StoredBlob.objects.filter(pk=blob.pk).update(key_id=primary)
            report.already_current += 1
            continue
        new_name, key_id = rewritten
        with transaction.atomic():
            switched = StoredBlob.objects.filter(pk=blob.pk, name=blob.name).update(
                name=new_name, key_id=key_id, rotated_at=timezone.now()
            )
            old_name = blob.name if switched else new_name
            transaction.on_commit(lambda name=old_name: blob_delete(name))  # type: ignore[misc]
        if switched:
            report.rotated += 1
    return report


def _walk(directory: str) -> Iterator[str]:
    storage = document_storage()
    directories, files = storage.listdir(directory)
    for name in files:
        yield f"{directory}/{name}" if directory else name
    for sub in directories:
        yield from _walk(f"{directory}/{sub}" if directory else sub)


def orphan_blobs_delete(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Remove stored files that no row points to (left by a transaction that rolled back)."""
    storage = document_storage()
    known = set(StoredBlob.objects.values_list("name", flat=True))
    cutoff = timezone.now() - older_than
    deleted = 0
    for kind in BlobKind:
        # No exists() check on the folder: an S3 bucket has no folders, only keys with a prefix
        # (exists("document") is False there even when documents are stored).
        try:
            names = list(_walk(kind.value))
        except FileNotFoundError:
            continue
        for name in names:
            if name in known or storage.get_modified_time(name) > cutoff:
                continue
            blob_delete(name)
            deleted += 1
    return deleted
