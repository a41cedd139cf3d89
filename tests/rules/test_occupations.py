from __future__ import annotations

import pytest

from lotse.rules import occupations
from lotse.rules.occupations import find, gender_forms, lookup, suggest

HWK = "hwk-region-stuttgart"
FOSA = "ihk-fosa"
RP = "rp-stuttgart"

# Issue 3: occupations that must be in the catalogue with their recognition body.
REQUIRED = [
    ("Industriemechaniker/in", FOSA),
    ("Mechatroniker/in", FOSA),
    ("Elektroniker/in für Betriebstechnik", FOSA),
    ("Zerspanungsmechaniker/in", FOSA),
    ("Fachinformatiker/in", FOSA),
    ("Kaufmann/Kauffrau für Büromanagement", FOSA),
    ("Koch/Köchin", FOSA),
    ("Fachkraft für Lagerlogistik", FOSA),
    ("Berufskraftfahrer/in", FOSA),
    ("Kfz-Mechatroniker/in", HWK),
    ("Anlagenmechaniker/in für Sanitär-, Heizungs- und Klimatechnik", HWK),
    ("Bäcker/in", HWK),
    ("Friseur/in", HWK),
    ("Tischler/in", HWK),
    ("Maurer/in", HWK),
    ("Metallbauer/in", HWK),
    ("Pflegefachfrau/Pflegefachmann", RP),
]

# HwO Anlage A (2020 version, 53 trades), typed in from https://service.berlin.de/dienstleistung/329310/
ANLAGE_A = [
    "Maurer und Betonbauer", "Ofen- und Luftheizungsbauer", "Zimmerer", "Dachdecker",
    "Straßenbauer", "Wärme-, Kälte- und Schallschutzisolierer", "Brunnenbauer",
    "Steinmetzen und Steinbildhauer", "Stuckateure", "Maler und Lackierer", "Gerüstbauer",
    "Schornsteinfeger", "Metallbauer", "Chirurgiemechaniker", "Karosserie- und Fahrzeugbauer",
    "Feinwerkmechaniker", "Zweiradmechaniker", "Kälteanlagenbauer", "Informationstechniker",
    "Kraftfahrzeugtechniker", "Landmaschinenmechaniker", "Büchsenmacher", "Klempner",
    "Installateur und Heizungsbauer", "Elektrotechniker", "Elektromaschinenbauer", "Tischler",
    "Boots- und Schiffbauer", "Seiler", "Bäcker", "Konditoren", "Fleischer", "Augenoptiker",
    "Hörakustiker", "Orthopädietechniker", "Orthopädieschuhmacher", "Zahntechniker", "Friseure",
    "Glaser", "Glasbläser und Glasapparatebauer",
    "Mechaniker für Reifen- und Vulkanisationstechnik", "Fliesen-, Platten- und Mosaikleger",
    "Betonstein- und Terrazzohersteller", "Estrichleger", "Behälter- und Apparatebauer",
    "Parkettleger", "Rollladen- und Sonnenschutztechniker",
    "Drechsler (Elfenbeinschnitzer) und Holzspielzeugmacher", "Böttcher", "Glasveredler",
    "Schilder- und Lichtreklamehersteller", "Raumausstatter", "Orgel- und Harmoniumbauer",
]  # fmt: skip


# HwO Anlage B Abschnitt 1 (zulassungsfreie Handwerke), typed in from the statute: Nr. 1-56 in the
# version of BGBl. I 2020, 143 (HwO as last amended by Art. 2 G v. 03.04.2025), without the 15
# numbers marked "entfällt" / "(weggefallen)" (1-4, 12, 13, 15, 17, 22, 27, 34, 41, 42, 44, 53).
ANLAGE_B1 = [
    "Uhrmacher", "Graveure", "Metallbildner", "Galvaniseure", "Metall- und Glockengießer",
    "Präzisionswerkzeugmechaniker", "Gold- und Silberschmiede", "Modellbauer", "Holzbildhauer",
    "Korb- und Flechtwerkgestalter", "Maßschneider",
    "Textilgestalter (Sticker, Weber, Klöppler, Posamentierer, Stricker)", "Modisten",
    "Segelmacher", "Kürschner", "Schuhmacher", "Sattler und Feintäschner", "Müller",
    "Brauer und Mälzer", "Weinküfer", "Textilreiniger", "Wachszieher", "Gebäudereiniger",
    "Feinoptiker", "Glas- und Porzellanmaler", "Edelsteinschleifer und -graveure", "Fotografen",
    "Buchbinder", "Print- und Medientechnologen (Drucker, Siebdrucker, Flexografen)", "Keramiker",
    "Klavier- und Cembalobauer", "Handzuginstrumentenmacher", "Geigenbauer", "Bogenmacher",
    "Metallblasinstrumentenmacher", "Holzblasinstrumentenmacher", "Zupfinstrumentenmacher",
    "Vergolder", "Holz- und Bautenschützer (Mauerschutz und Holzimprägnierung in Gebäuden)",
    "Bestatter", "Kosmetiker",
]  # fmt: skip


