"""ICAO Doc 9303 TD3 machine-readable zone (passport data page, two lines of 44 characters).

Own implementation rather than the ``mrz`` package (GPLv3, unmaintained since 2020). The lines
are typed by an advisor from the passport copy, so the parser is tolerant of lower case and of
surrounding blanks, but not of anything that would change a character: a typing mistake should
show up as a failed check digit, which is the point of typing the MRZ at all.

Layout (ICAO 9303 part 4, positions 1-based as in the standard)::

    line 1: 1-2 document type "P?", 3-5 issuing state, 6-44 name "SURNAME<<GIVEN<NAMES"
    line 2: 1-9 document number, 10 check, 11-13 nationality, 14-19 birth date YYMMDD, 20 check,
            21 sex, 22-27 expiry date YYMMDD, 28 check, 29-42 personal number, 43 check,
            44 composite check over 1-10, 14-20 and 22-43
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Final, Literal

__all__ = [
    "LINE_LENGTH",
    "MrzData",
    "MrzError",
    "MrzFailure",
    "check_digit",
    "parse_td3",
]

LINE_LENGTH: Final = 44
_WEIGHTS: Final = (7, 3, 1)
_ALPHABET: Final = re.compile(r"[A-Z0-9<]*")
_DATE: Final = re.compile(r"\d{6}")


def check_digit(field_value: str) -> int:
    """ICAO 9303 check digit: weights 7, 3, 1 repeating; 0-9 as is, A=10 ... Z=35, ``<`` = 0."""
    total = 0
    for position, char in enumerate(field_value):
        if char.isdigit() and char.isascii():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - ord("A") + 10
        elif char == "<":
            value = 0
        else:
            raise ValueError(f"{char!r} is not an MRZ character")
        total += value * _WEIGHTS[position % 3]
    return total % 10


@dataclass(frozen=True, slots=True)
class MrzFailure:
    """One failed check, with a stable ``code`` and messages for the advisor."""

    code: str
    message_de: str
    message_en: str


@dataclass(frozen=True, slots=True)
class MrzData:
    """What the MRZ says. Fillers are removed; ``*_valid`` are the individual check results."""

    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    # The name field is 39 characters; a longer name is cut off and the field ends without a
    # filler. Name comparison must then accept a prefix.
    name_truncated: bool
    document_number: str
    nationality: str
    birth_date: date | None  # None when unknown (fillers) or not a calendar date
    birth_date_raw: str
    sex: Literal["F", "M"] | None  # None: unspecified ("<", or "X" used by some states)
    expiry_date: date | None
    expiry_date_raw: str
    personal_number: str
    document_number_valid: bool
    birth_date_valid: bool
    expiry_date_valid: bool
    personal_number_valid: bool
    composite_valid: bool
    failures: tuple[MrzFailure, ...] = field(default=())

    @property
    def is_valid(self) -> bool:
        return not self.failures


class MrzError(ValueError):
    """The MRZ failed one or more checks. ``data`` holds what could be read (None if nothing)."""

    def __init__(self, failures: list[MrzFailure], data: MrzData | None = None) -> None:
        super().__init__("; ".join(f.message_en for f in failures))
        self.failures = failures
        self.data = data


def _failure(code: str, de: str, en: str) -> MrzFailure:
    return MrzFailure(code, de, en)


# Subject of the check-digit message, with the position so the advisor knows where to look.
_CHECK_LABELS: Final[dict[str, tuple[str, str]]] = {
    "document_number": (
        "Die Prüfziffer der Passnummer (Zeile 2, Stelle 10)",
        "The check digit of the document number (line 2, position 10)",
    ),
    "birth_date": (
        "Die Prüfziffer des Geburtsdatums (Zeile 2, Stelle 20)",
        "The check digit of the date of birth (line 2, position 20)",
    ),
    "expiry_date": (
        "Die Prüfziffer des Ablaufdatums (Zeile 2, Stelle 28)",
        "The check digit of the date of expiry (line 2, position 28)",
    ),
    "personal_number": (
        "Die Prüfziffer der persönlichen Nummer (Zeile 2, Stelle 43)",
        "The check digit of the personal number (line 2, position 43)",
    ),
    "composite": (
        "Die Gesamtprüfziffer (Zeile 2, Stelle 44)",
        "The composite check digit (line 2, position 44)",
    ),
}


def parse_td3(line1: str, line2: str, *, today: date | None = None) -> MrzData:
    """Parse and validate the two TD3 lines; raise :class:`MrzError` listing every failed check.

    ``today`` decides the century of the birth year (a two-digit year after this year's is in
    the 1900s); it defaults to the current UTC date.
    """
    line1 = line1.strip().upper()
    line2 = line2.strip().upper()

    structural: list[MrzFailure] = []
    for number, line in ((1, line1), (2, line2)):
        if len(line) != LINE_LENGTH:
            structural.append(
                _failure(
                    f"line{number}_length",
                    f"Zeile {number} hat {len(line)} statt {LINE_LENGTH} Zeichen.",
                    f"Line {number} has {len(line)} instead of {LINE_LENGTH} characters.",
                )
            )
        if not _ALPHABET.fullmatch(line):
            bad = "".join(sorted({c for c in line if not _ALPHABET.fullmatch(c)}))
            structural.append(
                _failure(
                    f"line{number}_characters",
                    f"Zeile {number} enthält unzulässige Zeichen ({bad!r}); erlaubt sind A-Z, "
                    "0-9 und <.",
                    f"Line {number} contains characters that are not allowed ({bad!r}); only "
                    "A-Z, 0-9 and < are.",
                )
            )
    if structural:
        raise MrzError(structural)

    failures: list[MrzFailure] = []
    document_type = line1[0:2]
    if document_type[0] != "P":
        failures.append(
            _failure(
                "document_type",
                f"Dokumenttyp {document_type!r} ist kein Reisepass (muss mit P beginnen).",
                f"Document type {document_type!r} is not a passport (must start with P).",
            )
        )
    surname, given_names = _split_name(line1[5:44])

    def checked(name: str, value: str, digit_char: str) -> bool:
        ok = _digit_matches(value, digit_char)
        if not ok:
            label_de, label_en = _CHECK_LABELS[name]
            failures.append(
                _failure(
                    f"{name}_check",
                    f"{label_de} stimmt nicht (gelesen „{digit_char}“). Bitte die Zeile mit dem "
                    "Pass vergleichen.",
                    f"{label_en} does not match (read '{digit_char}'). Please compare the line "
                    "with the passport.",
                )
            )
        return ok

    document_number_valid = checked("document_number", line2[0:9], line2[9])
    birth_date_valid = checked("birth_date", line2[13:19], line2[19])
    expiry_date_valid = checked("expiry_date", line2[21:27], line2[27])
    personal_number_valid = checked("personal_number", line2[28:42], line2[42])
    composite_valid = checked("composite", line2[0:10] + line2[13:20] + line2[21:43], line2[43])

    reference = today if today is not None else datetime.now(UTC).date()
    birth_date = _date(line2[13:19], pivot=reference, kind="birth_date", failures=failures)
    expiry_date = _date(line2[21:27], pivot=None, kind="expiry_date", failures=failures)

    sex_char = line2[20]
    sex: Literal["F", "M"] | None
    if sex_char == "F":
        sex = "F"
    elif sex_char == "M":
        sex = "M"
    else:
        sex = None
        if sex_char not in "<X":
            failures.append(
                _failure(
                    "sex_invalid",
                    f"Geschlecht {sex_char!r} ist ungültig (F, M oder <).",
                    f"Sex {sex_char!r} is not valid (F, M or <).",
                )
            )

    data = MrzData(
        document_type=document_type.rstrip("<"),
        issuing_state=line1[2:5].rstrip("<"),
        surname=surname,
        given_names=given_names,
        name_truncated=line1[43] != "<",
        document_number=line2[0:9].rstrip("<"),
        nationality=line2[10:13].rstrip("<"),
        birth_date=birth_date,
        birth_date_raw=line2[13:19],
        sex=sex,
        expiry_date=expiry_date,
        expiry_date_raw=line2[21:27],
        personal_number=line2[28:42].rstrip("<"),
        document_number_valid=document_number_valid,
        birth_date_valid=birth_date_valid,
        expiry_date_valid=expiry_date_valid,
        personal_number_valid=personal_number_valid,
        composite_valid=composite_valid,
        failures=tuple(failures),
    )
    if failures:
        raise MrzError(failures, data)
    return data


def _digit_matches(value: str, digit_char: str) -> bool:
    # An all-filler personal number may carry "<" instead of "0" as its check digit (9303-4).
    if digit_char == "<":
        return set(value) == {"<"}
    return digit_char.isdigit() and int(digit_char) == check_digit(value)


def _split_name(field_value: str) -> tuple[str, str]:
    primary, _, secondary = field_value.partition("<<")
    return (
        " ".join(part for part in primary.split("<") if part),
        " ".join(part for part in secondary.split("<") if part),
    )


def _date(raw: str, *, pivot: date | None, kind: str, failures: list[MrzFailure]) -> date | None:
    if not _DATE.fullmatch(raw):
        # Unknown day or month is written with fillers (e.g. "7408<<"); not an error.
        if set(raw[2:]) <= {"<"} or set(raw[4:]) <= {"<"}:
            return None
        failures.append(_invalid_date(kind, raw))
        return None
    yy, month, day = int(raw[0:2]), int(raw[2:4]), int(raw[4:6])
    # Without a pivot (expiry dates, which lie within ten years around today) 2000 + yy holds
    # until the 2090s; birth years after the pivot year belong to the previous century.
    year = 2000 + yy if pivot is None or 2000 + yy <= pivot.year else 1900 + yy
    try:
        return date(year, month, day)
    except ValueError:
        failures.append(_invalid_date(kind, raw))
        return None


_DATE_LABELS: Final[dict[str, tuple[str, str]]] = {
    "birth_date": ("Das Geburtsdatum", "The date of birth"),
    "expiry_date": ("Das Ablaufdatum", "The date of expiry"),
}


def _invalid_date(kind: str, raw: str) -> MrzFailure:
    label_de, label_en = _DATE_LABELS[kind]
    return _failure(
        f"{kind}_invalid",
        f"{label_de} ({raw}) ist kein gültiges Datum (JJMMTT).",
        f"{label_en} ({raw}) is not a valid date (YYMMDD).",
    )
