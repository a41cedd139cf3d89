from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotse.filecheck.mrz import parse_td3
from lotse.filecheck.names import (
    PersonName,
    compare_birth_dates,
    compare_names,
    compare_people,
    normalize_name,
    parse_birth_date,
)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("  Anna   Maria ", "ANNA MARIA"),
        ("ERIKSSON<<ANNA<MARIA<<<<", "ERIKSSON ANNA MARIA"),
        ("Müller-Lüdenscheid", "MÜLLER LÜDENSCHEID"),
        ("O'Brien", "OBRIEN"),
        ("D’Angelo", "DANGELO"),
        ("José Ñúñez", "JOSE NUNEZ"),
        ("Strauß", "STRAUSS"),
        ("Łukasz Żółć", "LUKASZ ZOLC"),
        ("Çağlar Şahin", "CAGLAR SAHIN"),
        ("Ægir Þórsson", "AEGIR THORSSON"),
        ("Nguyễn Thị Minh Khai", "NGUYEN THI MINH KHAI"),
        ("Jean-Luc   Picard", "JEAN LUC PICARD"),
        ("J. R. R. Tolkien", "J R R TOLKIEN"),
        ("Bjørn", "BJØRN"),
        ("", ""),
    ],
)
def test_normalize_name(raw: str, normalized: str) -> None:
    assert normalize_name(raw) == normalized


# (case data, other document, equal, difference codes, note codes)
TABLE = [
    ("Eriksson", "ERIKSSON", True, [], []),
    ("Müller", "MUELLER", True, [], ["umlaut_spelling"]),  # ICAO transliteration
    ("Müller", "MULLER", True, [], ["umlaut_spelling"]),  # states that drop the dots
    ("MUELLER", "Müller", True, [], ["umlaut_spelling"]),
    ("Gül", "GUL", True, [], ["umlaut_spelling"]),
    ("Björk Guðmundsdóttir", "BJOERK GUDMUNDSDOTTIR", True, [], ["umlaut_spelling", "diacritics"]),
    ("Bjørn", "BJOERN", True, [], ["umlaut_spelling"]),
    ("Ångström", "AANGSTROEM", True, [], ["umlaut_spelling"]),
    ("Strauß", "STRAUSS", True, [], []),
    ("José", "JOSE", True, [], ["diacritics"]),
    ("François", "Francois", True, [], ["diacritics"]),
    ("O'Brien", "OBRIEN", True, [], []),
    ("Müller-Lüdenscheid", "MUELLER<LUEDENSCHEID", True, [], ["umlaut_spelling"]),
    ("Müller-Lüdenscheid", "MUELLER LUDENSCHEID", True, [], ["umlaut_spelling"]),
    ("Anna-Maria", "ANNA MARIA", True, [], []),
    ("Annamaria", "ANNA MARIA", True, [], ["separators"]),
    ("van der Berg", "VANDERBERG", True, [], ["separators"]),
    # real differences
    ("MUELLER", "MULLER", False, ["spelling"], []),  # no umlaut on either side: cannot know
    ("Mayer", "Meier", False, ["spelling"], []),
    ("Anna Maria", "Anna", False, ["missing_part"], []),
    ("Anna", "Anna Maria", False, ["missing_part"], []),
    ("Anna Maria", "Maria Anna", False, ["word_order"], []),
    ("Mohammed Ali", "Muhammad Ali", False, ["spelling"], []),
    ("Алексей", "ALEKSEI", False, ["non_latin"], []),
    ("Ann", "Anna", False, ["spelling"], []),
]


@pytest.mark.parametrize(("a", "b", "equal", "differences", "notes"), TABLE)
def test_compare_names(
    a: str, b: str, equal: bool, differences: list[str], notes: list[str]
) -> None:
    result = compare_names(a, b)
    assert result.equal is equal
    assert [d.code for d in result.differences] == differences
    assert [n.code for n in result.notes] == notes
    assert result.equal is (not result.differences)


def test_differences_show_what_differs_in_both_languages() -> None:
    result = compare_names("Anna Maria Eriksson", "Anna Eriksen")
    assert [d.code for d in result.differences] == ["spelling", "missing_part"]
    assert "'ERIKSSON'" in result.differences[0].message_en
    assert "'MARIA'" in result.differences[1].message_en
    messages_en = " ".join(d.message_en for d in result.differences)
    messages_de = " ".join(d.message_de for d in result.differences)
    assert "ERIKSSON" in messages_en
    assert "ERIKSEN" in messages_en
    assert "MARIA" in messages_de
    assert str(result.differences[0]) == result.differences[0].message_en


