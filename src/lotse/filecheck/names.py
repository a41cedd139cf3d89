"""Transliteration-tolerant comparison of names and birth dates across case, passport and contract.

The same person is written differently by each source: the passport MRZ has only A-Z and ``<``
(ICAO 9303 part 3 transliterates Ä to AE, Ø to OE, ß to SS and drops apostrophes), some
states' MRZs write Ü simply as U, an HR system may drop accents, a form may use hyphens or not.
Those differences are tolerated and reported as *notes*; everything else is a *difference* the
advisor must resolve before the file goes to the authority (domain rule R3: names and birth data
identical across passport, Vollmacht, contract, BA form, certificates).

What is deliberately not attempted: transliteration between scripts (Cyrillic, Arabic ...), which
has several official schemes and must come from the passport's Latin spelling, and ICAO's
shortening of long given names to initials.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from functools import cache
from typing import Final

__all__ = [
    "DateComparison",
    "Difference",
    "NameComparison",
    "PersonName",
    "compare_birth_dates",
    "compare_names",
    "compare_people",
    "normalize_name",
    "parse_birth_date",
]

# Letters that are written two ways in Latin-script documents: with the base letter only, or
# expanded. Kept as themselves during normalisation and resolved during matching.
_VARIANTS: Final[dict[str, tuple[str, ...]]] = {
    "Ä": ("AE", "A"),
    "Ö": ("OE", "O"),
    "Ü": ("UE", "U"),
    "Ø": ("OE", "O"),
    "Å": ("AA", "A"),
}
# Letters that decompose to nothing useful under NFKD but have one accepted Latin spelling.
_FIXED: Final[dict[str, str]] = {
    "ß": "SS",
    "ẞ": "SS",
    "Æ": "AE",
    "æ": "AE",
    "Œ": "OE",
    "œ": "OE",
    "Þ": "TH",
    "þ": "TH",
    "Ð": "D",
    "ð": "D",
    "Đ": "D",
    "đ": "D",
    "Ł": "L",
    "ł": "L",
    "Ħ": "H",
    "ħ": "H",
    "ı": "I",
    "Ŋ": "N",
    "ŋ": "N",
}
# Apostrophes vanish (ICAO: O'BRIEN -> OBRIEN); hyphens, dots, commas and the MRZ filler
# separate words.
_APOSTROPHES: Final = frozenset("'’‘`´ʼ")
_SEPARATORS: Final = re.compile(r"[\s<\-‐‑‒–—.,;/_]+")
_LATIN: Final = re.compile(r"[A-Z]+")
# Two differing words at least this similar (difflib ratio) are one word spelled differently.
_SIMILAR: Final = 0.5


@dataclass(frozen=True, slots=True)
class Difference:
    """A finding with a stable ``code`` and messages in both languages."""

    code: str
    message_de: str
    message_en: str

    def __str__(self) -> str:
        return self.message_en


@dataclass(frozen=True, slots=True)
class NameComparison:
    """``equal`` is true when only tolerated variations were found (listed in ``notes``)."""

    equal: bool
    differences: list[Difference] = field(default_factory=list)
    notes: list[Difference] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PersonName:
    surname: str
    given_names: str


@dataclass(frozen=True, slots=True)
class DateComparison:
    equal: bool
    differences: list[Difference] = field(default_factory=list)


def normalize_name(value: str) -> str:
    """Upper case, words separated by single spaces, accents removed, Ä/Ö/Ü/Ø/Å kept.

    ``"  Müller-Lüdenscheid, José "`` -> ``"MÜLLER LÜDENSCHEID JOSE"``; ``"O'Brien"`` ->
    ``"OBRIEN"``; ``"ERIKSSON<<ANNA<MARIA"`` -> ``"ERIKSSON ANNA MARIA"``.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", value):
        if char in _APOSTROPHES:
            continue
        if char in _FIXED:
            out.append(_FIXED[char])
            continue
        upper = char.upper()
        if upper in _VARIANTS:
            out.append(upper)
            continue
        for part in unicodedata.normalize("NFKD", upper):
            if not unicodedata.combining(part):
                out.append(part)
    return " ".join(word for word in _SEPARATORS.split("".join(out)) if word)


def _folded(value: str) -> str:
    """Like :func:`normalize_name` but with the variant letters expanded (MRZ spelling)."""
    return "".join(_VARIANTS[c][0] if c in _VARIANTS else c for c in normalize_name(value))


def _tolerant_equal(a: str, b: str, *, b_truncated: bool = False) -> bool:
    """Whether compact normalised names match, letting Ä match Ä, AE or A (and so on)."""

    @cache
    def match(i: int, j: int) -> bool:
        if j == len(b):
            # A truncated MRZ name still has at least one character of the name.
            return i == len(a) or (b_truncated and j > 0)
        if i == len(a):
            return False
        x, y = a[i], b[j]
        if x == y or {x, y} == {"Ö", "Ø"}:
            return match(i + 1, j + 1)
        if x in _VARIANTS and y not in _VARIANTS:
            return any(
                b.startswith(spelling, j) and match(i + 1, j + len(spelling))
                for spelling in _VARIANTS[x]
            )
        if y in _VARIANTS and x not in _VARIANTS:
            return any(
                a.startswith(spelling, i) and match(i + len(spelling), j + 1)
                for spelling in _VARIANTS[y]
            )
        return False

    return match(0, 0)


