from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotse.filecheck.crypto import (
    MAGIC,
    NONCE_BYTES,
    TAG_BYTES,
    DecryptionError,
    KeyConfigError,
    Keyring,
    TamperedError,
    UnknownKeyError,
    decrypt,
    encrypt,
    generate_key_entry,
    needs_rotation,
    parse_keys,
    read_header,
    reencrypt,
)

OLD = bytes(range(32))
NEW = bytes(range(100, 132))
OTHER = b"\x07" * 32


def keyring(primary: str = "2026-01", **extra: bytes) -> Keyring:
    return Keyring({"2025-06": OLD, "2026-01": NEW, **extra}, primary=primary)


def test_round_trip() -> None:
    ring = keyring()
    blob = encrypt(b"Reisepass von Anna Eriksson", ring)
    assert decrypt(blob, ring) == b"Reisepass von Anna Eriksson"
    assert blob.startswith(MAGIC)
    assert b"Eriksson" not in blob


def test_empty_plaintext_round_trips() -> None:
    ring = keyring()
    assert decrypt(encrypt(b"", ring), ring) == b""


def test_each_encryption_uses_a_fresh_nonce() -> None:
    ring = keyring()
    first, second = encrypt(b"same", ring), encrypt(b"same", ring)
    assert first != second
    assert read_header(first).nonce != read_header(second).nonce
    assert len(read_header(first).nonce) == NONCE_BYTES


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=4096), primary=st.sampled_from(["2025-06", "2026-01"]))
def test_round_trip_for_any_bytes(data: bytes, primary: str) -> None:
    ring = keyring(primary)
    blob = encrypt(data, ring)
    assert decrypt(blob, ring) == data
    assert len(blob) == len(data) + len(read_header(blob).raw) + TAG_BYTES


def test_the_header_names_the_primary_key() -> None:
    header = read_header(encrypt(b"x", keyring()))
    assert (header.version, header.key_id) == (1, "2026-01")


# --- rotation ---------------------------------------------------------------------------------


def test_an_old_key_still_decrypts_after_rotation() -> None:
    before = keyring(primary="2025-06")
    blob = encrypt(b"Arbeitsvertrag", before)
    after = keyring(primary="2026-01")
    assert needs_rotation(blob, after)
    assert not needs_rotation(blob, before)
    assert decrypt(blob, after) == b"Arbeitsvertrag"


def test_reencrypt_moves_the_blob_to_the_primary_key() -> None:
    blob = encrypt(b"Arbeitsvertrag", keyring(primary="2025-06"))
    rotated = reencrypt(blob, keyring(primary="2026-01"))
    assert read_header(rotated).key_id == "2026-01"
    assert not needs_rotation(rotated, keyring(primary="2026-01"))
    # the old key can now be dropped from the setting
    only_new = Keyring({"2026-01": NEW}, primary="2026-01")
    assert decrypt(rotated, only_new) == b"Arbeitsvertrag"
    with pytest.raises(UnknownKeyError):
        decrypt(blob, only_new)


def test_reencrypt_leaves_a_blob_on_the_primary_key_unchanged() -> None:
    ring = keyring()
    blob = encrypt(b"x", ring)
    assert reencrypt(blob, ring) is blob


def test_reencrypt_verifies_the_blob_even_when_no_rotation_is_needed() -> None:
    ring = keyring()
    blob = bytearray(encrypt(b"x", ring))
    blob[-1] ^= 1
    with pytest.raises(TamperedError):
        reencrypt(bytes(blob), ring)


def test_needs_rotation_reports_a_key_that_is_gone() -> None:
    blob = encrypt(b"x", Keyring({"retired": OTHER}, primary="retired"))
    with pytest.raises(UnknownKeyError) as caught:
        needs_rotation(blob, keyring())
    assert caught.value.key_id == "retired"


# --- tampering --------------------------------------------------------------------------------


def _flip(blob: bytes, bit: int) -> bytes:
    changed = bytearray(blob)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def test_every_single_bit_flip_is_detected() -> None:
    ring = keyring()
    blob = encrypt(b"Lebenslauf", ring)
    key_id_bytes = range(5, 6 + len("2026-01"))  # its length byte and the id itself
    for bit in range(len(blob) * 8):
        with pytest.raises(DecryptionError) as caught:
            decrypt(_flip(blob, bit), ring)
        if bit // 8 not in key_id_bytes:
            # Only a changed key id (or its length) can look like a key we do not have; all
            # else is tampering.
            assert isinstance(caught.value, TamperedError), bit


