"""Encrypted blobs in the document storage (local disk by default, S3-compatible when configured).

Every document and every sealed file is written through :func:`blob_write`: the bytes are sealed
with AES-256-GCM (:mod:`lotse.filecheck.crypto`) under the primary key of
``settings.LOTSE_STORAGE_KEYS`` and stored under a random name that reveals nothing about the
case, the person or the file name. The storage itself (``STORAGES["documents"]``) never sees
plaintext, so the same code serves the local disk and an S3 bucket.

GCM authenticates the bytes of one blob but not *where* it is stored: a valid blob copied over
another one would decrypt fine. :func:`blob_read` therefore also compares the SHA-256 of the
plaintext with the hash recorded in the database when the blob was written.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

from lotse.filecheck import crypto

logger = logging.getLogger(__name__)

STORAGE_ALIAS = "documents"


class BlobIntegrityError(crypto.DecryptionError):
    """The blob decrypted, but it is not the file that was stored under this record."""


def keyring() -> crypto.Keyring:
    """The keyring of the current settings (rebuilt when a test overrides them)."""
    keys: dict[str, bytes] = settings.LOTSE_STORAGE_KEYS
    primary: str = settings.LOTSE_STORAGE_PRIMARY_KEY or next(iter(keys))
    return _keyring(tuple(keys.items()), primary)


@lru_cache(maxsize=4)
def _keyring(items: tuple[tuple[str, bytes], ...], primary: str) -> crypto.Keyring:
    return crypto.Keyring(dict(items), primary)


def document_storage() -> Storage:
    return storages[STORAGE_ALIAS]


@dataclass(frozen=True, slots=True)
class WrittenBlob:
    name: str
    key_id: str
    sha256: str  # of the plaintext
    size: int  # of the plaintext


def _new_name(prefix: str) -> str:
    # Partitioned by month so a local directory never holds millions of entries.
    now = timezone.now()
    return f"{prefix}/{now:%Y/%m}/{uuid.uuid4().hex}.bin"


def blob_write(data: bytes, *, prefix: str) -> WrittenBlob:
    """Encrypt ``data`` with the primary key and store it under a new random name."""
    ring = keyring()
    sealed = crypto.encrypt(data, ring)
    name = document_storage().save(_new_name(prefix), ContentFile(sealed))
    return WrittenBlob(
        name=name, key_id=ring.primary, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )


def blob_read_sealed(name: str) -> bytes:
    with document_storage().open(name, "rb") as handle:
        data: bytes = handle.read()
    return data


def blob_read(name: str, *, sha256: str) -> bytes:
    """Decrypt the blob ``name`` and check it is the file whose hash is ``sha256``.

    Raises :class:`lotse.filecheck.crypto.TamperedError` (modified or truncated),
    :class:`~lotse.filecheck.crypto.UnknownKeyError` (its key was removed from the settings) or
    :class:`BlobIntegrityError` (another intact blob was put in its place).
    """
    plaintext = crypto.decrypt(blob_read_sealed(name), keyring())
    if hashlib.sha256(plaintext).hexdigest() != sha256:
        raise BlobIntegrityError(f"blob {name} does not have the recorded SHA-256")
    return plaintext


def blob_delete(name: str) -> None:
    try:
        document_storage().delete(name)
    except OSError:
        # A blob that cannot be removed is an orphan, not a reason to fail the request.
        logger.exception("could not delete blob %s", name)


def blob_rewrite(name: str, *, prefix: str) -> tuple[str, str] | None:
    """Re-encrypt the blob ``name`` under the primary key into a new blob: ``(name, key_id)``.

    Returns None when the blob already uses the primary key. Decrypts first, so a rotation run
    also verifies every stored file. The old blob is left in place for the caller to delete once
    the database points at the new one.
    """
    ring = keyring()
    sealed = blob_read_sealed(name)
    if not crypto.needs_rotation(sealed, ring):
        return None
    resealed = crypto.reencrypt(sealed, ring)
    new_name = document_storage().save(_new_name(prefix), ContentFile(resealed))
    return new_name, ring.primary
