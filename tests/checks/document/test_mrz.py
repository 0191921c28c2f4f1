"""MRZ parsing, check digits and OCR repairs on the ICAO 9303 specimens (no OCR here)."""

from __future__ import annotations

from datetime import date

import pytest

from openkyc.checks.document.mrz import build, checkdigit, repair
from openkyc.checks.document.mrz.build import Holder
from openkyc.checks.document.mrz.layouts import FRA_ID, TD1, TD3
from openkyc.checks.document.mrz.parse import parse, parse_layout, split_names

TODAY = date(2024, 6, 1)

# The examples of ICAO Doc 9303 (parts 4 to 7): Anna Maria Eriksson of Utopia.
SPECIMENS = {
    "TD1": [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ],
    "TD2": [
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    ],
    "TD3": [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ],
    "MRVA": [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    ],
    "MRVB": [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "L8988901C4XXX4009078F9612109<<<<<<<<",
    ],
}


def french_card() -> list[str]:
    holder = Holder(
        "BERTHIER", "CORINNE,MARIE", date(1965, 8, 12), "F", "FRA", "940975123456",
        date(2030, 1, 1), "FRA",
    )  # fmt: skip
    return build.french_id(holder)


def test_check_digit_examples() -> None:
    # ICAO 9303 part 3: 520727 -> 3; letters count 10..35, fillers 0
    assert checkdigit.compute("520727") == "3"
    assert checkdigit.compute("L898902C3") == "6"
    assert checkdigit.compute("AB2134<<<") == "5"


@pytest.mark.parametrize("fmt", sorted(SPECIMENS))
def test_icao_specimens_parse_with_every_check_digit_valid(fmt: str) -> None:
    result = parse(SPECIMENS[fmt], TODAY)
    assert result is not None
    assert result.format == fmt
    assert result.check_digits and all(result.check_digits.values()), result.check_digits
    assert result.valid
    assert result.fields["lastname"] == "ERIKSSON"
    assert result.fields["firstname"] == "ANNA MARIA"
    assert result.fields["sex"] == "F"
    assert result.repairs == []


def test_specimen_field_values() -> None:
    td3 = parse(SPECIMENS["TD3"], TODAY)
    assert td3 is not None
    assert td3.fields["document_number"] == "L898902C3"
    assert td3.fields["birth_date"] == "1974-08-12"
    assert td3.fields["expiry_date"] == "2012-04-15"
    assert td3.fields["optional_data"] == "ZE184226B"
    assert set(td3.check_digits) == {
        "document_number", "birth_date", "expiry_date", "optional_data", "composite",
    }  # fmt: skip
    td1 = parse(SPECIMENS["TD1"], TODAY)
    assert td1 is not None and td1.fields["document_number"] == "D23145890"
    visa = parse(SPECIMENS["MRVA"], TODAY)
    assert visa is not None and visa.fields["birth_date"] == "1940-09-07"


def test_french_card() -> None:
    result = parse(french_card(), TODAY)
    assert result is not None and result.format == "FRA_ID" and result.valid
    assert result.fields["lastname"] == "BERTHIER"
    assert result.fields["firstname"] == "CORINNE MARIE"
    assert result.fields["document_number"] == "940975123456"
    assert result.fields["birth_date"] == "1965-08-12"
    # issued September 1994 to an adult: valid 10 years (15 only from 2004 on)
    assert result.fields["expiry_date"] == "2004-09-01"


@pytest.mark.parametrize("fmt", [*sorted(SPECIMENS), "FRA_ID"])
def test_a_corrupted_digit_is_caught(fmt: str) -> None:
    lines = french_card() if fmt == "FRA_ID" else list(SPECIMENS[fmt])
    # change one birth-date digit: its own check and the composite both fail
    line, pos = {"TD1": (1, 2), "FRA_ID": (1, 29)}.get(fmt, (1, 15))
    digit = lines[line][pos]
    lines[line] = lines[line][:pos] + str((int(digit) + 1) % 10) + lines[line][pos + 1 :]
    result = parse(lines, TODAY)
    assert result is not None and not result.valid
    assert result.check_digits["birth_date"] is False


def test_corrupted_composite_only() -> None:
    lines = list(SPECIMENS["TD3"])
    lines[1] = lines[1][:43] + "9"
    result = parse(lines, TODAY)
    assert result is not None and not result.valid
    assert result.check_digits["composite"] is False
    assert result.check_digits["document_number"] is True


@pytest.mark.parametrize(
    ("line", "position", "misread"),
    [
        (0, 4, "0"),  # issuing state UTO: letters only, 0 -> O
        (0, 9, "5"),  # name ERIKSSON: letters only, 5 -> S
        (1, 12, "0"),  # nationality: 0 -> O
        (1, 13, "T"),  # birth date: digits only, T -> 7
        (1, 15, "O"),  # birth date: O -> 0
        (1, 19, "Z"),  # birth date check digit: Z -> 2
        (1, 20, "E"),  # sex: M, F, X or filler; E -> F
        (1, 21, "I"),  # expiry: I -> 1
        (1, 26, "S"),  # expiry: S -> 5
        (1, 43, "O"),  # composite check digit: O -> 0
    ],
)
def test_kind_repairs_by_position(line: int, position: int, misread: str) -> None:
    lines = list(SPECIMENS["TD3"])
    lines[line] = lines[line][:position] + misread + lines[line][position + 1 :]
    fixed, changes = repair.by_kind(lines, TD3)
    assert fixed == SPECIMENS["TD3"]
    assert [(c.line, c.position, c.before) for c in changes] == [(line, position, misread)]