@pytest.mark.parametrize(
    ("region", "offset"),
    [
        ("magic", 0),
        ("version", 4),
        ("nonce", 6 + 2 + 3),
        ("ciphertext", 6 + 2 + NONCE_BYTES),
        ("tag", -1),
    ],
)
def test_a_flipped_bit_in_each_region_is_tampering(region: str, offset: int) -> None:
    ring = Keyring({"k1": NEW}, primary="k1")
    blob = encrypt(b"Zeugnis", ring)
    index = offset % len(blob)
    with pytest.raises(TamperedError):
        decrypt(_flip(blob, index * 8), ring)


def test_a_changed_key_id_length_is_never_accepted() -> None:
    # Depending on the random nonce, the longer id reads as an unknown key or as garbage; which
    # one does not matter, decryption must fail.
    ring = Keyring({"k1": NEW}, primary="k1")
    for _ in range(50):
        with pytest.raises(DecryptionError):
            decrypt(_flip(encrypt(b"Zeugnis", ring), 5 * 8), ring)


def test_the_key_id_is_bound_to_the_ciphertext() -> None:
    # "a" and "c" differ in one bit and hold the same key: the ciphertext would decrypt under
    # either, so only the associated data can notice that the key id was changed.
    ring = Keyring({"a": NEW, "c": NEW}, primary="a")
    blob = encrypt(b"Vollmacht", ring)
    changed = _flip(blob, 6 * 8 + 1)
    assert read_header(changed).key_id == "c"
    with pytest.raises(TamperedError):
        decrypt(changed, ring)


def test_a_flipped_key_id_to_an_unknown_key() -> None:
    ring = Keyring({"a": NEW}, primary="a")
    with pytest.raises(UnknownKeyError):
        decrypt(_flip(encrypt(b"x", ring), 6 * 8 + 1), ring)


@pytest.mark.parametrize("cut", [0, 3, 6, 10, 20, 30])
def test_truncated_blobs_are_tampering(cut: int) -> None:
    ring = keyring()
    blob = encrypt(b"Ein Dokument", ring)
    with pytest.raises(TamperedError):
        decrypt(blob[:cut], ring)


def test_appended_bytes_are_tampering() -> None:
    ring = keyring()
    with pytest.raises(TamperedError):
        decrypt(encrypt(b"x", ring) + b"\0", ring)


def test_plaintext_is_not_an_envelope() -> None:
    with pytest.raises(TamperedError, match="magic"):
        decrypt(b"%PDF-1.7 " + b"x" * 100, keyring())


def test_a_different_key_under_the_same_id_is_tampering() -> None:
    blob = encrypt(b"x", Keyring({"k": NEW}, primary="k"))
    with pytest.raises(TamperedError):
        decrypt(blob, Keyring({"k": OTHER}, primary="k"))


# --- keyring and settings ---------------------------------------------------------------------


def test_parse_keys_keeps_order_and_decodes() -> None:
    setting = (
        f" 2026-01:{base64.b64encode(NEW).decode()} ,"
        f"2025-06:{base64.urlsafe_b64encode(OLD).decode().rstrip('=')},"
    )
    keys = parse_keys(setting)
    assert list(keys) == ["2026-01", "2025-06"]
    assert keys == {"2026-01": NEW, "2025-06": OLD}
    ring = Keyring.from_setting(setting)
    assert ring.primary == "2026-01"
    assert Keyring.from_setting(setting, primary="2025-06").primary == "2025-06"


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("", "no keys"),
        ("k1", "id:base64key"),
        ("k1:not base64!", "not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "needs 32"),
        (f"k 1:{base64.b64encode(NEW).decode()}", "must be 1-64"),
        (f"k1:{base64.b64encode(NEW).decode()},k1:{base64.b64encode(OLD).decode()}", "twice"),
    ],
)
def test_parse_keys_refuses_bad_settings(setting: str, problem: str) -> None:
    with pytest.raises(KeyConfigError, match=problem) as caught:
        parse_keys(setting)
    assert base64.b64encode(NEW).decode() not in str(caught.value)


def test_keyring_validation() -> None:
    with pytest.raises(KeyConfigError, match="primary"):
        Keyring({"a": NEW}, primary="b")
    with pytest.raises(KeyConfigError, match="32"):
        Keyring({"a": b"x" * 16}, primary="a")
    with pytest.raises(KeyConfigError):
        Keyring({}, primary="a")


def test_the_keyring_repr_shows_no_key_material() -> None:
    text = repr(keyring())
    assert "2026-01" in text
    assert repr(NEW) not in text
    assert base64.b64encode(NEW).decode() not in text


def test_generate_key_entry_is_parseable() -> None:
    entry = generate_key_entry("2027-01")
    keys = parse_keys(entry)
    assert list(keys) == ["2027-01"]
    assert len(keys["2027-01"]) == 32
    assert generate_key_entry("x") != generate_key_entry("x")