def test_a_truncated_mrz_name_matches_the_beginning() -> None:
    full = "Hubert Blaine Wolfeschlegelsteinhausen"
    assert not compare_names(full, "HUBERT BLAINE WOLFE").equal
    result = compare_names(full, "HUBERT BLAINE WOLFE", b_truncated=True)
    assert result.equal
    assert [n.code for n in result.notes] == ["truncated"]
    assert compare_names("Jürgen", "JU", b_truncated=True).equal
    assert not compare_names("Jürgen", "JA", b_truncated=True).equal
    assert not compare_names("Jürgen", "", b_truncated=True).equal


def test_people_with_umlauts_as_the_mrz_writes_them() -> None:
    result = compare_people(
        PersonName("Müller-Lüdenscheid", "Hans Jürgen"),
        PersonName("MUELLER LUEDENSCHEID", "HANS JUERGEN"),
    )
    assert result.equal
    assert {n.code for n in result.notes} == {"umlaut_spelling"}


def test_people_with_a_different_split_of_surname_and_given_names() -> None:
    result = compare_people(
        PersonName("García López", "María"), PersonName("GARCIA", "LOPEZ MARIA")
    )
    assert not result.equal
    assert [d.code for d in result.differences] == ["name_split"]


def test_people_differences_say_which_part_differs() -> None:
    result = compare_people(PersonName("Eriksson", "Anna"), PersonName("Eriksen", "Anna Maria"))
    assert not result.equal
    assert [d.code for d in result.differences] == ["spelling", "missing_part"]
    assert result.differences[0].message_en.startswith("Surname: ")
    assert result.differences[0].message_de.startswith("Familienname: ")
    assert result.differences[1].message_en.startswith("Given names: ")
    assert result.differences[1].message_de.startswith("Vornamen: ")


def test_people_against_the_mrz_specimen() -> None:
    mrz = parse_td3(
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        today=date(2026, 1, 1),
    )
    from_mrz = PersonName(mrz.surname, mrz.given_names)
    assert compare_people(PersonName("Eriksson", "Anna-Maria"), from_mrz).equal
    assert not compare_people(PersonName("Eriksson", "Anna"), from_mrz).equal
    assert mrz.birth_date is not None
    assert compare_birth_dates("12.08.1974", mrz.birth_date).equal


@pytest.mark.parametrize(
    ("a", "b", "equal", "codes"),
    [
        ("12.08.1974", "1974-08-12", True, []),
        ("1.2.1990", date(1990, 2, 1), True, []),
        (datetime(1990, 2, 1, 12, 0), "01.02.1990", True, []),
        ("12.08.1974", "08.12.1974", False, ["day_month_swapped"]),
        ("12.08.1974", "12.08.1975", False, ["different_date"]),
        ("12.12.1974", "13.12.1974", False, ["different_date"]),
    ],
)
def test_compare_birth_dates(a: date | str, b: date | str, equal: bool, codes: list[str]) -> None:
    result = compare_birth_dates(a, b)
    assert result.equal is equal
    assert [d.code for d in result.differences] == codes


def test_swapped_dates_are_explained() -> None:
    result = compare_birth_dates("12.08.1974", "08.12.1974")
    assert "12.08.1974" in result.differences[0].message_de
    assert "swapped" in result.differences[0].message_en


@pytest.mark.parametrize("value", ["08/12/1974", "12-08-1974", "31.02.1990", "gestern"])
def test_ambiguous_or_invalid_birth_dates_are_refused(value: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 -- date parsing raises plain ValueError
        parse_birth_date(value)


LATIN_NAME = st.text(
    alphabet=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzäöüÄÖÜßéèñç -'"),
    max_size=30,
)


@given(LATIN_NAME)
def test_a_name_equals_itself_and_its_mrz_spelling(name: str) -> None:
    if not normalize_name(name):
        return
    assert compare_names(name, name).equal
    mrz = (
        normalize_name(name)
        .replace("Ä", "AE")
        .replace("Ö", "OE")
        .replace("Ü", "UE")
        .replace(" ", "<")
    )
    assert compare_names(name, mrz).equal


@given(LATIN_NAME, LATIN_NAME)
def test_comparison_is_symmetric(a: str, b: str) -> None:
    if not normalize_name(a) or not normalize_name(b):
        return
    assert compare_names(a, b).equal is compare_names(b, a).equal
