"""Automatic checks over a case's documents, each finding naming document, rule and legal basis.

The checks read what the advisor typed while reviewing (MRZ lines, names and birth dates as
written, the contract's salary) and compare it with the case data; they never block anything
by themselves. The advisor decides, the findings save the time of looking.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.utils import timezone, translation

# The module, not its names: lotse.access imports the documents services (and so this module)
# while lotse.documents.selectors is still loading.
from lotse.documents import selectors as document_selectors
from lotse.filecheck.mrz import MrzData, MrzError, parse_td3
from lotse.filecheck.names import PersonName, compare_birth_dates, compare_people
from lotse.rules import thresholds
from lotse.rules.profile import ProfileError
from lotse.rules.quickcheck import evaluate_data

if TYPE_CHECKING:
    from lotse.cases.models import Case
    from lotse.documents.models import Document
    from lotse.documents.selectors import ItemStatus

Severity = Literal["error", "warning"]

LEGAL_BASIS_PASSPORT = "§ 3 Abs. 1, § 5 Abs. 1 Nr. 4 AufenthG (Passpflicht)"
LEGAL_BASIS_IDENTITY = "§ 5 Abs. 1 Nr. 1a AufenthG (geklärte Identität)"
LEGAL_BASIS_MRZ = "ICAO Doc 9303 Teil 4 (Prüfziffern der maschinenlesbaren Zone)"
LEGAL_BASIS_LANGUAGE = "§ 23 Abs. 1 und 2 LVwVfG Baden-Württemberg (Amtssprache Deutsch)"
# Domain rule R7: the national visa is issued for 12 months (§ 81a procedure, domain.md § 5.2
# S13) and the passport must outlast it by 3 months.
VISA_MONTHS = 12
MARGIN_MONTHS = 3


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    rule_de: str
    rule_en: str
    legal_basis: str
    message_de: str
    message_en: str
    document: Document | None = None
    item_label_de: str = ""
    item_label_en: str = ""

    @property
    def message(self) -> str:
        return self.message_de if translation.get_language() == "de" else self.message_en

    @property
    def rule(self) -> str:
        return self.rule_de if translation.get_language() == "de" else self.rule_en

    @property
    def document_label(self) -> str:
        label = self.item_label_de if translation.get_language() == "de" else self.item_label_en
        if self.document is not None:
            return f"{label} ({self.document.filename})"
        return label

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "rule_de": self.rule_de,
            "rule_en": self.rule_en,
            "legal_basis": self.legal_basis,
            "message_de": self.message_de,
            "message_en": self.message_en,
            "document_id": self.document.pk if self.document is not None else None,
            "document": self.item_label_en,
        }


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _de(day: date) -> str:
    return day.strftime("%d.%m.%Y")


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def add(
        self,
        status: ItemStatus,
        document: Document | None,
        code: str,
        severity: Severity,
        rule: tuple[str, str],
        legal_basis: str,
        message: tuple[str, str],
    ) -> None:
        self.findings.append(
            Finding(
                code=code,
                severity=severity,
                rule_de=rule[0],
                rule_en=rule[1],
                legal_basis=legal_basis,
                message_de=message[0],
                message_en=message[1],
                document=document,
                item_label_de=status.item.label_de,
                item_label_en=status.item.label_en,
            )
        )


_RULE_MRZ = ("Prüfziffern der MRZ", "MRZ check digits")
_RULE_MRZ_CASE = ("MRZ und Falldaten", "MRZ and case data")
_RULE_VALIDITY = (
    "Gültigkeit des Passes (Einreise + 12 Monate Visum + 3 Monate)",
    "Passport validity (entry + 12 months visa + 3 months)",
)
_RULE_NAMES = (
    "Namen und Geburtsdatum in allen Unterlagen gleich",
    "Names and date of birth agree across the documents",
)
_RULE_SALARY = ("Gehalt und Gehaltsschwelle", "Salary and salary threshold")
_RULE_TRANSLATION = ("Übersetzung fremdsprachiger Unterlagen", "Translation of foreign documents")


def _case_person(case: Case) -> PersonName:
    return PersonName(surname=case.worker_surname, given_names=case.worker_given_names)


def _check_mrz(case: Case, status: ItemStatus, document: Document, out: _Collector) -> None:
    if not (document.mrz_line1 and document.mrz_line2):
        return
    data: MrzData | None
    try:
        data = parse_td3(document.mrz_line1, document.mrz_line2)
    except MrzError as exc:
        for failure in exc.failures:
            out.add(
                status,
                document,
                f"mrz_{failure.code}",
                "error",
                _RULE_MRZ,
                LEGAL_BASIS_MRZ,
                (failure.message_de, failure.message_en),
            )
        data = exc.data
        if data is None:
            return
    names = compare_people(
        _case_person(case),
        PersonName(data.surname, data.given_names),
        b_truncated=data.name_truncated,
    )
    for difference in names.differences:
        out.add(
            status,
            document,
            "mrz_name",
            "error",
            _RULE_MRZ_CASE,
            LEGAL_BASIS_IDENTITY,
            (
                f"Name in der MRZ: {difference.message_de}",
                f"Name in the MRZ: {difference.message_en}",
            ),
        )
    if data.birth_date is not None and data.birth_date != case.worker_birth_date:
        out.add(
            status,
            document,
            "mrz_birth_date",
            "error",
            _RULE_MRZ_CASE,
            LEGAL_BASIS_IDENTITY,
            (
                f"Geburtsdatum in der MRZ {_de(data.birth_date)}, im Fall {_de(case.worker_birth_date)}.",
                f"Date of birth in the MRZ {_de(data.birth_date)}, in the case {_de(case.worker_birth_date)}.",
            ),
        )
    wanted = "".join(case.worker_passport_number.split()).upper()
    if data.document_number and wanted and data.document_number != wanted:
        out.add(
            status,
            document,
            "mrz_document_number",
            "error",
            _RULE_MRZ_CASE,
            LEGAL_BASIS_IDENTITY,
            (
                f"Passnummer in der MRZ {data.document_number}, im Fall {wanted}.",
                f"Passport number in the MRZ {data.document_number}, in the case {wanted}.",
            ),
        )
    if data.expiry_date is not None and data.expiry_date != case.worker_passport_expiry:
        out.add(
            status,
            document,
            "mrz_expiry",
            "warning",
            _RULE_MRZ_CASE,
            LEGAL_BASIS_PASSPORT,
            (
                f"Ablaufdatum in der MRZ {_de(data.expiry_date)}, im Fall {_de(case.worker_passport_expiry)}.",
                f"Expiry date in the MRZ {_de(data.expiry_date)}, in the case {_de(case.worker_passport_expiry)}.",
            ),
        )


def _check_validity(
    case: Case, status: ItemStatus, document: Document | None, out: _Collector
) -> None:
    expiry = (document.expires_on if document is not None else None) or case.worker_passport_expiry
    entry = case.planned_start or timezone.localdate()
    needed = add_months(entry, VISA_MONTHS + MARGIN_MONTHS)
    if expiry < needed:
        out.add(
            status,
            document,
            "passport_validity",
            "error",
            _RULE_VALIDITY,
            LEGAL_BASIS_PASSPORT,
            (
                f"Der Pass gilt bis {_de(expiry)}; nötig ist mindestens {_de(needed)} (geplante "
                f"Einreise {_de(entry)} + 12 Monate Visum + 3 Monate). Bitte einen neuen Pass beantragen lassen.",
                f"The passport is valid until {_de(expiry)}; at least {_de(needed)} is needed (planned "
                f"entry {_de(entry)} + 12 months visa + 3 months). Please have a new passport issued.",
            ),
        )


def _check_person(case: Case, status: ItemStatus, document: Document, out: _Collector) -> None:
    if document.holder_surname or document.holder_given_names:
        names = compare_people(
            _case_person(case), PersonName(document.holder_surname, document.holder_given_names)
        )
        for difference in names.differences:
            out.add(
                status,
                document,
                "name_differs",
                "error",
                _RULE_NAMES,
                LEGAL_BASIS_IDENTITY,
                (
                    f"Fall und Dokument: {difference.message_de}",
                    f"Case and document: {difference.message_en}",
                ),
            )
    if document.holder_birth_date is not None:
        dates = compare_birth_dates(case.worker_birth_date, document.holder_birth_date)
        for difference in dates.differences:
            out.add(
                status,
                document,
                "birth_date_differs",
                "error",
                _RULE_NAMES,
                LEGAL_BASIS_IDENTITY,
                (
                    f"Fall und Dokument: {difference.message_de}",
                    f"Case and document: {difference.message_en}",
                ),
            )


def _decision_date(case: Case) -> date:
    raw = (case.quickcheck_input or {}).get("decision_date")
    if isinstance(raw, str):
        try:
            return max(date.fromisoformat(raw), timezone.localdate())
        except ValueError:
            pass
    return timezone.localdate()


def _euro(amount: Decimal | float) -> str:
    return f"{amount:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


_FALLBACK_THRESHOLD: dict[str, thresholds.ThresholdKind] = {
    "18g": "blue_card_general",
    "19c2": "experience_19c2",
}


def _salary_threshold(case: Case, salary: Decimal, on: date) -> tuple[float, str] | None:
    """(threshold, legal basis) the salary must meet for the case's title, or None."""
    data = case.quickcheck_input
    if isinstance(data, dict) and isinstance(data.get("job"), dict):
        changed = {
            **data,
            "decision_date": on.isoformat(),
            "job": {**data["job"], "annual_gross_salary": float(salary)},
        }
        try:
            option = evaluate_data(changed).option(case.title)
        except (ProfileError, KeyError, LookupError):
            option = None
        if option is not None:
            if option.salary_threshold is None:
                return None
            basis = next(
                (b.legal_basis for b in option.blockers if "salary" in b.code),
                "; ".join(option.legal_basis),
            )
            return option.salary_threshold, basis
    kind = _FALLBACK_THRESHOLD.get(case.title)
    if kind is None:
        return None
    try:
        found = thresholds.threshold(kind, on)
    except thresholds.NoThresholdsError:
        return None
    return (found.amount, found.legal_basis) if found is not None else None


