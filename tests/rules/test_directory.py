from __future__ import annotations

from datetime import date

import pytest

from lotse.rules import directory
from lotse.rules.directory import (
    DIRECTORY_VERSION,
    authorities,
    authority,
    authority_for_municipality,
    chambers,
    cooperates,
    external_bodies,
    municipalities,
)

# domain.md § 6.2: the eleven municipalities NOT served by the LRA ABH, and their ABH.
NOT_LRA = {
    "Ludwigsburg": "stadt-ludwigsburg",
    "Bietigheim-Bissingen": "stadt-bietigheim-bissingen",
    "Tamm": "stadt-bietigheim-bissingen",
    "Ingersheim": "stadt-bietigheim-bissingen",
    "Ditzingen": "stadt-ditzingen",
    "Kornwestheim": "stadt-kornwestheim",
    "Remseck am Neckar": "stadt-remseck",
    "Vaihingen an der Enz": "stadt-vaihingen-enz",
    "Eberdingen": "stadt-vaihingen-enz",
    "Oberriexingen": "stadt-vaihingen-enz",
    "Sersheim": "stadt-vaihingen-enz",
}
# domain.md § 6.3: the 28 municipalities served by the LRA ABH.
LRA = [
    "Affalterbach", "Asperg", "Benningen am Neckar", "Besigheim", "Bönnigheim", "Erdmannhausen",
    "Erligheim", "Freiberg am Neckar", "Freudental", "Gemmrigheim", "Gerlingen", "Großbottwar",
    "Hemmingen", "Hessigheim", "Kirchheim am Neckar", "Korntal-Münchingen", "Löchgau",
    "Marbach am Neckar", "Markgröningen", "Möglingen", "Mundelsheim", "Murr", "Oberstenfeld",
    "Pleidelsheim", "Sachsenheim", "Schwieberdingen", "Steinheim an der Murr", "Walheim",
]  # fmt: skip
ON = date(2026, 6, 1)


def test_directory_has_the_seven_abh_of_landkreis_ludwigsburg_and_the_lzf() -> None:
    codes = {a.code for a in authorities()}
    assert codes == {
        "lra-ludwigsburg",
        "stadt-ludwigsburg",
        "stadt-bietigheim-bissingen",
        "stadt-ditzingen",
        "stadt-kornwestheim",
        "stadt-remseck",
        "stadt-vaihingen-enz",
        "lzf-bw",
    }
    assert authority("lzf-bw").kind == "state_agency"
    assert authority("lzf-bw").municipalities == ()
    assert {a.kind for a in authorities() if a.code != "lzf-bw"} == {"abh"}


def test_all_39_municipalities_are_listed_once() -> None:
    names = [m.name for m in municipalities()]
    assert len(names) == 39
    assert len(set(names)) == 39
    assert set(names) == set(LRA) | set(NOT_LRA)


@pytest.mark.parametrize("name", LRA)
def test_lra_is_competent_for_betriebsstaette_in_s71_abs1_aufenthg(name: str) -> None:
    found = authority_for_municipality(name, ON)
    assert found is not None
    assert found.code == "lra-ludwigsburg"


@pytest.mark.parametrize(("name", "code"), sorted(NOT_LRA.items()))
def test_grosse_kreisstadt_abh_is_competent_s71_abs1_aufenthg(name: str, code: str) -> None:
    found = authority_for_municipality(name, ON)
    assert found is not None
    assert found.code == code


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("moeglingen", "lra-ludwigsburg"),
        ("MÖGLINGEN", "lra-ludwigsburg"),
        ("Grossbottwar", "lra-ludwigsburg"),
        ("korntal muenchingen", "lra-ludwigsburg"),
        ("bietigheim bissingen", "stadt-bietigheim-bissingen"),
        ("  Remseck ", "stadt-remseck"),
        ("Vaihingen/Enz", "stadt-vaihingen-enz"),
        ("Loechgau", "lra-ludwigsburg"),
        ("71638 Ludwigsburg", "stadt-ludwigsburg"),
        ("71711 Steinheim an der Murr", "lra-ludwigsburg"),
    ],
)
def test_municipality_lookup_tolerates_spelling(spelling: str, code: str) -> None:
    found = authority_for_municipality(spelling, ON)
    assert found is not None
    assert found.code == code


@pytest.mark.parametrize("name", ["Stuttgart", "Leonberg", "", "Ludwigsburgg"])
def test_municipality_outside_the_district_has_no_authority(name: str) -> None:
    assert authority_for_municipality(name, ON) is None


def test_unknown_authority_code_raises_key_error() -> None:
    with pytest.raises(KeyError):
        authority("stadt-stuttgart")


@pytest.mark.parametrize(
    ("code", "on", "expected"),
    [
        ("lra-ludwigsburg", date(2024, 7, 31), False),
        ("lra-ludwigsburg", date(2024, 8, 1), True),
        ("stadt-ludwigsburg", date(2026, 1, 28), False),
        ("stadt-ludwigsburg", date(2026, 1, 29), True),
        ("stadt-ditzingen", date(2026, 6, 1), False),
        ("lzf-bw", date(2026, 6, 1), False),
    ],
)
def test_cooperation_dates_from_domain_s6_4(code: str, on: date, expected: bool) -> None:
    assert cooperates(authority(code), on) is expected


def test_unverified_cooperation_is_marked_in_the_data() -> None:
    for code in ("stadt-bietigheim-bissingen", "stadt-ditzingen", "stadt-kornwestheim"):
        assert authority(code).cooperation_since is None
        assert "[UNVERIFIED]" in authority(code).cooperation_source


def test_every_authority_carries_a_legal_basis_and_source() -> None:
    for a in authorities():
        assert "§ 71" in a.legal_basis
        assert a.cooperation_source


def test_postcode_71711_is_shared_by_murr_and_steinheim() -> None:
    names = {m.name for m in directory.municipalities_for_postcode("71711")}
    assert names == {"Murr", "Steinheim an der Murr"}


def test_chambers_and_their_local_offices() -> None:
    by_code = {c.code: c for c in chambers()}
    assert by_code["ihk-region-stuttgart"].local_office == "Bezirkskammer Ludwigsburg"
    assert by_code["ihk-region-stuttgart"].kind == "ihk"
    assert by_code["hwk-region-stuttgart"].local_office == "Kreishandwerkerschaft Ludwigsburg"
    assert by_code["hwk-region-stuttgart"].kind == "hwk"


def test_external_bodies_include_recognition_bodies_and_ba() -> None:
    codes = {b.code for b in external_bodies()}
    assert {"ihk-fosa", "hwk-region-stuttgart", "rp-stuttgart", "zab", "ba"} <= codes
    for body in external_bodies():
        assert body.role_de
        assert body.role_en


def test_directory_version_is_a_string() -> None:
    assert isinstance(DIRECTORY_VERSION, str)
    assert DIRECTORY_VERSION
