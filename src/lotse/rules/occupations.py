"""Reference-occupation catalogue: German Referenzberuf → competent recognition body.

Data in ``data/occupations.toml`` (domain.md § 3.1). Competence follows the reference
occupation, not the employer's chamber membership.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from lotse.rules._data import load
from lotse.rules._text import fold

# "(m/w/d)" and its permutations are job-advert noise, not part of the occupation's name.
_GENDER_TAG = re.compile(r"\(?\b[mwfd]\s*/\s*[mwfd](\s*/\s*[mwfd])?\b\)?", re.IGNORECASE)
_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")


@dataclass(frozen=True)
class Occupation:
    name: str
    forms: tuple[str, ...]  # gender forms, e.g. ("Industriemechaniker", "Industriemechanikerin")
    aliases: tuple[str, ...]
    body: str  # external body code: "ihk-fosa" | "hwk-region-stuttgart" | "rp-stuttgart"
    regulated: bool
    kind: str  # craft_a | craft_b1 | training_hwk | training_ihk | health | medicine
    legal_basis: str
    source: str
    group: str
    note: str = ""
    language: str | None = None  # language level required by professional law, if any
    language_basis: str | None = None  # the norm of the profession law that demands it
    isco: str | None = None  # ISCO-08 code (shortage groups of § 18g Abs. 1 Satz 2 Nr. 1)
    helper: bool = False  # one-year helper training under Land law (§ 2 Abs. 12a AufenthG)


@dataclass(frozen=True)
class OccupationMatch:
    query: str
    occupation: Occupation | None
    suggestions: tuple[str, ...]


def _token_alternatives(token: str) -> tuple[str, str]:
    if "/" not in token:
        return token, token
    head, _, tail = token.partition("/")
    if tail == "in":
        return head, head + "in"
    if tail == "r":
        return head + "r", head
    if tail.startswith("-") and head.endswith("mann"):
        return head, head[: -len("mann")] + tail[1:]
    if tail.startswith("-"):
        return head, head + tail[1:]
    return head, tail


def gender_forms(name: str) -> tuple[str, ...]:
    """Expand "Industriemechaniker/in" to ("Industriemechaniker", "Industriemechanikerin")."""
    pairs = [_token_alternatives(token) for token in name.split()]
    first = " ".join(pair[0] for pair in pairs)
    second = " ".join(pair[1] for pair in pairs)
    return (first,) if first == second else (first, second)


def _entry(group: dict[str, Any], raw: str | dict[str, Any]) -> Occupation:
    entry: dict[str, Any] = {"name": raw} if isinstance(raw, str) else raw
    name: str = entry["name"]
    return Occupation(
        name=name,
        forms=gender_forms(name),
        aliases=tuple(entry.get("aliases", ())),
        body=entry.get("body", group["body"]),
        regulated=bool(entry.get("regulated", group["regulated"])),
        kind=group["kind"],
        legal_basis=entry.get("legal_basis", group["legal_basis"]),
        source=entry.get("source", group["source"]),
        group=group["code"],
        note=entry.get("note", group.get("note", "")),
        language=entry.get("language"),
        language_basis=entry.get("language_basis"),
        isco=entry.get("isco", group.get("isco")),
        helper=bool(entry.get("helper", False)),
    )


@dataclass(frozen=True)
class _Catalogue:
    version: str
    occupations: tuple[Occupation, ...]
    index: dict[str, Occupation]


def _spellings(occ: Occupation) -> list[str]:
    result = [occ.name, *occ.forms]
    for alias in occ.aliases:
        result.extend((alias, *gender_forms(alias)))
    without_parens = [_PARENTHETICAL.sub("", s) for s in result if "(" in s]
    return result + without_parens


@cache
def _catalogue() -> _Catalogue:
    raw = load("occupations")
    occupations = tuple(_entry(g, e) for g in raw["group"] for e in g["entries"])
    index: dict[str, Occupation] = {}
    # Primary names first, so that a trade name ("Metallbauer") keeps its own entry when a
    # training occupation's gender form spells the same.
    for occ in occupations:
        key = fold(occ.name)
        if key in index:
            raise ValueError(f"occupation {occ.name!r} is listed twice")
        index[key] = occ
    for occ in occupations:
        for spelling in _spellings(occ):
            key = fold(spelling)
            existing = index.setdefault(key, occ)
            if existing.body != occ.body:
                raise ValueError(
                    f"spelling {spelling!r} maps to {existing.name!r} ({existing.body}) "
                    f"and {occ.name!r} ({occ.body})"
                )
    return _Catalogue(version=raw["version"], occupations=occupations, index=index)


def occupations() -> tuple[Occupation, ...]:
    return _catalogue().occupations


def catalogue_version() -> str:
    return _catalogue().version


def _query_keys(name: str) -> list[str]:
    cleaned = _GENDER_TAG.sub(" ", name)
    keys = [fold(cleaned)]
    for form in gender_forms(cleaned.strip()):
        keys.append(fold(form))
    keys.append(fold(_PARENTHETICAL.sub("", cleaned)))
    return [k for k in keys if k]


@lru_cache(maxsize=4096)
def lookup(name: str) -> Occupation | None:
    """Find a reference occupation, tolerant of case, umlaut spelling and gender forms."""
    index = _catalogue().index
    for key in _query_keys(name):
        found = index.get(key)
        if found is not None:
            return found
    return None


def suggest(name: str, limit: int = 5) -> tuple[str, ...]:
    """Catalogue names close to ``name``, best first (for an unknown or misspelt occupation)."""
    keys = _query_keys(name)
    if not keys:
        return ()
    query = keys[0]
    index = _catalogue().index
    ranked: list[str] = []
    if len(query) >= 4:
        ranked.extend(k for k in sorted(index) if query in k)
    ranked.extend(difflib.get_close_matches(query, list(index), n=limit * 3, cutoff=0.6))
    names: list[str] = []
    for key in ranked:
        display = index[key].name
        if display not in names:
            names.append(display)
        if len(names) == limit:
            break
    return tuple(names)


def find(name: str) -> OccupationMatch:
    found = lookup(name)
    return OccupationMatch(
        query=name, occupation=found, suggestions=() if found is not None else suggest(name)
    )
