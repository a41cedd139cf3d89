"""Spelling-tolerant keys for names typed by people (umlauts, ß, case, punctuation)."""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Return a key under which 'Möglingen', 'moeglingen' and 'MOEGLINGEN' coincide."""
    lowered = text.casefold().translate(_UMLAUTS)
    # Strip remaining accents (é, č …) so transliterated input still matches.
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_only).strip()
