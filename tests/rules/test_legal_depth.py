"""Legal depth (issue 10): each row quotes the norm it tests; expected values come from the statute.

Rows are (norm, title, profile, expectation); the norm string is part of every parameter set.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.profiles import (
    ACADEMIC,
    IT_NO_QUALIFICATION,
    NURSE,
    TRAINEE,
    VOCATIONAL,
    blocker_codes,
    option,
    warning_codes,
    with_,
)

# ------------------------------------------------------------------ § 6 Abs. 1 S. 3 BeschV (IT)

IT_ELIGIBLE = [
    pytest.param(
        "§ 19c Abs. 2 AufenthG i.V.m. § 6 Abs. 1 Satz 3 BeschV: 2 Jahre IT-Erfahrung in 5 Jahren, "
        "45 % BBG", IT_NO_QUALIFICATION, id="s6_abs1_s3_BeschV-IT_2_in_5_45_percent",
    ),
    pytest.param(
        "§ 6 Abs. 1 Satz 3 BeschV: tarifliche Vergütung statt 45 % BBG",
        with_(IT_NO_QUALIFICATION, job__annual_gross_salary=40000, job__collective_agreement=True),
        id="s6_abs1_s3_BeschV-IT_tariff_pay",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "data"), IT_ELIGIBLE)
def test_it_specialist_without_qualification_gets_19c2_with_ba_and_no_comparability(
    norm: str, data: dict[str, Any]
) -> None:
    opt = option(data, "19c2")
    assert opt.eligible is True, (norm, [b.code for b in opt.blockers])
    assert opt.ba_approval == "required"
    assert opt.recognition.required is False
    assert opt.recognition.kind is None
    assert "§ 6 Abs. 1 Satz 3 BeschV" in opt.legal_basis
    assert "comparability" not in opt.pending_steps
    assert "dab" not in opt.pending_steps


IT_BLOCKED = [
    pytest.param(
        "§ 6 Abs. 1 Satz 3 BeschV: mindestens 2 Jahre IT-Erfahrung in den letzten 5 Jahren",
        with_(IT_NO_QUALIFICATION, qualification__it_experience_years_last_5=1.5),
        "it_experience_insufficient", id="s6_abs1_s3_BeschV-IT_experience_1_5_years",
    ),
    pytest.param(
        "§ 6 Abs. 1 Satz 3 BeschV: 45 % BBG ohne Tarifbindung",
        with_(IT_NO_QUALIFICATION, job__annual_gross_salary=40000),
        "salary_below_threshold", id="s6_abs1_s3_BeschV-IT_salary_below_45_percent",
    ),
    pytest.param(
        "§ 6 BeschV a.F. (bis 29.02.2024): Titel § 19c Abs. 2 erst ab 01.03.2024",
        with_(IT_NO_QUALIFICATION, decision_date="2024-02-15"),
        "title_not_in_force", id="s6_BeschV_aF-before_1_March_2024",
    ),
    pytest.param(
        "§ 18 Abs. 3 AufenthG / § 6 BeschV: ohne IT-Tätigkeit bleibt die Qualifikation nötig",
        with_(IT_NO_QUALIFICATION, job__it_specialist=False), "qualification_missing",
        id="s6_BeschV-no_qualification_not_IT",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "data", "code"), IT_BLOCKED)
def test_it_specialist_without_qualification_blockers(
    norm: str, data: dict[str, Any], code: str
) -> None:
    opt = option(data, "19c2")
    assert code in blocker_codes(opt), norm
    assert opt.eligible is False


def test_former_it_rule_is_data_for_decisions_before_1_march_2024() -> None:
    # § 6 BeschV a.F.: 3 years in 7, 60 % BBG, B1 — the engine names it for old decision dates.
    opt = option(with_(IT_NO_QUALIFICATION, decision_date="2024-02-15"), "19c2")
    assert "it_former_rule" in warning_codes(opt)
    found = next(w for w in opt.warnings if w.code == "it_former_rule")
    assert "§ 6 BeschV" in found.legal_basis
    assert "60" in found.message_de
    assert "B1" in found.message_de


# ------------------------------------------------------------------ age 45: § 1 Abs. 2 BeschV

AGE45 = [
    pytest.param(
        "§ 18 Abs. 2 Nr. 5 AufenthG, § 1 Abs. 2 BeschV: ab 45 mindestens 55 % BBG (19c2)",
        with_(VOCATIONAL, worker__birth_date="1975-01-01", job__annual_gross_salary=46000),
        "19c2", "age45_salary", id="s1_abs2_BeschV-19c2_age_50_salary_below_55_percent",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "data", "title", "code"), AGE45)
def test_age45_is_a_rule(norm: str, data: dict[str, Any], title: str, code: str) -> None:
    opt = option(data, title)
    assert code in blocker_codes(opt), norm
    assert "age45_review" not in warning_codes(opt)


def test_age_counts_at_the_start_of_employment_s1_abs2_beschv() -> None:
    # 44 on the decision date, 45 when the job starts: the rule applies (here within the
    # missions' tolerance of two years over 45, so a discretion warning, not a refusal).
    data = with_(VOCATIONAL, decision_date="2026-03-02", worker__birth_date="1981-04-01",
                 job__annual_gross_salary=55000)  # fmt: skip
    assert "age45_discretion" not in warning_codes(option(data, "18a"))
    later = with_(data, job__start_date="2026-06-01")
    opt = option(later, "18a")
    assert "age45_discretion" in warning_codes(opt)
    assert opt.salary_threshold == 55770.00


AGE45_OPEN = [
    pytest.param(
        "§ 1 Abs. 2 BeschV: „oder“ angemessene Altersversorgung — Nachweis genügt",
        with_(VOCATIONAL, worker__birth_date="1975-01-01", worker__pension_provision=True,
              job__annual_gross_salary=46000),
        "19c2", id="s1_abs2_BeschV-19c2_pension_provision",
    ),
    pytest.param(
        "§ 1 Abs. 2 BeschV: Gehalt ≥ 55 % BBG (2026: 55.770 €)",
        with_(VOCATIONAL, worker__birth_date="1975-01-01", job__annual_gross_salary=55770),
        "19c2", id="s1_abs2_BeschV-19c2_salary_meets_55_percent",
    ),
    pytest.param(
        "§ 1 Abs. 2 BeschV: 44 bei Beschäftigungsbeginn — Regel greift nicht",
        with_(VOCATIONAL, decision_date="2026-03-02", worker__birth_date="1981-04-01",
              job__start_date="2026-03-15", job__annual_gross_salary=40000),
        "18a", id="s1_abs2_BeschV-44_at_start",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "data", "title"), AGE45_OPEN)
def test_age45_rule_is_met(norm: str, data: dict[str, Any], title: str) -> None:
    opt = option(data, title)
    assert "age45_salary" not in blocker_codes(opt), norm
    assert opt.eligible is True, [b.code for b in opt.blockers]


# ------------------------------------------------------------------ § 18 Abs. 2 Nr. 3 AufenthG

REGULATED = [
    pytest.param(
        "§ 18 Abs. 2 Nr. 3 AufenthG: Berufsausübungserlaubnis fehlt → § 19c Abs. 2 nicht erreichbar",
        NURSE, "19c2", "regulated_profession_excluded", id="s18_abs2_nr3-19c2_licence_missing",
    ),
    pytest.param(
        "§ 3 Abs. 1 Satz 1 Nr. 5 BÄO: Deutschkenntnisse für die Approbation",
        with_(ACADEMIC, qualification__reference_occupation="Arzt/Ärztin",
              worker__german_level="B1"),
        "18b", "language_below_requirement", id="s3_abs1_s1_nr5_BAeO-doctor_B1",
    ),
    pytest.param(
        "§ 3 Abs. 1 Satz 1 Nr. 5 BÄO: Deutschkenntnisse für die Approbation (Blaue Karte)",
        with_(ACADEMIC, qualification__reference_occupation="Arzt/Ärztin",
              worker__german_level="A2"),
        "18g", "language_below_requirement", id="s3_abs1_s1_nr5_BAeO-doctor_blue_card",
    ),
    pytest.param(
        "§ 2 Abs. 1 Nr. 4 MPhG: Deutschkenntnisse Physiotherapie",
        with_(NURSE, qualification__reference_occupation="Physiotherapeut/in",
              worker__german_level="A2"),
        "18a", "language_below_requirement", id="s2_abs1_nr4_MPhG-physiotherapist_A2",
    ),
    pytest.param(
        "§ 2 Abs. 1 Nr. 4 LogopG: Deutschkenntnisse Logopädie, in BW Niveau C2 (RP Stuttgart)",
        with_(NURSE, qualification__reference_occupation="Logopäde/Logopädin",
              worker__german_level="C1"),
        "18a", "language_below_requirement", id="s2_abs1_nr4_LogopG-speech_therapist_C1",
    ),
    pytest.param(
        "§ 5 Abs. 2 Nr. 4 HebG: Deutschkenntnisse Hebamme",
        with_(NURSE, qualification__reference_occupation="Hebamme", worker__german_level="B1"),
        "18a", "language_below_requirement", id="s5_abs2_nr4_HebG-midwife_B1",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "data", "title", "code"), REGULATED)
def test_regulated_profession_limits_cite_s18_abs2_nr3(
    norm: str, data: dict[str, Any], title: str, code: str
) -> None:
    opt = option(data, title)
    assert code in blocker_codes(opt), norm
    (finding,) = [b for b in opt.blockers if b.code == code]
    assert "§ 18 Abs. 2 Nr. 3 AufenthG" in finding.legal_basis
    assert "§ 6 BeschV" not in finding.legal_basis


def test_licence_language_leaves_16d_open_s18_abs2_nr3() -> None:
    data = with_(NURSE, qualification__reference_occupation="Physiotherapeut/in",
                 qualification__recognition="partial", worker__german_level="A2",
                 job__kind="adaptation_measure", job__duration_months=12)  # fmt: skip
    opt = option(data, "16d1")
    assert opt.eligible is True, [b.code for b in opt.blockers]


def test_speech_therapist_with_c2_meets_the_licence_language_s2_abs1_nr4_logopg() -> None:
    opt = option(with_(NURSE, qualification__reference_occupation="Logopäde/Logopädin",
                       worker__german_level="C2"), "18a")  # fmt: skip
    assert "language_below_requirement" not in blocker_codes(opt)
    assert opt.language_requirement == "C2"


def test_licence_language_basis_names_the_profession_law() -> None:
    data = with_(ACADEMIC, qualification__reference_occupation="Arzt/Ärztin",
                 worker__german_level="B1")  # fmt: skip
    opt = option(data, "18b")
    (finding,) = [b for b in opt.blockers if b.code == "language_below_requirement"]
    assert "§ 3 Abs. 1 Satz 1 Nr. 5 BÄO" in finding.legal_basis


def test_19c2_open_to_a_regulated_profession_once_the_licence_is_held_s18_abs2_nr3() -> None:
    opt = option(with_(NURSE, qualification__recognition="full",
                       job__annual_gross_salary=46000), "19c2")  # fmt: skip
    assert "regulated_profession_excluded" not in blocker_codes(opt)
    assert opt.eligible is True, [b.code for b in opt.blockers]


# ------------------------------------------------------------------ § 18g Abs. 1 AufenthG

REDUCED_BLUE_CARD = [
    pytest.param(
        "§ 18g Abs. 1 Satz 2 Nr. 1 AufenthG: ISCO-08 Gruppe 221 (Ärzte) aus dem Referenzberuf",
        with_(ACADEMIC, qualification__reference_occupation="Arzt/Ärztin",
              worker__german_level="C1", job__annual_gross_salary=46000),
        id="s18g_abs1_s2_nr1-ISCO_221_doctor",
    ),
    pytest.param(
        "§ 18g Abs. 1 Satz 2 Nr. 1 AufenthG: ISCO-08 Gruppe 25 (IKT-Fachkräfte) aus der IT-Stelle",
        with_(ACADEMIC, job__it_specialist=True, job__annual_gross_salary=46000),
        id="s18g_abs1_s2_nr1-ISCO_25_IT_job",
    ),
    pytest.param(
        "§ 18g Abs. 1 Satz 2 Nr. 1 AufenthG: ISCO-08 Gruppe 134 (Führungskräfte Dienstleistungen)",
        with_(ACADEMIC, job__isco_code="1341", job__annual_gross_salary=46000),
        id="s18g_abs1_s2_nr1-ISCO_1341_given_as_code",
    ),
    pytest.param(
        "§ 18g Abs. 1 Satz 2 Nr. 2 AufenthG: Abschluss höchstens 3 Jahre vor dem Antrag",
        with_(ACADEMIC, decision_date="2026-09-01", application_date="2026-03-01",
              qualification__degree_date="2023-04-01", job__annual_gross_salary=46000),
        id="s18g_abs1_s2_nr2-career_starter_counted_from_application",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "data"), REDUCED_BLUE_CARD)
def test_reduced_blue_card_threshold_applies(norm: str, data: dict[str, Any]) -> None:
    opt = option(data, "18g")
    assert opt.eligible is True, (norm, [b.code for b in opt.blockers])
    assert opt.salary_threshold == 45934.20
    assert opt.ba_approval == "required"


def test_not_a_shortage_occupation_keeps_the_general_threshold_s18g_abs1_s1() -> None:
    opt = option(with_(ACADEMIC, job__isco_code="2411", job__annual_gross_salary=46000), "18g")
    assert "salary_below_threshold" in blocker_codes(opt)
    assert opt.salary_threshold == 50700.00


def test_career_starter_counted_from_decision_date_would_miss_s18g_abs1_s2_nr2() -> None:
    # Without application_date the decision date counts: degree 3 years 5 months before → general.
    data = with_(ACADEMIC, decision_date="2026-09-01", qualification__degree_date="2023-04-01",
                 job__annual_gross_salary=46000)  # fmt: skip
    assert "salary_below_threshold" in blocker_codes(option(data, "18g"))


def test_blue_card_for_tertiary_eqf6_qualification_s18g_abs1_s5() -> None:
    # § 18g Abs. 1 Satz 5 AufenthG: a tertiary qualification of at least 3 years at EQF level 6
    # (e.g. a Meister) counts like a degree.
    data = with_(VOCATIONAL, qualification__eqf_level=6, qualification__training_years=3,
                 job__annual_gross_salary=52000)  # fmt: skip
    opt = option(data, "18g")
    assert opt.eligible is True, [b.code for b in opt.blockers]
    assert "§ 18g Abs. 1 Satz 5 AufenthG" in opt.legal_basis
    short = option(with_(data, qualification__training_years=2), "18g")
    assert "no_degree_or_it_experience" in blocker_codes(short)


def test_anabin_h_plus_minus_with_listed_equivalence_needs_no_zab_s18_abs3_nr2() -> None:
    data = with_(ACADEMIC, qualification__anabin_institution="H+/-",
                 qualification__anabin_degree_equivalent=True)  # fmt: skip
    opt = option(data, "18b")
    assert opt.recognition.required is False
    assert opt.recognition.body is None


# ------------------------------------------------------------------ bodies and helper occupations

BODIES = [
    pytest.param("BQFG-BW: Lehrkräfte aller Schularten — Regierungspräsidium Tübingen",
                 "Lehrer/in", "rp-tuebingen-lehrkraefte", id="BQFG-BW-teacher_RP_Tuebingen"),
    pytest.param("BQFG-BW: Erzieher/in — Zeugnisanerkennungsstelle des RP Stuttgart",
                 "Erzieher/in", "rp-stuttgart-zeugnisanerkennung",
                 id="BQFG-BW-educator_Zeugnisanerkennungsstelle"),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "name", "body"), BODIES)
def test_recognition_body_of_education_professions(norm: str, name: str, body: str) -> None:
    from lotse.rules import directory, occupations

    found = occupations.lookup(name)
    assert found is not None, norm
    assert found.body == body
    assert directory.external_body(body).name


def test_teacher_is_no_longer_refused_as_unknown() -> None:
    data = with_(ACADEMIC, qualification__reference_occupation="Lehrer/in",
                 worker__german_level="C1")  # fmt: skip
    opt = option(data, "18b")
    assert opt.recognition.body == "rp-tuebingen-lehrkraefte"


HELPERS = [
    pytest.param("§ 2 Abs. 12a AufenthG: einjährige Altenpflegehilfe ist keine qualifizierte "
                 "Berufsausbildung", "Altenpflegehelfer/in", id="s2_abs12a-Altenpflegehilfe"),
    pytest.param("§ 2 Abs. 12a AufenthG: einjährige Krankenpflegehilfe ist keine qualifizierte "
                 "Berufsausbildung", "Krankenpflegehelfer/in", id="s2_abs12a-Krankenpflegehilfe"),
    # The title in Baden-Württemberg (§ 2 Abs. 2 APrOGeKrPflHi: one year) as the RP Stuttgart names it.
    pytest.param("§ 2 Abs. 12a AufenthG; § 2 Abs. 2 APrOGeKrPflHi: einjährige Gesundheits- und "
                 "Krankenpflegehilfe", "Gesundheits- und Krankenpflegehelfer/in",
                 id="s2_abs12a-Gesundheits_und_Krankenpflegehilfe_BW"),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "name"), HELPERS)
def test_helper_occupation_is_not_18a_but_19c1_with_22a_beschv(norm: str, name: str) -> None:
    from tests.rules.profiles import run

    data = with_(NURSE, qualification__reference_occupation=name,
                 qualification__training_years=1)  # fmt: skip
    result = run(data)
    opt = result.option("18a")
    assert "helper_not_qualified_training" in blocker_codes(opt), norm
    (finding,) = [b for b in opt.blockers if b.code == "helper_not_qualified_training"]
    assert "§ 2 Abs. 12a AufenthG" in finding.legal_basis
    routes = {r["code"]: r for r in result.to_dict()["other_routes"]}
    assert "19c1_22a" in routes
    assert "§ 22a BeschV" in routes["19c1_22a"]["legal_basis"]
    assert routes["19c1_22a"]["conditions_de"]


def test_no_other_routes_for_a_qualified_worker() -> None:
    from tests.rules.profiles import run

    assert run(VOCATIONAL).to_dict()["other_routes"] == []


WESTBALKAN = [
    pytest.param("§ 26 Abs. 2 BeschV: Serbien", "SRB", True, id="s26_abs2_BeschV-SRB"),
    pytest.param("§ 26 Abs. 2 BeschV: Kosovo (XKX)", "XKX", True, id="s26_abs2_BeschV-XKX"),
    pytest.param("§ 26 Abs. 2 BeschV: Indien ist nicht erfasst", "IND", False,
                 id="s26_abs2_BeschV-IND"),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "nationality", "offered"), WESTBALKAN)
def test_westbalkan_route_with_quota(norm: str, nationality: str, offered: bool) -> None:
    from tests.rules.profiles import run

    data = with_(VOCATIONAL, worker__nationality=nationality)
    routes = {r["code"]: r for r in run(data).to_dict()["other_routes"]}
    assert ("19c1_26_2" in routes) is offered, norm
    if offered:
        assert "50.000" in routes["19c1_26_2"]["conditions_de"]
        assert "§ 26 Abs. 2 BeschV" in routes["19c1_26_2"]["legal_basis"]


# ------------------------------------------------------------------ § 2 Abs. 3 Satz 5 AufenthG (§ 16a)

# § 13 Abs. 1 Nr. 1 + Abs. 2 Nr. 2 BAföG: 442 € + 380 € = 822 € net need a month; the Auswärtiges
# Amt names 990 € GROSS training pay for 2025. The salary the profile carries is gross, so the gross
# amount is the one to compare (a net amount warned too rarely). Pay of 950 € a month lies between.
LIVELIHOOD = [
    pytest.param(
        "§ 2 Abs. 3 Satz 5 AufenthG: 950 € brutto im Monat (2025) deckt den Bedarf nicht",
        with_(TRAINEE, job__annual_gross_salary=11400), "2025-06-02", True,
        id="s2_abs3_s5_AufenthG-950_gross_2025_warns",
    ),
    pytest.param(
        "§ 2 Abs. 3 Satz 5 AufenthG: 950 € brutto im Monat (2026) deckt den Bedarf nicht",
        with_(TRAINEE, job__annual_gross_salary=11400), "2026-06-01", True,
        id="s2_abs3_s5_AufenthG-950_gross_2026_warns",
    ),
    pytest.param(
        "§ 2 Abs. 3 Satz 5 AufenthG: 1.000 € brutto im Monat (2026) deckt den Bedarf",
        with_(TRAINEE, job__annual_gross_salary=12000), "2026-06-01", False,
        id="s2_abs3_s5_AufenthG-1000_gross_2026_no_warning",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("norm", "data", "decided", "warns"), LIVELIHOOD)
def test_training_pay_is_compared_with_the_gross_livelihood_amount(
    norm: str, data: dict[str, Any], decided: str, warns: bool
) -> None:
    opt = option(with_(data, decision_date=decided), "16a")
    assert ("livelihood_gap" in warning_codes(opt)) is warns, norm
    if warns:
        (finding,) = [w for w in opt.warnings if w.code == "livelihood_gap"]
        assert "990,00 € brutto im Monat" in finding.message_de, finding.message_de
        assert "§ 2 Abs. 3 Satz 5 AufenthG" in finding.legal_basis
