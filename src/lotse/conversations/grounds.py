"""The grounds of a request for documents (Nachforderung), from ``data/request_grounds.toml``.

Which statutory clocks a request suspends is a legal fact: it is data with its legal basis, not
code. ``lotse.clocks`` knows the clocks; every code named here must exist there.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from lotse import clocks as engine

PARTIES = ("chamber", "abh")


@dataclass(frozen=True)
class Ground:
    code: str
    label_en: str
    label_de: str
    requested_by: str
    suspends: tuple[str, ...]
    ends_by_due_date: bool
    max_due_days: int
    legal_basis: str
    source: str
    # § 14a Abs. 4 Satz 1 BQFG: the suspension lasts until the requester's due date even when the
    # documents arrive earlier.
    lasts_until_due_date: bool = False

    def label(self, language: str | None) -> str:
        return self.label_de if language == "de" else self.label_en


def _ground(raw: Mapping[str, Any]) -> Ground:
    code = raw.get("code", "?")
    for name in ("code", "label_en", "label_de", "legal_basis", "source"):
        if not isinstance(raw.get(name), str) or not raw[name].strip():
            raise ValueError(f"request ground {code!r}: {name} must be a non-empty string")
    if raw.get("requested_by") not in PARTIES:
        raise ValueError(f"request ground {code!r}: requested_by must be one of {PARTIES}")
    known = {clock.code for clock in engine.clocks()}
    suspends = tuple(raw.get("suspends", ()))
    unknown = [c for c in suspends if c not in known]
    if unknown:
        raise ValueError(f"request ground {code!r}: unknown clocks {unknown}")
    if not isinstance(raw.get("ends_by_due_date"), bool):
        raise ValueError(f"request ground {code!r}: ends_by_due_date must be true or false")
    if not isinstance(raw.get("lasts_until_due_date", False), bool):
        raise ValueError(f"request ground {code!r}: lasts_until_due_date must be true or false")
    max_days = raw.get("max_due_days")
    if not isinstance(max_days, int) or isinstance(max_days, bool) or max_days < 1:
        raise ValueError(f"request ground {code!r}: max_due_days must be a positive integer")
    return Ground(
        code=raw["code"],
        label_en=raw["label_en"],
        label_de=raw["label_de"],
        requested_by=raw["requested_by"],
        suspends=suspends,
        ends_by_due_date=raw["ends_by_due_date"],
        max_due_days=max_days,
        legal_basis=raw["legal_basis"],
        source=raw["source"],
        lasts_until_due_date=raw.get("lasts_until_due_date", False),
    )


@cache
def grounds() -> dict[str, Ground]:
    ref = resources.files("lotse.conversations").joinpath("data", "request_grounds.toml")
    with ref.open("rb") as handle:
        data = tomllib.load(handle)
    return {g.code: g for g in (_ground(raw) for raw in data["ground"])}


def ground(code: str) -> Ground | None:
    return grounds().get(code)


def grounds_for(party: str | None) -> list[Ground]:
    """The grounds a party may give for a request (none for the company)."""
    return [g for g in grounds().values() if g.requested_by == party]