def test_digit_positions_take_digits() -> None:
    lines = list(SPECIMENS["TD3"])
    # birth date 740812 read as 74O8I2, expiry check 9 read as g? use S for 5
    lines[1] = lines[1][:13] + "74O8I2" + lines[1][19:]
    fixed, changes = repair.by_kind(lines, TD3)
    assert fixed[1][13:19] == "740812"
    assert {(c.position, c.before, c.after) for c in changes} == {(15, "O", "0"), (17, "I", "1")}


def test_letter_positions_take_letters() -> None:
    lines = ["P<UT0ERIKSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", SPECIMENS["TD3"][1]]
    fixed, _ = repair.by_kind(lines, TD3)
    assert fixed[0] == SPECIMENS["TD3"][0]


def test_sex_position() -> None:
    lines = list(SPECIMENS["TD3"])
    lines[1] = lines[1][:20] + "E" + lines[1][21:]
    fixed, _ = repair.by_kind(lines, TD3)
    assert fixed[1][20] == "F"


def test_check_digit_position_letter_becomes_digit() -> None:
    lines = list(SPECIMENS["TD3"])
    lines[1] = lines[1][:43] + "O"  # composite 0 read as O
    result = parse(lines, TODAY)
    assert result is not None and result.valid
    assert result.lines[1][43] == "0"


def test_alphanumeric_position_settled_by_check_digit() -> None:
    # document number L898902C3: the 0 read as O, the 8 as B; both are legal in a number,
    # only the check digit says which is right.
    lines = list(SPECIMENS["TD3"])
    lines[1] = "L89B9O2C3" + lines[1][9:]
    result = parse(lines, TODAY)
    assert result is not None and result.valid
    assert result.fields["document_number"] == "L898902C3"
    changed = {(c.line, c.position) for c in result.repairs}
    assert {(1, 3), (1, 5)} <= changed


def test_filler_read_as_k() -> None:
    lines = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<K<<<<<<K<<<<<", SPECIMENS["TD3"][1]]
    result = parse(lines, TODAY)
    assert result is not None and result.lines[0] == SPECIMENS["TD3"][0]
    # a name that ends in K keeps it
    lines = ["P<UTOERIK<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<<<<", SPECIMENS["TD3"][1]]
    fixed, _ = repair.by_kind(lines, TD3)
    assert fixed[0].startswith("P<UTOERIK<<")


def test_lost_and_extra_fillers_are_fitted() -> None:
    short = SPECIMENS["TD3"][1].replace("B<<<<<10", "B<<<<10")
    long = SPECIMENS["TD3"][0] + "<<"
    result = parse([long, short], TODAY)
    assert result is not None and result.valid
    assert repair.fit("AB<<<<C", 9) == "AB<<<<<<C"
    assert repair.fit("AB<<<<C", 5) == "AB<<C"


def test_spaces_case_and_symbols_are_normalised() -> None:
    raw = ["p<uto eriksson «anna<maria<<<<<<<<<<<<<<<<<<<", SPECIMENS["TD3"][1]]
    result = parse(raw, TODAY)
    assert result is not None and result.valid and result.lines[0] == SPECIMENS["TD3"][0]


def test_td1_long_document_number() -> None:
    holder = Holder(
        "DOE", "JANE", date(1990, 1, 2), "F", "NLD", "ABC123456", date(2030, 1, 2), "NLD"
    )
    lines = build.td1(holder)
    # a 12-character number: 9 in place, the rest and its check digit in the optional data
    number = "ABC123456789"
    line1 = lines[0][:14] + "<" + number[9:] + checkdigit.compute(number) + "<" * 11
    line2 = lines[1][:29]
    composite = checkdigit.compute(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    result = parse_layout(TD1, [line1, line2 + composite, lines[2]], TODAY)
    assert result.fields["document_number"] == number
    assert result.valid


def test_built_lines_round_trip_for_every_format() -> None:
    holder = Holder(
        "O'NEILL-SMITH", "MARY ANN", date(2001, 2, 28), "M", "D", "C01X00T47",
        date(2031, 12, 31), "D", optional="1234567",
    )  # fmt: skip
    for name, builder in build.BUILDERS.items():
        result = parse(builder(holder), TODAY)
        assert result is not None and result.valid, name
        assert result.fields["lastname"] == "O NEILL SMITH"
        assert result.fields["birth_date"] == "2001-02-28"
        assert result.fields["expiry_date"] == "2031-12-31"
    assert parse_layout(FRA_ID, french_card(), TODAY).valid


def test_century_rules() -> None:
    holder = Holder("A", "B", date(1930, 1, 1), "F", "UTO", "X1", date(2070, 1, 1), "UTO")
    result = parse(build.td3(holder), TODAY)
    assert result is not None
    assert result.fields["birth_date"] == "1930-01-01"
    assert result.fields["expiry_date"] == "2070-01-01"


def test_impossible_date_is_invalid() -> None:
    lines = list(SPECIMENS["TD3"])
    body = lines[1][:13] + "741312"
    body += checkdigit.compute("741312") + lines[1][20:43]
    body += checkdigit.compute(body[0:10] + body[13:20] + body[21:43])
    result = parse([lines[0], body], TODAY)
    assert result is not None and result.fields["birth_date"] is None and not result.valid


def test_names_split_and_unknown_block() -> None:
    assert split_names("ERIKSSON<<ANNA<MARIA<<<<") == ("ERIKSSON", "ANNA MARIA")
    assert split_names("MADONNA<<<<<<") == ("MADONNA", "")
    assert parse(["HELLO WORLD"], TODAY) is None