def compare_names(a: str, b: str, *, b_truncated: bool = False) -> NameComparison:
    """Compare one name field (e.g. surname, or all given names) from two sources.

    ``b_truncated``: ``b`` comes from an MRZ whose name field was full, so it may be cut off
    (see :attr:`lotse.filecheck.mrz.MrzData.name_truncated`); a prefix of ``a`` then matches.
    """
    norm_a, norm_b = normalize_name(a), normalize_name(b)
    compact_a, compact_b = norm_a.replace(" ", ""), norm_b.replace(" ", "")
    differences = [*_non_latin(a, norm_a), *_non_latin(b, norm_b)]
    if differences:
        return NameComparison(equal=False, differences=differences)
    if _tolerant_equal(compact_a, compact_b, b_truncated=b_truncated):
        return NameComparison(equal=True, notes=_notes(a, b, norm_a, norm_b, b_truncated))
    return NameComparison(equal=False, differences=_word_differences(a, b, norm_a, norm_b))


def compare_people(a: PersonName, b: PersonName, *, b_truncated: bool = False) -> NameComparison:
    """Compare surname with surname and given names with given names.

    When only the split between surname and given names differs (``GARCIA LOPEZ / MARIA`` vs
    ``GARCIA / LOPEZ MARIA``), that is reported as its own difference: it is usually the same
    person, but the documents disagree and the authority will notice.
    """
    # Truncation cuts the end of the MRZ name field: the given names, or the surname when the
    # field holds no given names.
    surname = compare_names(
        a.surname, b.surname, b_truncated=b_truncated and not normalize_name(b.given_names)
    )
    given = compare_names(a.given_names, b.given_names, b_truncated=b_truncated)
    if surname.equal and given.equal:
        return NameComparison(equal=True, notes=surname.notes + given.notes)
    whole = compare_names(
        f"{a.surname} {a.given_names}", f"{b.surname} {b.given_names}", b_truncated=b_truncated
    )
    if whole.equal:
        return NameComparison(
            equal=False,
            differences=[
                Difference(
                    "name_split",
                    f"Gleiche Namensteile, aber anders auf Familien- und Vorname verteilt: "
                    f"„{a.surname} / {a.given_names}“ und „{b.surname} / {b.given_names}“.",
                    f"Same name parts, but split differently into surname and given names: "
                    f"'{a.surname} / {a.given_names}' and '{b.surname} / {b.given_names}'.",
                )
            ],
            notes=whole.notes,
        )
    return NameComparison(
        equal=False,
        differences=[
            *_labelled(surname.differences, "Familienname", "Surname"),
            *_labelled(given.differences, "Vornamen", "Given names"),
        ],
        notes=surname.notes + given.notes,
    )


def _labelled(items: list[Difference], label_de: str, label_en: str) -> list[Difference]:
    return [
        Difference(d.code, f"{label_de}: {d.message_de}", f"{label_en}: {d.message_en}")
        for d in items
    ]


def _non_latin(raw: str, normalized: str) -> list[Difference]:
    compact = "".join(_VARIANTS.get(c, (c,))[0] for c in normalized.replace(" ", ""))
    if _LATIN.fullmatch(compact) or not compact:
        return []
    return [
        Difference(
            "non_latin",
            f"„{raw}“ enthält Zeichen außerhalb der lateinischen Schrift; bitte die lateinische "
            "Schreibweise aus dem Pass verwenden.",
            f"'{raw}' contains characters outside the Latin script; please use the Latin "
            "spelling from the passport.",
        )
    ]


def _notes(a: str, b: str, norm_a: str, norm_b: str, b_truncated: bool) -> list[Difference]:
    notes: list[Difference] = []
    if any(c in _VARIANTS for c in norm_a + norm_b) and norm_a != norm_b:
        notes.append(
            Difference(
                "umlaut_spelling",
                f"Umlaute unterschiedlich geschrieben (z. B. ü / ue / u): „{a}“ und „{b}“.",
                f"Umlauts written differently (e.g. ü / ue / u): '{a}' and '{b}'.",
            )
        )
    if _has_accents(a) or _has_accents(b):
        notes.append(
            Difference(
                "diacritics",
                f"Akzente wurden für den Vergleich entfernt (z. B. é → E): „{a}“ und „{b}“.",
                f"Accents were removed for the comparison (e.g. é → E): '{a}' and '{b}'.",
            )
        )
    if norm_a.split() != norm_b.split() and norm_a.replace(" ", "") == norm_b.replace(" ", ""):
        notes.append(
            Difference(
                "separators",
                f"Leerzeichen, Bindestriche oder Apostrophe unterscheiden sich: „{a}“ und „{b}“.",
                f"Spaces, hyphens or apostrophes differ: '{a}' and '{b}'.",
            )
        )
    if b_truncated and len(_folded(b).replace(" ", "")) < len(_folded(a).replace(" ", "")):
        notes.append(
            Difference(
                "truncated",
                f"„{b}“ ist in der MRZ gekürzt und stimmt mit dem Anfang von „{a}“ überein.",
                f"'{b}' is truncated in the MRZ and matches the beginning of '{a}'.",
            )
        )
    return notes


