from __future__ import annotations

import pytest

from lotse.rules import documents
from lotse.rules.documents import TITLES, catalogue, matrix
from tests.rules.profiles import ACADEMIC, NURSE, TRAINEE, VOCATIONAL, option, with_

# The document codes listed in issue 3.
ISSUE_CODES = [
    "passport", "cv", "power_of_attorney", "sub_power_of_attorney", "agreement_81a",
    "employment_contract", "training_contract", "employment_declaration",
    "qualification_certificate", "transcript", "recognition_application",
    "no_prior_application_declaration", "work_experience_proof", "anabin_printout",
    "zab_statement", "dab", "recognition_notice", "language_certificate",
    "recognition_partnership_agreement", "qualification_plan", "eu_residence_permit",
    "parental_consent", "livelihood_proof",
]  # fmt: skip
TRANSLATIONS = {"none", "german", "sworn_german", "sworn_german_or_english"}


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_issue_document_code_is_documented(code: str) -> None:
    doc = catalogue()[code]
    assert doc.label_de
    assert doc.label_en
    assert doc.description_de
    assert doc.description_en
    assert doc.translation in TRANSLATIONS
    assert doc.source


@pytest.mark.parametrize("title", TITLES)
def test_every_title_needs_power_of_attorney_agreement_and_passport_s81a_abs1_abs2(
    title: str,
) -> None:
    codes = {row.code: row.requirement for row in matrix(title)}
    for code in ("power_of_attorney", "sub_power_of_attorney", "agreement_81a", "passport", "cv"):
        assert codes[code] == "mandatory"


def test_unknown_title_has_no_matrix() -> None:
    with pytest.raises(KeyError):
        matrix("18c3")


def requirements(data: dict[str, object], title: str) -> dict[str, str]:
    return {d.code: d.requirement for d in option(data, title).documents}


def test_18a_without_decision_needs_recognition_application() -> None:
    docs = requirements(VOCATIONAL, "18a")
    assert docs["recognition_application"] == "mandatory"
    assert docs["no_prior_application_declaration"] == "mandatory"
    assert "recognition_notice" not in docs
    assert "practice_licence" not in docs


def test_18a_with_full_equivalence_needs_the_notice_not_an_application() -> None:
    docs = requirements(with_(VOCATIONAL, qualification__recognition="full"), "18a")
    assert docs["recognition_notice"] == "mandatory"
    assert "recognition_application" not in docs


def test_18a_regulated_nurse_needs_licence_and_language_certificate() -> None:
    docs = requirements(NURSE, "18a")
    assert docs["practice_licence"] == "mandatory"
    assert docs["language_certificate"] == "mandatory"


def test_18g_anabin_route_needs_printouts_not_zab() -> None:
    docs = requirements(ACADEMIC, "18g")
    assert docs["anabin_printout"] == "mandatory"
    assert "zab_statement" not in docs
    # General threshold: the BA is not involved, so no declaration on the employment.
    assert "employment_declaration" not in docs


def test_18g_reduced_threshold_needs_the_employment_declaration() -> None:
    data = with_(ACADEMIC, job__annual_gross_salary=46000, job__shortage_occupation=True)
    assert requirements(data, "18g")["employment_declaration"] == "mandatory"


def test_18g_it_specialist_needs_proof_of_experience_s18g_abs2() -> None:
    data = with_(VOCATIONAL, job__it_specialist=True, qualification__it_experience_years_last_7=4)
    docs = requirements(data, "18g")
    assert docs["work_experience_proof"] == "mandatory"
    assert "qualification_certificate" not in docs


def test_19c2_vocational_route_needs_dab_and_experience_s6_beschv() -> None:
    docs = requirements(VOCATIONAL, "19c2")
    assert docs["dab"] == "mandatory"
    assert docs["work_experience_proof"] == "mandatory"
    assert "anabin_printout" not in docs


def test_16d3_needs_partnership_agreement_and_language_certificate() -> None:
    docs = requirements(with_(VOCATIONAL, job__kind="recognition_partnership"), "16d3")
    assert docs["recognition_partnership_agreement"] == "mandatory"
    assert docs["language_certificate"] == "mandatory"


def test_16d1_needs_notice_and_qualification_plan() -> None:
    data = with_(VOCATIONAL, job__kind="adaptation_measure", qualification__recognition="partial")
    docs = requirements(data, "16d1")
    assert docs["recognition_notice"] == "mandatory"
    assert docs["qualification_plan"] == "mandatory"


def test_16a_minor_needs_parental_consent() -> None:
    minor = with_(TRAINEE, worker__birth_date="2008-01-01")
    assert requirements(minor, "16a")["parental_consent"] == "mandatory"
    assert "parental_consent" not in requirements(TRAINEE, "16a")
    assert requirements(TRAINEE, "16a")["training_contract"] == "mandatory"
    assert requirements(TRAINEE, "16a")["livelihood_proof"] == "mandatory"


def test_eu_residence_permit_stays_conditional() -> None:
    assert requirements(VOCATIONAL, "18a")["eu_residence_permit"] == "conditional"


def test_qualification_documents_need_sworn_german_translation() -> None:
    docs = {d.code: d.translation for d in option(VOCATIONAL, "18a").documents}
    assert docs["qualification_certificate"] == "sworn_german"
    assert docs["cv"] == "german"


def test_documents_version() -> None:
    assert documents.documents_version()
