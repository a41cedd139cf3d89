from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotse.filecheck.mrz import MrzData, MrzError, check_digit, parse_td3

# ICAO Doc 9303 part 4, appendix A: the specimen passport of Anna Maria Eriksson, Utopia.
LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TODAY = date(2026, 11, 25)

MRZ_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"


def _value(char: str) -> int:
    return MRZ_CHARS.index(char) if char != "<" else 0


def _replace(line: str, position: int, char: str) -> str:
    return line[:position] + char + line[position + 1 :]


def _failures(line1: str, line2: str) -> set[str]:
    with pytest.raises(MrzError) as caught:
        parse_td3(line1, line2, today=TODAY)
    return {failure.code for failure in caught.value.failures}


def test_the_icao_specimen_is_valid() -> None:
    data = parse_td3(LINE1, LINE2, today=TODAY)
    assert data == MrzData(
        document_type="P",
        issuing_state="UTO",
        surname="ERIKSSON",
        given_names="ANNA MARIA",
        name_truncated=False,
        document_number="L898902C3",
        nationality="UTO",
        birth_date=date(1974, 8, 12),
        birth_date_raw="740812",
        sex="F",
        expiry_date=date(2012, 4, 15),
        expiry_date_raw="120415",
        personal_number="ZE184226B",
        document_number_valid=True,
        birth_date_valid=True,
        expiry_date_valid=True,
        personal_number_valid=True,
        composite_valid=True,
    )
    assert data.is_valid


def test_the_specimen_check_digits() -> None:
    assert check_digit("L898902C3") == 6
    assert check_digit("740812") == 2
    assert check_digit("120415") == 9
    assert check_digit("ZE184226B<<<<<") == 1
    assert check_digit(LINE2[0:10] + LINE2[13:20] + LINE2[21:43]) == 0


def test_lower_case_and_surrounding_blanks_as_typed_by_an_advisor() -> None:
    data = parse_td3(f"  {LINE1.lower()} \t", f"\n{LINE2.lower()}  ", today=TODAY)
    assert (data.surname, data.document_number) == ("ERIKSSON", "L898902C3")


# Changing a check digit breaks that check; the first three also feed the composite digit.
@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (9, {"document_number_check", "composite_check"}),
        (19, {"birth_date_check", "composite_check"}),
        (27, {"expiry_date_check", "composite_check"}),
        (42, {"personal_number_check", "composite_check"}),
        (43, {"composite_check"}),
    ],
)
def test_each_tampered_check_digit_is_reported(position: int, expected: set[str]) -> None:
    tampered = _replace(LINE2, position, str((int(LINE2[position]) + 1) % 10))
    assert _failures(LINE1, tampered) == expected


@pytest.mark.parametrize(
    ("position", "char", "expected"),
    [
        (0, "M", {"document_number_check", "composite_check"}),  # document number
        (8, "8", {"document_number_check", "composite_check"}),
        (16, "1", {"birth_date_check", "composite_check"}),  # birth month 08 -> 01
        (26, "6", {"expiry_date_check", "composite_check"}),  # expiry day 15 -> 16
        (30, "2", {"personal_number_check", "composite_check"}),  # personal number
    ],
)
def test_tampered_data_is_reported(position: int, char: str, expected: set[str]) -> None:
    assert _failures(LINE1, _replace(LINE2, position, char)) == expected


def test_the_error_lists_every_failure_and_keeps_what_was_read() -> None:
    # (6 -> 7 and 2 -> 3 would cancel out in the composite digit: +1*7 +1*3 = 10.)
    tampered = _replace(_replace(LINE2, 9, "8"), 19, "3")
    with pytest.raises(MrzError) as caught:
        parse_td3(LINE1, tampered, today=TODAY)
    error = caught.value
    assert [f.code for f in error.failures] == [
        "document_number_check",
        "birth_date_check",
        "composite_check",
    ]
    assert error.data is not None
    assert not error.data.document_number_valid
    assert not error.data.birth_date_valid
    assert error.data.expiry_date_valid
    assert error.data.surname == "ERIKSSON"
    for failure in error.failures:
        assert "prüfziffer" in failure.message_de.lower()
        assert "check digit" in failure.message_en
    assert "position 10" in error.failures[0].message_en


def test_structural_problems_are_listed_for_both_lines() -> None:
    with pytest.raises(MrzError) as caught:
        parse_td3(LINE1[:-1], LINE2.replace("<", " "), today=TODAY)
    assert [f.code for f in caught.value.failures] == ["line1_length", "line2_characters"]
    assert caught.value.data is None
    assert "43" in caught.value.failures[0].message_de


def test_a_visa_is_not_a_passport() -> None:
    assert _failures("V" + LINE1[1:], LINE2) == {"document_type"}


def test_an_impossible_date_with_a_correct_check_digit() -> None:
    birth = "741345"
    line2 = LINE2[:13] + birth + str(check_digit(birth)) + LINE2[20:43]
    line2 += str(check_digit(line2[0:10] + line2[13:20] + line2[21:43]))
    assert _failures(LINE1, line2) == {"birth_date_invalid"}