def _has_accents(value: str) -> bool:
    # Umlauts and the fixed letters have their own handling; only other accents count here.
    return any(
        any(unicodedata.combining(part) for part in unicodedata.normalize("NFKD", char))
        for char in unicodedata.normalize("NFC", value)
        if char.upper() not in _VARIANTS and char not in _FIXED
    )


def _word_differences(a: str, b: str, norm_a: str, norm_b: str) -> list[Difference]:
    words_a, words_b = norm_a.split(), norm_b.split()
    # Pair up words that match tolerantly, wherever they are; what is left differs.
    unmatched_b = list(range(len(words_b)))
    unmatched_a: list[int] = []
    for i, word in enumerate(words_a):
        j = next((j for j in unmatched_b if _tolerant_equal(word, words_b[j])), None)
        if j is None:
            unmatched_a.append(i)
        else:
            unmatched_b.remove(j)

    differences: list[Difference] = []
    if not unmatched_a and not unmatched_b:
        differences.append(
            Difference(
                "word_order",
                f"Gleiche Namensteile in anderer Reihenfolge: „{a}“ und „{b}“.",
                f"Same name parts in a different order: '{a}' and '{b}'.",
            )
        )
        return differences
    # Of the remaining words, those that look alike are reported as spelling differences
    # (ERIKSSON / ERIKSEN), the rest as missing; pairing by position would match MARIA with
    # ERIKSEN in "ANNA MARIA ERIKSSON" / "ANNA ERIKSEN".
    candidates = sorted(
        (
            (-SequenceMatcher(None, _folded(words_a[i]), _folded(words_b[j])).ratio(), i, j)
            for i in unmatched_a
            for j in unmatched_b
        ),
    )
    spelled: list[tuple[int, int]] = []
    for negative_ratio, i, j in candidates:
        if -negative_ratio < _SIMILAR:
            break
        if all(i != x and j != y for x, y in spelled):
            spelled.append((i, j))
    for i, j in sorted(spelled):
        differences.append(
            Difference(
                "spelling",
                f"„{words_a[i]}“ (in „{a}“) und „{words_b[j]}“ (in „{b}“) sind verschieden "
                "geschrieben.",
                f"'{words_a[i]}' (in '{a}') and '{words_b[j]}' (in '{b}') are spelled differently.",
            )
        )
    for i in unmatched_a:
        if all(i != x for x, _ in spelled):
            differences.append(_only_in(words_a[i], a, b))
    for j in unmatched_b:
        if all(j != y for _, y in spelled):
            differences.append(_only_in(words_b[j], b, a))
    return differences


def _only_in(word: str, has: str, lacks: str) -> Difference:
    return Difference(
        "missing_part",
        f"„{word}“ steht in „{has}“, fehlt aber in „{lacks}“.",
        f"'{word}' appears in '{has}' but is missing from '{lacks}'.",
    )


# --- birth dates -------------------------------------------------------------------------------

_GERMAN_DATE: Final = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})")


def parse_birth_date(value: date | str) -> date:
    """Accept a ``date``, ISO ``YYYY-MM-DD`` or German ``D.M.YYYY``.

    Slash formats are refused on purpose: 08/12/1974 is August in the US and December in most
    other places, and guessing wrong would hide exactly the error this check is for.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = value.strip()
    german = _GERMAN_DATE.fullmatch(text)
    if german:
        day, month, year = (int(part) for part in german.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def compare_birth_dates(a: date | str, b: date | str) -> DateComparison:
    """Compare two birth dates; a swapped day and month is named as such."""
    first, second = parse_birth_date(a), parse_birth_date(b)
    if first == second:
        return DateComparison(equal=True)
    shown_a, shown_b = first.strftime("%d.%m.%Y"), second.strftime("%d.%m.%Y")
    if first.year == second.year and (first.day, first.month) == (second.month, second.day):
        return DateComparison(
            equal=False,
            differences=[
                Difference(
                    "day_month_swapped",
                    f"Tag und Monat sind vertauscht: {shown_a} und {shown_b} (amerikanisches "
                    "Datumsformat?).",
                    f"Day and month are swapped: {shown_a} and {shown_b} (US date format?).",
                )
            ],
        )
    return DateComparison(
        equal=False,
        differences=[
            Difference(
                "different_date",
                f"Die Geburtsdaten unterscheiden sich: {shown_a} und {shown_b}.",
                f"The dates of birth differ: {shown_a} and {shown_b}.",
            )
        ],
    )
