"""Authority directory: Betriebsstätte municipality → competent ABH, cooperation dates, bodies.

Competence for the § 81a procedure follows the place of business (§ 71 Abs. 1 AufenthG); the
data and its sources live in ``data/authorities.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Any, Final

from lotse.rules._data import load
from lotse.rules._text import fold


@dataclass(frozen=True)
class Authority:
    code: str
    name: str
    kind: str  # "abh" | "state_agency"
    municipalities: tuple[str, ...]
    cooperation_since: date | None
    cooperation_source: str
    address: str
    legal_basis: str
    url: str = ""
    competent_since: date | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Municipality:
    name: str
    postcodes: tuple[str, ...]
    authority_code: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExternalBody:
    code: str
    name: str
    kind: str  # "recognition" | "comparability" | "labour_market" | "advice"
    role_de: str
    role_en: str
    address: str
    url: str
    legal_basis: str = ""


@dataclass(frozen=True)
class Chamber:
    code: str  # "ihk-region-stuttgart" | "hwk-region-stuttgart"
    name: str
    local_office: str
    kind: str  # "ihk" | "hwk"
    url: str = ""
    legal_basis: str = ""


@dataclass(frozen=True)
class _Directory:
    version: str
    authorities: tuple[Authority, ...]
    by_code: dict[str, Authority]
    municipalities: tuple[Municipality, ...]
    by_key: dict[str, Municipality]
    chambers: tuple[Chamber, ...]
    external_bodies: tuple[ExternalBody, ...]


def _opt_date(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise TypeError(f"expected a TOML date, got {value!r}")
    return value


@cache
def _directory() -> _Directory:
    raw = load("authorities")
    munis = tuple(
        Municipality(
            name=m["name"],
            postcodes=tuple(m["postcodes"]),
            authority_code=m["authority"],
            aliases=tuple(m.get("aliases", ())),
        )
        for m in raw["municipality"]
    )
    authorities = tuple(
        Authority(
            code=a["code"],
            name=a["name"],
            kind=a["kind"],
            municipalities=tuple(m.name for m in munis if m.authority_code == a["code"]),
            cooperation_since=_opt_date(a.get("cooperation_since")),
            cooperation_source=a["cooperation_source"],
            address=a["address"],
            legal_basis=a["legal_basis"],
            url=a.get("url", ""),
            competent_since=_opt_date(a.get("competent_since")),
            notes=tuple(a.get("notes", ())),
        )
        for a in raw["authority"]
    )
    by_code = {a.code: a for a in authorities}
    by_key: dict[str, Municipality] = {}
    for m in munis:
        if m.authority_code not in by_code:
            raise ValueError(
                f"municipality {m.name!r} names unknown authority {m.authority_code!r}"
            )
        for spelling in (m.name, *m.aliases):
            key = fold(spelling)
            if key in by_key and by_key[key] is not m:
                raise ValueError(f"spelling {spelling!r} is ambiguous")
            by_key[key] = m
    chambers = tuple(Chamber(**c) for c in raw["chamber"])
    bodies = tuple(ExternalBody(**b) for b in raw["external_body"])
    return _Directory(
        version=raw["version"],
        authorities=authorities,
        by_code=by_code,
        municipalities=munis,
        by_key=by_key,
        chambers=chambers,
        external_bodies=bodies,
    )


DIRECTORY_VERSION: Final[str] = _directory().version


def authorities() -> tuple[Authority, ...]:
    return _directory().authorities


def authority(code: str) -> Authority:
    """Return the authority with ``code``; raises ``KeyError`` for an unknown code."""
    return _directory().by_code[code]


def municipalities() -> tuple[Municipality, ...]:
    return _directory().municipalities


@lru_cache(maxsize=4096)
def find_municipality(name: str) -> Municipality | None:
    """Look a municipality up by name, tolerant of case, umlaut spelling and punctuation.

    A leading postcode ("71638 Ludwigsburg") is ignored; the name decides, because a PLZ can be
    shared by two municipalities.
    """
    key = fold(name)
    if key[:5].isdigit() and key[5:6] == " ":
        key = key[6:]
    return _directory().by_key.get(key)


def municipalities_for_postcode(postcode: str) -> tuple[Municipality, ...]:
    """All municipalities using ``postcode``; more than one is possible (71711: Murr, Steinheim)."""
    code = postcode.strip()
    return tuple(m for m in _directory().municipalities if code in m.postcodes)


def authority_for_municipality(name: str, on: date) -> Authority | None:
    """The ABH competent for a Betriebsstätte in ``name`` on ``on``; None outside the directory."""
    muni = find_municipality(name)
    if muni is None:
        return None
    found = authority(muni.authority_code)
    if found.competent_since is not None and on < found.competent_since:
        return None
    return found


def cooperates(authority: Authority, on: date) -> bool:
    """Whether ``authority`` takes part in the chamber cooperation on ``on``."""
    return authority.cooperation_since is not None and on >= authority.cooperation_since


def chambers() -> tuple[Chamber, ...]:
    return _directory().chambers


def chamber(code: str) -> Chamber:
    for item in _directory().chambers:
        if item.code == code:
            return item
    raise KeyError(code)


def external_bodies() -> tuple[ExternalBody, ...]:
    return _directory().external_bodies


def external_body(code: str) -> ExternalBody:
    for item in _directory().external_bodies:
        if item.code == code:
            return item
    raise KeyError(code)