def _check_salary(case: Case, status: ItemStatus, document: Document, out: _Collector) -> None:
    salary = document.annual_gross_salary
    if salary is None:
        return
    on = _decision_date(case)
    found = _salary_threshold(case, salary, on)
    if found is None:
        return
    amount, basis = found
    if float(salary) < amount:
        out.add(
            status,
            document,
            "salary_below_threshold",
            "error",
            _RULE_SALARY,
            basis,
            (
                f"Das Bruttojahresgehalt im Vertrag ({_euro(salary)}) liegt unter der Schwelle für "
                f"diesen Aufenthaltstitel im Jahr {on.year} ({_euro(amount)}).",
                f"The gross annual salary in the contract ({_euro(salary)}) is below the threshold "
                f"for this residence title in {on.year} ({_euro(amount)}).",
            ),
        )


def _check_translation(status: ItemStatus, document: Document, out: _Collector) -> None:
    if status.item.translation == "german" and document.language not in ("", "de"):
        out.add(
            status,
            document,
            "must_be_german",
            "error",
            _RULE_TRANSLATION,
            LEGAL_BASIS_LANGUAGE,
            (
                "Dieses Dokument muss auf Deutsch vorliegen.",
                "This document must be written in German.",
            ),
        )
    elif status.translation_missing:
        out.add(
            status,
            document,
            "translation_missing",
            "error",
            _RULE_TRANSLATION,
            LEGAL_BASIS_LANGUAGE,
            (
                "Das Dokument ist nicht auf Deutsch; die beeidigte deutsche Übersetzung fehlt "
                "oder ist noch nicht angenommen.",
                "The document is not in German; the sworn German translation is missing or not "
                "yet accepted.",
            ),
        )


_CONTRACTS = ("employment_contract", "training_contract")


def case_findings(case: Case, statuses: list[ItemStatus] | None = None) -> list[Finding]:
    """Every finding over the current documents of ``case``."""
    out = _Collector()
    for status in statuses if statuses is not None else document_selectors.item_statuses(case):
        code = status.item.document_code
        document = status.document
        if code == "passport":
            if document is not None:
                _check_mrz(case, status, document, out)
            _check_validity(case, status, document, out)
        if document is None:
            continue
        _check_person(case, status, document, out)
        if code in _CONTRACTS:
            _check_salary(case, status, document, out)
        _check_translation(status, document, out)
    return out.findings