def test_unknown_birth_day_is_not_an_error() -> None:
    birth = "7408<<"
    line2 = LINE2[:13] + birth + str(check_digit(birth)) + LINE2[20:43]
    line2 += str(check_digit(line2[0:10] + line2[13:20] + line2[21:43]))
    data = parse_td3(LINE1, line2, today=TODAY)
    assert data.birth_date is None
    assert data.birth_date_raw == "7408<<"


@pytest.mark.parametrize("check", ["<", "0"])
def test_an_empty_personal_number_may_have_filler_or_zero_as_check(check: str) -> None:
    line2 = LINE2[:28] + "<" * 14 + check
    line2 += str(check_digit(line2[0:10] + line2[13:20] + line2[21:43]))
    data = parse_td3(LINE1, line2, today=TODAY)
    assert data.personal_number == ""
    assert data.personal_number_valid


def test_a_filler_check_digit_is_wrong_when_there_is_a_personal_number() -> None:
    assert "personal_number_check" in _failures(LINE1, _replace(LINE2, 42, "<"))


@pytest.mark.parametrize(
    ("yymmdd", "year"), [("050101", 2005), ("261125", 2026), ("270101", 1927), ("991231", 1999)]
)
def test_the_century_of_the_birth_year(yymmdd: str, year: int) -> None:
    line2 = LINE2[:13] + yymmdd + str(check_digit(yymmdd)) + LINE2[20:43]
    line2 += str(check_digit(line2[0:10] + line2[13:20] + line2[21:43]))
    birth = parse_td3(LINE1, line2, today=TODAY).birth_date
    assert birth is not None
    assert birth.year == year


@pytest.mark.parametrize(("char", "sex"), [("F", "F"), ("M", "M"), ("<", None), ("X", None)])
def test_sex(char: str, sex: str | None) -> None:
    line2 = _replace(LINE2, 20, char)
    line2 = line2[:43] + str(check_digit(line2[0:10] + line2[13:20] + line2[21:43]))
    assert parse_td3(LINE1, line2, today=TODAY).sex == sex


def test_an_invalid_sex_is_reported() -> None:
    line2 = _replace(LINE2, 20, "Q")
    line2 = line2[:43] + str(check_digit(line2[0:10] + line2[13:20] + line2[21:43]))
    assert _failures(LINE1, line2) == {"sex_invalid"}


def test_a_full_name_field_is_flagged_as_possibly_truncated() -> None:
    name = "WOLFESCHLEGELSTEINHAUSEN<<HUBERT<BLAINE<WOLFE"  # 45 characters, cut to 39
    line1 = "P<D<<" + name[:39]
    data = parse_td3(line1, LINE2, today=TODAY)
    assert data.name_truncated
    assert (data.surname, data.given_names) == ("WOLFESCHLEGELSTEINHAUSEN", "HUBERT BLAINE")
    assert data.issuing_state == "D"
    assert not parse_td3(LINE1, LINE2, today=TODAY).name_truncated


def test_check_digit_refuses_characters_outside_the_mrz_alphabet() -> None:
    with pytest.raises(ValueError, match="not an MRZ character"):
        check_digit("AB-1")


@given(st.text(alphabet=MRZ_CHARS, min_size=1, max_size=40), st.data())
def test_a_single_substitution_changes_the_digit_unless_values_differ_by_ten(
    value: str, data: st.DataObject
) -> None:
    # Weights 7, 3 and 1 are all coprime to 10, so a substitution goes unnoticed exactly when the
    # two characters' values differ by a multiple of 10 (e.g. "0" -> "A" or "<" -> "K").
    position = data.draw(st.integers(0, len(value) - 1))
    char = data.draw(st.sampled_from(MRZ_CHARS))
    changed = _replace(value, position, char)
    same = (_value(char) - _value(value[position])) % 10 == 0
    assert (check_digit(changed) == check_digit(value)) is same
    assert 0 <= check_digit(value) <= 9


@given(
    number=st.text(alphabet=MRZ_CHARS, min_size=9, max_size=9),
    personal=st.text(alphabet=MRZ_CHARS, min_size=14, max_size=14),
    which=st.sampled_from([9, 19, 27, 43]),
)
def test_generated_lines_are_valid_and_a_changed_check_digit_is_caught(
    number: str, personal: str, which: int
) -> None:
    line2 = (
        number
        + str(check_digit(number))
        + "UTO740812"
        + "2"
        + "F"
        + "1204159"
        + personal
        + ("<" if set(personal) == {"<"} else str(check_digit(personal)))
    )
    line2 += str(check_digit(line2[0:10] + line2[13:20] + line2[21:43]))
    assert parse_td3(LINE1, line2, today=TODAY).is_valid
    tampered = _replace(line2, which, str((int(line2[which]) + 5) % 10))
    with pytest.raises(MrzError):
        parse_td3(LINE1, tampered, today=TODAY)
