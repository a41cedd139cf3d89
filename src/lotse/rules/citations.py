"""Clean citations: the text of a legal basis or source as a reader may see it.

Developer notes belong in the data's ``note`` fields and comments, never in a ``legal_basis`` or
``source`` (tests/test_no_developer_text.py checks the data). Results stored before a note was
moved out of a citation (an advisory record keeps its result for years) still carry it, so every
presenter passes stored citations through :func:`clean_citation`.
"""

from __future__ import annotations

import re

# Markers that the data files use for open questions (see the header of clocks/data/clocks.toml).
DEVELOPER_MARKERS = re.compile(
    r"\[(?:UNVERIFIED|conflict|assumption)|\bTODO\b|\bFIXME\b|\bverify\b|domain\.md|\bmodelled\b",
    re.IGNORECASE,
)
# A bracketed note: "[UNVERIFIED paragraph; amount sourced]", "[conflict]".
_BRACKETED = re.compile(r"\s*\[[^\[\]]*\]")
# A parenthetical holding a marker: "(IHK Region Stuttgart membership …, domain.md § 3.1)".
_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)")
# Words of an English developer note inside a German citation: "(BQFG-BW § 14a for Land professions)".
_ENGLISH_NOTE = re.compile(
    r"\b(?:for|the|of|as|if|only|per|with|without|check|membership|professions|see)\b"
)


def is_clean(text: str) -> bool:
    """True when ``text`` carries no developer marker and no English note in parentheses."""
    if DEVELOPER_MARKERS.search(text):
        return False
    return not any(_ENGLISH_NOTE.search(m.group(1)) for m in _PARENTHETICAL.finditer(text))


def clean_citation(text: str) -> str:
    """``text`` without bracketed markers and without parenthetical developer notes."""
    cleaned = _BRACKETED.sub(
        lambda m: "" if DEVELOPER_MARKERS.search(m.group(0)) else m.group(0), text
    )
    cleaned = _PARENTHETICAL.sub(
        lambda m: (
            ""
            if DEVELOPER_MARKERS.search(m.group(1)) or _ENGLISH_NOTE.search(m.group(1))
            else m.group(0)
        ),
        cleaned,
    )
    # A marker left outside brackets ("… — lower than 2025; verify against …") ends the citation.
    marker = DEVELOPER_MARKERS.search(cleaned)
    if marker is not None:
        cleaned = cleaned[: marker.start()]
    return re.sub(r"\s+", " ", cleaned).strip(" ;,—–-")
