"""Document catalogue and completeness matrix per title (``data/documents.toml``, domain.md § 4)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from lotse.rules._data import load

Requirement = Literal["mandatory", "conditional"]
TITLES: Final[tuple[str, ...]] = ("16a", "16d1", "16d3", "18a", "18b", "18g", "19c2")

# Conditions a matrix row may name; the engine resolves each to True, False or None (unknown).
CONDITIONS: Final[frozenset[str]] = frozenset(
    {
        "lives_in_other_eu_state",
        "recognition_to_apply",
        "recognition_held",
        "recognition_partial",
        "regulated",
        "regulated_recognition_to_apply",
        "language_by_professional_law",
        "age45_below_threshold",
        "anabin_route",
        "zab_route",
        "degree_route",
        "degree_anabin_route",
        "degree_zab_route",
        "vocational_route",
        "it_without_degree",
        "ba_approval",
        "measure_employment_based",
        "minor",
    }
)


@dataclass(frozen=True, slots=True)
class Document:
    code: str
    label_de: str
    label_en: str
    description_de: str
    description_en: str
    translation: str  # none | german | sworn_german | sworn_german_or_english
    original_signature: bool
    source: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    code: str
    requirement: Requirement
    when: str | None
    translation: str


@cache
def catalogue() -> dict[str, Document]:
    return {d["code"]: Document(**d) for d in load("documents")["document"]}


def document(code: str) -> Document:
    return catalogue()[code]


@cache
def matrix(title: str) -> tuple[MatrixRow, ...]:
    """The common rows plus the title's rows, in checklist order."""
    if title not in TITLES:
        raise KeyError(title)
    raw = load("documents")["matrix"]
    docs = catalogue()
    rows: list[MatrixRow] = []
    for entry in (*raw["common"], *raw[title]):
        code = entry["code"]
        when = entry.get("when")
        if code not in docs:
            raise ValueError(f"matrix {title!r} names unknown document {code!r}")
        if when is not None and when not in CONDITIONS:
            raise ValueError(f"matrix {title!r} names unknown condition {when!r}")
        requirement: Requirement = (
            "mandatory" if entry["requirement"] == "mandatory" else "conditional"
        )
        rows.append(MatrixRow(code, requirement, when, docs[code].translation))
    return tuple(rows)


def documents_version() -> str:
    version: str = load("documents")["version"]
    return version
