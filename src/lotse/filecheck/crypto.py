"""Encryption at rest for stored documents: AES-256-GCM in a small versioned envelope.

Envelope layout (all integers big-endian)::

    offset  size  field
    0       4     magic  b"LTSE"
    4       1     format version (1)
    5       1     length n of the key id (1..64)
    6       n     key id, ASCII [A-Za-z0-9._-]
    6+n     12    nonce (random per encryption)
    18+n    ...   ciphertext followed by the 16-byte GCM tag

The whole header (bytes 0 .. 18+n) is the GCM associated data, so changing the version, the key
id or the nonce makes decryption fail exactly like changing the ciphertext does. The key id in
clear text is what makes rotation possible: any blob names the key it needs, and
``needs_rotation`` can tell without decrypting.

Whole ``bytes`` in and out, no streaming: uploads are at most 20 MB, which AES-GCM handles in a
few milliseconds, and GCM only authenticates at the very end, so a streaming decryptor would hand
out plaintext before knowing it is genuine. Should files ever grow far beyond that, the format
version allows a chunked variant (each chunk sealed with its index and a final flag).

Nonces are random 96-bit values. NIST SP 800-38D allows 2**32 random-nonce encryptions per key;
a file store of this size stays many orders of magnitude below that, and rotation resets the
count anyway.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "DecryptionError",
    "EnvelopeHeader",
    "KeyConfigError",
    "Keyring",
    "TamperedError",
    "UnknownKeyError",
    "decrypt",
    "encrypt",
    "generate_key_entry",
    "needs_rotation",
    "parse_keys",
    "read_header",
    "reencrypt",
]

MAGIC: Final = b"LTSE"
FORMAT_VERSION: Final = 1
KEY_BYTES: Final = 32  # AES-256
NONCE_BYTES: Final = 12
TAG_BYTES: Final = 16
_KEY_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
_FIXED_HEADER: Final = struct.Struct("!4sBB")  # magic, version, key id length


class DecryptionError(Exception):
    """Base class: a blob could not be decrypted."""


class TamperedError(DecryptionError):
    """The blob is not an intact envelope: modified, truncated, or not ours at all."""


class UnknownKeyError(DecryptionError):
    """The blob names a key id the keyring does not hold (removed from settings too early?)."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"no key with id {key_id!r} in the keyring")
        self.key_id = key_id


class KeyConfigError(ValueError):
    """The key setting is malformed. Messages never contain key material."""


class Keyring:
    """The keys that may decrypt, and the primary one that encrypts.

    Rotation: add a new key, make it primary, let the background job ``reencrypt`` every blob for
    which ``needs_rotation`` is true, and only then drop the old key from the setting.
    """

    __slots__ = ("_ciphers", "_keys", "primary")

    def __init__(self, keys: Mapping[str, bytes], primary: str) -> None:
        if not keys:
            raise KeyConfigError("the keyring needs at least one key")
        for key_id, key in keys.items():
            _validate_key_id(key_id)
            if len(key) != KEY_BYTES:
                raise KeyConfigError(
                    f"key {key_id!r} has {len(key)} bytes; AES-256 needs {KEY_BYTES}"
                )
        if primary not in keys:
            raise KeyConfigError(f"primary key {primary!r} is not in the keyring")
        self._keys: Mapping[str, bytes] = MappingProxyType(dict(keys))
        self._ciphers = {key_id: AESGCM(key) for key_id, key in self._keys.items()}
        self.primary = primary

    @classmethod
    def from_setting(cls, value: str, *, primary: str | None = None) -> Keyring:
        """Build from ``"id1:base64key,id2:base64key"``; the first key is primary by default."""
        keys = parse_keys(value)
        return cls(keys, primary if primary is not None else next(iter(keys)))

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def cipher(self, key_id: str) -> AESGCM:
        try:
            return self._ciphers[key_id]
        except KeyError:
            raise UnknownKeyError(key_id) from None

    def __repr__(self) -> str:
        # Never show key material, e.g. in tracebacks or Django's debug page.
        return f"Keyring(key_ids={list(self._keys)!r}, primary={self.primary!r})"


@dataclass(frozen=True, slots=True)
class EnvelopeHeader:
    version: int
    key_id: str
    nonce: bytes
    raw: bytes  # the exact header bytes, i.e. the associated data


