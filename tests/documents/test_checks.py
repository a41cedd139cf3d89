"""Automatic checks: each finding names the document, the rule and its legal basis."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from lotse.accounts.models import Role
from lotse.documents.checks import add_months, case_findings
from lotse.documents.services import document_metadata_update, document_upload
from tests.conftest import World
from tests.documents.conftest import make_case
from tests.documents.world import good_pdf

if TYPE_CHECKING:
    from lotse.cases.models import Case
    from lotse.documents.models import Document

pytestmark = pytest.mark.django_db

# The ICAO Doc 9303 part 4 specimen passport (Utopia, Anna Maria Eriksson).
SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def _upload(case: Case, world: World, code: str, **meta: object) -> Document:
    document = document_upload(case=case, item=case.checklist.get(document_code=code),
                               data=good_pdf(), filename=f"{code}.pdf", declared_type=None,
                               actor=world.users[Role.COMPANY_HR])  # fmt: skip
    if meta:
        document_metadata_update(document=document, actor=world.users[Role.CHAMBER_ADVISOR], **meta)
    return document


def _codes(case: Case) -> dict[str, object]:
    return {f.code: f for f in case_findings(case)}


def test_icao_specimen_matches_its_case(world: World) -> None:
    case = make_case(world, worker_surname="Eriksson", worker_given_names="Anna Maria",
                     worker_birth_date="1974-08-12", worker_passport_number="L898902C3",
                     worker_passport_expiry="2040-04-15")  # fmt: skip
    _upload(case, world, "passport", mrz_line1=SPECIMEN[0], mrz_line2=SPECIMEN[1],
            expires_on=date(2040, 4, 15))  # fmt: skip
    codes = _codes(case)
    assert not [c for c in codes if c.startswith("mrz_") and c != "mrz_expiry"]
    # The specimen expired in 2012; the case records the new passport's date.
    assert "mrz_expiry" in codes


def test_mrz_typo_and_differing_case_data_are_named(case: Case, world: World) -> None:
    line2 = SPECIMEN[1][:9] + "7" + SPECIMEN[1][10:]  # wrong check digit of the number
    _upload(case, world, "passport", mrz_line1=SPECIMEN[0], mrz_line2=line2)
    findings = case_findings(case)
    check = next(f for f in findings if f.code == "mrz_document_number_check")
    assert check.legal_basis.startswith("ICAO Doc 9303")
    assert check.document is not None
    assert "Reisepass" in check.item_label_de
    assert "position 10" in check.message_en
    codes = {f.code for f in findings}
    assert {"mrz_name", "mrz_birth_date"} <= codes


def test_passport_must_cover_entry_plus_12_plus_3_months(world: World) -> None:
    case = make_case(world, worker_passport_expiry="2028-05-31")  # entry 2027-03-01 → 2028-06-01
    _upload(case, world, "passport")
    finding = next(f for f in case_findings(case) if f.code == "passport_validity")
    assert "01.06.2028" in finding.message_de
    assert "§ 3 Abs. 1" in finding.legal_basis
    ok = make_case(world, worker_passport_expiry="2028-06-01")
    assert "passport_validity" not in {f.code for f in case_findings(ok)}
    assert add_months(date(2027, 11, 30), 15) == date(2029, 2, 28)


def test_names_and_birth_date_agree_transliteration_tolerant(case: Case, world: World) -> None:
    _upload(case, world, "power_of_attorney", holder_surname="MUELLER LUEDENSCHEID",
            holder_given_names="Priya Anna", holder_birth_date=date(1994, 3, 12))  # fmt: skip
    assert not {"name_differs", "birth_date_differs"} & set(_codes(case))
    _upload(case, world, "employment_contract", holder_surname="Müller",
            holder_given_names="Priya", holder_birth_date=date(1994, 12, 3))  # fmt: skip
    findings = [f for f in case_findings(case) if f.code in ("name_differs", "birth_date_differs")]
    assert {f.document.item.document_code for f in findings if f.document} == {
        "employment_contract"
    }
    assert any("swapped" in f.message_en for f in findings)
    assert all("§ 5 Abs. 1 Nr. 1a AufenthG" in f.legal_basis for f in findings)


def test_blue_card_salary_below_threshold_is_flagged(world: World) -> None:
    case = make_case(world, title="18g")
    _upload(case, world, "employment_contract", annual_gross_salary=Decimal("30000.00"))
    finding = next(f for f in case_findings(case) if f.code == "salary_below_threshold")
    assert "§ 18g" in finding.legal_basis
    assert "30.000,00 €" in finding.message_de
    rich = make_case(world, title="18g")
    _upload(rich, world, "employment_contract", annual_gross_salary=Decimal("90000.00"))
    assert "salary_below_threshold" not in _codes(rich)


def test_foreign_document_without_translation_is_flagged(case: Case, world: World) -> None:
    original = _upload(case, world, "qualification_certificate", language="other")
    original.refresh_from_db()
    assert not original.translation_required  # the language came later, from the advisor
    document_metadata_update(document=original, actor=world.users[Role.CHAMBER_ADVISOR],
                             translation_required=True)  # fmt: skip
    finding = next(f for f in case_findings(case) if f.code == "translation_missing")
    assert "LVwVfG" in finding.legal_basis
    translation = document_upload(case=case, item=original.item, data=good_pdf(),
                                  filename="uebersetzung.pdf", declared_type=None,
                                  actor=world.users[Role.COMPANY_HR], translation_of=original,
                                  language="de")  # fmt: skip
    from lotse.documents.services import document_review

    document_review(document=translation, actor=world.users[Role.CHAMBER_ADVISOR], accept=True)
    assert "translation_missing" not in _codes(case)


def test_upload_in_a_foreign_language_needs_a_translation_from_the_start(
    case: Case, world: World
) -> None:
    item = case.checklist.get(document_code="qualification_certificate")
    document = document_upload(case=case, item=item, data=good_pdf(), filename="diploma.pdf",
                               declared_type=None, actor=world.users[Role.COMPANY_HR],
                               language="en")  # fmt: skip
    assert document.translation_required
    assert "translation_missing" in _codes(case)


def test_cv_must_be_german(case: Case, world: World) -> None:
    _upload(case, world, "cv", language="en")
    assert "must_be_german" in _codes(case)