def test_anlage_b1_hwo_is_the_statutes_list_of_41_trades() -> None:
    """Anlage B Abschnitt 1 HwO: exactly the 41 trades in force, each at the Handwerkskammer."""
    b1 = sorted(o.name for o in occupations.occupations() if o.kind == "craft_b1")
    assert b1 == sorted(ANLAGE_B1)
    for name in ANLAGE_B1:
        found = lookup(name)
        assert found is not None, name
        assert found.body == HWK, name
        assert found.regulated is False, name


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        # Anlage B Abschnitt 1 Nr. 40 HwO names the three former trades in brackets.
        ("Drucker", "Print- und Medientechnologen (Drucker, Siebdrucker, Flexografen)"),
        ("Siebdrucker", "Print- und Medientechnologen (Drucker, Siebdrucker, Flexografen)"),
        ("Flexografen", "Print- und Medientechnologen (Drucker, Siebdrucker, Flexografen)"),
        # Anlage B Abschnitt 1 Nr. 10 HwO: the former name stays findable.
        ("Schneidwerkzeugmechaniker", "Präzisionswerkzeugmechaniker"),
    ],
)
def test_former_anlage_b1_names_find_the_current_trade(spelling: str, name: str) -> None:
    found = lookup(spelling)
    assert found is not None, spelling
    assert found.name == name


@pytest.mark.parametrize(("name", "body"), REQUIRED)
def test_required_reference_occupation_and_body_s8_bqfg(name: str, body: str) -> None:
    found = lookup(name)
    assert found is not None, name
    assert found.name == name
    assert found.body == body


@pytest.mark.parametrize("name", ANLAGE_A)
def test_every_hwo_anlage_a_craft_goes_to_the_handwerkskammer(name: str) -> None:
    found = lookup(name)
    assert found is not None, name
    assert found.body == HWK
    assert found.regulated is False


def test_catalogue_sizes() -> None:
    by_kind: dict[str, int] = {}
    for occ in occupations.occupations():
        by_kind[occ.kind] = by_kind.get(occ.kind, 0) + 1
    assert by_kind["craft_a"] == 53
    assert by_kind["craft_b1"] == 41  # Anlage B Abschnitt 1 HwO
    assert by_kind["training_ihk"] >= 80
    assert by_kind["training_hwk"] >= 7


def test_every_entry_has_body_and_legal_basis() -> None:
    bodies = {
        "ihk-fosa",
        "hwk-region-stuttgart",
        "rp-stuttgart",
        "rp-tuebingen-lehrkraefte",  # teachers, all school types in BW (issue 10)
        "rp-stuttgart-zeugnisanerkennung",  # educators (Erzieher/in), issue 10
    }
    for occ in occupations.occupations():
        assert occ.body in bodies, occ
        assert occ.legal_basis, occ
        assert occ.source, occ


def test_health_professions_are_regulated_at_rp_stuttgart() -> None:
    # Educators (Erzieher/in) go to the Zeugnisanerkennungsstelle, not the health department.
    health = [
        o
        for o in occupations.occupations()
        if o.kind in {"health", "medicine"} and o.body != "rp-stuttgart-zeugnisanerkennung"
    ]
    assert health
    assert all(o.regulated and o.body == RP for o in health)


@pytest.mark.parametrize(
    "spelling",
    [
        "Industriemechanikerin",
        "Industriemechaniker",
        "Industriemechaniker/in",
        "industriemechaniker:in",
        "INDUSTRIEMECHANIKER (m/w/d)",
        "Industriemechaniker*in",
    ],
)
def test_lookup_tolerates_gender_forms_and_case(spelling: str) -> None:
    found = lookup(spelling)
    assert found is not None
    assert found.name == "Industriemechaniker/in"


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("Baeckerin", "Bäcker/in"),
        ("koechin", "Koch/Köchin"),
        ("Kauffrau fuer Bueromanagement", "Kaufmann/Kauffrau für Büromanagement"),
        ("Pflegefachmann", "Pflegefachfrau/Pflegefachmann"),
        ("Schreiner", "Tischler/in"),
        ("Technischer Produktdesigner", "Technische/r Produktdesigner/in"),
        ("Strassenbauer", "Straßenbauer"),
        ("Kfz Mechatronikerin", "Kfz-Mechatroniker/in"),
    ],
)
def test_lookup_tolerates_umlaut_and_sz_spelling(spelling: str, name: str) -> None:
    found = lookup(spelling)
    assert found is not None
    assert found.name == name


def test_unknown_name_gives_suggestions() -> None:
    match = find("Industrimechaniker")
    assert match.occupation is None
    assert match.suggestions[0] == "Industriemechaniker/in"


def test_ambiguous_prefix_suggests_the_variants() -> None:
    names = suggest("Fachinformatiker fuer")
    assert "Fachinformatiker/in für Anwendungsentwicklung" in names


def test_nonsense_gives_no_match() -> None:
    assert lookup("Astronaut") is None
    assert find("").occupation is None


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("Industriemechaniker/in", ("Industriemechaniker", "Industriemechanikerin")),
        ("Koch/Köchin", ("Koch", "Köchin")),
        ("Technische/r Systemplaner/in", ("Technischer Systemplaner", "Technische Systemplanerin")),
        ("Industriekaufmann/-frau", ("Industriekaufmann", "Industriekauffrau")),
        ("Fachkraft für Lagerlogistik", ("Fachkraft für Lagerlogistik",)),
    ],
)
def test_gender_forms(name: str, forms: tuple[str, ...]) -> None:
    assert gender_forms(name) == forms
