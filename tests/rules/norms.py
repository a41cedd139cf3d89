"""Valid norm references: law abbreviation → sections that exist (checked against the statute).

Typed in by hand from the tables of contents on gesetze-im-internet.de (AufenthG, AufenthV, BeschV,
BQFG, HwO, BBiG, BMG, VwVfG, the health-profession laws) and the Landesrecht BW (LVG, BQFG-BW).
A section that is not here fails tests/rules/test_citations.py: add it only after reading it.
"""

from __future__ import annotations

from typing import Final

VALID: Final[dict[str, frozenset[str]]] = {
    "AufenthG": frozenset(
        [
            "2",
            "4a",
            "5",
            "6",
            "16a",
            "16d",
            "18",
            "18a",
            "18b",
            "18c",
            "18g",
            "19c",
            "29",
            "30",
            "32",
            "39",
            "43",
            "44",
            "45",
            "45a",
            "71",
            "81",
            "81a",
            "82",
        ]
    ),
    "AufenthV": frozenset(["31", "31a", "45", "46", "47"]),
    "BeschV": frozenset(["1", "6", "22a", "26", "36"]),
    "BQFG": frozenset(["4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "14a", "15"]),
    "BQFG-BW": frozenset(["14a"]),
    "HwO": frozenset(["25", "40a", "50b"]),
    "BBiG": frozenset(["4", "50a"]),
    "BMG": frozenset(["17"]),
    # Landesverwaltungsgesetz Baden-Württemberg (Fassung 14.10.2008, zuletzt geändert 17.12.2024),
    # read 2026-11-30: § 15 Abs. 1 Nr. 1 untere Verwaltungsbehörden, § 17 Verwaltungsgemeinschaften,
    # § 18 Abs. 1 Satz 2 their tasks, § 19 what is excluded from the Große Kreisstädte.
    "LVG": frozenset(["15", "17", "18", "19"]),
    # Bundesausbildungsförderungsgesetz: § 2 Abs. 3 Satz 5 AufenthG takes the need "nach den §§ 13
    # und 13a Abs. 1" (§ 13 read 2026-11-30: Abs. 1 Nr. 1 442 €, Abs. 2 Nr. 2 380 €).
    "BAföG": frozenset(["13", "13a"]),
    "VwVfG": frozenset(["31"]),
    "PflBG": frozenset(["1", "2", "40", "64"]),
    "PflAPrV": frozenset(["43"]),
    "BÄO": frozenset(["3", "10"]),
    "ZHG": frozenset(["2", "13"]),
    "BApO": frozenset(["4", "11"]),
    "MPhG": frozenset(["2"]),
    "HebG": frozenset(["5"]),
    "ErgThG": frozenset(["2"]),
    "LogopG": frozenset(["2"]),
    "NotSanG": frozenset(["2"]),
    "IHKG": frozenset(["2"]),
    # Landesrecht BW, read in reproductions (lexaris.io, umwelt-online.de) on 2026-11-30:
    # Ausbildungs- und Prüfungsordnung Altenpflegehilfe (2017), ... Gesundheits- und Krankenpflegehilfe (2005).
    "APrOAltPflHi": frozenset(["3"]),
    "APrOGeKrPflHi": frozenset(["2"]),
    "JArbSchG": frozenset(["5"]),
    "SGB V": frozenset(["5"]),
    "ZKG": frozenset(["31"]),
}

# Laws cited without a section (whole statutes), accepted as they are.
WHOLE_LAWS: Final[frozenset[str]] = frozenset(
    [
        "HebG",
        "MPhG",
        "ErgThG",
        "LogopG",
        "DiätAssG",
        "PodG",
        "OrthoptG",
        "NotSanG",
        "MTBG",
        "PTAG",
        "ATA-OTA-G",
        "PsychThG",
        "BQFG-BW",
        "HwO",
        "PflBG",
        "DeuFöV",
    ]
)