def read_header(blob: bytes) -> EnvelopeHeader:
    """Parse the clear-text header; raises :class:`TamperedError` if it is not well-formed."""
    if len(blob) < _FIXED_HEADER.size:
        raise TamperedError("too short to be an envelope")
    magic, version, key_id_length = _FIXED_HEADER.unpack_from(blob)
    if magic != MAGIC:
        raise TamperedError("not an encrypted Lotse file (magic bytes differ)")
    if version != FORMAT_VERSION:
        raise TamperedError(f"unsupported envelope version {version}")
    key_id_end = _FIXED_HEADER.size + key_id_length
    header_end = key_id_end + NONCE_BYTES
    if len(blob) < header_end + TAG_BYTES:
        raise TamperedError("envelope is truncated")
    try:
        key_id = blob[_FIXED_HEADER.size : key_id_end].decode("ascii")
    except UnicodeDecodeError:
        raise TamperedError("key id is not ASCII") from None
    if not _KEY_ID.fullmatch(key_id):
        raise TamperedError("key id has invalid characters")
    return EnvelopeHeader(
        version=version,
        key_id=key_id,
        nonce=blob[key_id_end:header_end],
        raw=blob[:header_end],
    )


def encrypt(data: bytes, keyring: Keyring) -> bytes:
    """Encrypt ``data`` with the primary key into a new envelope (fresh random nonce)."""
    key_id = keyring.primary.encode("ascii")
    nonce = os.urandom(NONCE_BYTES)
    header = _FIXED_HEADER.pack(MAGIC, FORMAT_VERSION, len(key_id)) + key_id + nonce
    return header + keyring.cipher(keyring.primary).encrypt(nonce, data, header)


def decrypt(blob: bytes, keyring: Keyring) -> bytes:
    """Return the plaintext, or raise :class:`TamperedError` / :class:`UnknownKeyError`."""
    header = read_header(blob)
    cipher = keyring.cipher(header.key_id)
    try:
        return cipher.decrypt(header.nonce, blob[len(header.raw) :], header.raw)
    except InvalidTag:
        raise TamperedError("authentication failed: the file was modified or is corrupt") from None


def needs_rotation(blob: bytes, keyring: Keyring) -> bool:
    """True when ``blob`` is not sealed with the primary key (reads only the header).

    Raises :class:`UnknownKeyError` for a key the keyring no longer holds: such a blob cannot be
    rotated and has to be reported, not skipped.
    """
    header = read_header(blob)
    keyring.cipher(header.key_id)
    return header.key_id != keyring.primary


def reencrypt(blob: bytes, keyring: Keyring) -> bytes:
    """Move ``blob`` to the primary key; a blob already there comes back unchanged.

    Always decrypts first, so a rotation run also verifies every stored file.
    """
    plaintext = decrypt(blob, keyring)
    if read_header(blob).key_id == keyring.primary:
        return blob
    return encrypt(plaintext, keyring)


def parse_keys(value: str) -> dict[str, bytes]:
    """Parse ``"id1:base64key,id2:base64key"`` (standard or URL-safe base64, spaces ignored).

    Order is kept, so callers can treat the first entry as primary.
    """
    keys: dict[str, bytes] = {}
    for position, entry in enumerate(value.split(","), start=1):
        entry = entry.strip()
        if not entry:
            continue
        key_id, separator, encoded = entry.partition(":")
        key_id = key_id.strip()
        if not separator:
            raise KeyConfigError(f"entry {position} is not of the form id:base64key")
        _validate_key_id(key_id)
        if key_id in keys:
            raise KeyConfigError(f"key id {key_id!r} appears twice")
        compact = "".join(encoded.split()).replace("-", "+").replace("_", "/")
        try:
            key = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
        except (binascii.Error, ValueError):
            raise KeyConfigError(f"key {key_id!r} is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise KeyConfigError(f"key {key_id!r} has {len(key)} bytes; AES-256 needs {KEY_BYTES}")
        keys[key_id] = key
    if not keys:
        raise KeyConfigError("no keys configured")
    return keys


def generate_key_entry(key_id: str) -> str:
    """A new ``id:base64key`` entry for the setting (for operators rotating keys)."""
    _validate_key_id(key_id)
    return f"{key_id}:{base64.b64encode(AESGCM.generate_key(bit_length=256)).decode('ascii')}"


def _validate_key_id(key_id: str) -> None:
    if not _KEY_ID.fullmatch(key_id):
        raise KeyConfigError(
            f"key id {key_id!r} must be 1-64 characters of A-Z, a-z, 0-9, '.', '_' or '-'"
        )
