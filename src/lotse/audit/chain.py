"""The audit trail as a hash chain: each event's hash covers its content and the previous hash.

``hash = SHA-256(canonical JSON of the event's fields, its concerned organisations, the digest of
its personal fields and prev_hash)``. The personal fields (what the object was called, before and
after, the client's IP) enter only through their own digest ``personal_sha256``: retention may
neutralise them (lotse.core.models.redaction_window) and the chain still proves that no other field
and no event was changed, removed or inserted. An event whose personal fields were redacted says
so (``redacted``); its digest can no longer be recomputed, everything else can.

Appends are serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite by its
single writer (``transaction_mode = IMMEDIATE``). A unique constraint on ``prev_hash`` makes a
fork impossible even if something bypassed the lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection

GENESIS = "0" * 64
CHAIN_VERSION = 1
# Any constant: the lock only has to be the same one for every writer of the chain.
ADVISORY_LOCK_KEY = 0x4C4F54534541  # "LOTSEA"


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def normalised(value: Any) -> Any:
    """What a JSON column gives back after a round trip through the database."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))


def personal_digest(*, object_repr: str, before: Any, after: Any, ip_address: str | None) -> str:
    payload = {
        "object_repr": object_repr,
        "before": normalised(before),
        "after": normalised(after),
        "ip_address": ip_address or None,
    }
    return hashlib.sha256(canonical(payload)).hexdigest()


def _moment(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def event_hash(
    *,
    prev_hash: str,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    actor_organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    request_id: str,
    personal_sha256: str,
    concern_ids: Iterable[int],
) -> str:
    body = {
        "v": CHAIN_VERSION,
        "prev": prev_hash,
        "at": _moment(occurred_at),
        "actor": actor_id,
        "actor_label": actor_label,
        "actor_org": actor_organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "request_id": request_id,
        "personal": personal_sha256,
        "concerns": sorted(set(concern_ids)),
    }
    return hashlib.sha256(canonical(body)).hexdigest()


def lock_chain() -> None:
    """Hold the chain's head until the end of the transaction (PostgreSQL; SQLite has one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    reason: str


def hash_of_row(row: Mapping[str, Any], concern_ids: Iterable[int]) -> str:
    return event_hash(
        prev_hash=row["prev_hash"],
        occurred_at=row["occurred_at"],
        actor_id=row["actor_id"],
        actor_label=row["actor_label"],
        actor_organisation_id=row["actor_organisation_id"],
        action=row["action"],
        object_type=row["object_type"],
        object_id=row["object_id"],
        request_id=row["request_id"],
        personal_sha256=row["personal_sha256"],
        concern_ids=concern_ids,
    )


def first_broken_link(
    rows: Iterator[Mapping[str, Any]], concerns: Mapping[int, list[int]]
) -> tuple[int, BrokenLink | None]:
    """Walk the events in id order; returns how many were checked and the first broken one."""
    expected_prev = GENESIS
    checked = 0
    for row in rows:
        checked += 1
        event_id = int(row["id"])
        if row["prev_hash"] != expected_prev:
            return checked, BrokenLink(
                event_id, "its previous hash does not match the event before it"
            )
        if not row["redacted"]:
            digest = personal_digest(
                object_repr=row["object_repr"],
                before=row["before"],
                after=row["after"],
                ip_address=row["ip_address"],
            )
            if digest != row["personal_sha256"]:
                return checked, BrokenLink(
                    event_id, "its object, before/after or IP address were changed"
                )
        if hash_of_row(row, concerns.get(event_id, [])) != row["hash"]:
            return checked, BrokenLink(event_id, "its content does not match its hash")
        expected_prev = row["hash"]
    return checked, None
