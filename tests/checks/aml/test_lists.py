"""Each list format parses its fixture (written from the format's public documentation)
into the expected entities; broken and hostile files are refused with the place at fault."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.lists import ListFormatError, parse_file

FIXTURES = Path(__file__).parents[2] / "fixtures" / "aml"


def by_id(path: Path, kind: str) -> dict[str, Entity]:
    return {e.id: e for e in parse_file(path, kind).entities}


def test_ofac_sdn_xml() -> None:
    parsed = parse_file(FIXTURES / "ofac_sdn.xml", "ofac_sdn")
    assert parsed.published == "2024-06-14"
    found = {e.id: e for e in parsed.entities}
    assert set(found) == {"ofac-7553", "ofac-36", "ofac-15036"}
    saddam = found["ofac-7553"]
    assert saddam.schema == "Person"
    assert saddam.names == ("Saddam HUSSEIN AL-TIKRITI", "ABU ALI")
    assert saddam.birth_dates == ("1937-04-28",)
    assert saddam.countries == ("iq",)
    assert saddam.identifiers == ("A1234567",)
    assert saddam.gender == "male"
    assert saddam.details["programs"] == "IRAQ2"
    assert found["ofac-36"].schema == "Organization"
    assert found["ofac-36"].names == ("AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN")
    assert found["ofac-36"].countries == ("cu",)
    assert found["ofac-15036"].schema == "Vessel"


def test_ofac_consolidated_xml() -> None:
    parsed = parse_file(FIXTURES / "ofac_cons.xml", "ofac_cons")
    [gazprom] = parsed.entities
    assert gazprom.id == "ofac-cons-17220"
    assert gazprom.names == ("GAZPROM NEFT", "GAZPROM NEFT PAO")
    assert gazprom.identifiers == ("1025501701686",)
    assert gazprom.countries == ("ru",)


def test_ofac_csv_trio_gives_what_the_xml_gives() -> None:
    from_csv = by_id(FIXTURES / "ofac_csv", "ofac_sdn_csv")
    from_xml = by_id(FIXTURES / "ofac_sdn.xml", "ofac_sdn")
    assert set(from_csv) == set(from_xml)
    for key in from_csv:
        a, b = from_csv[key], from_xml[key]
        assert (a.schema, a.names, a.birth_dates, a.countries, a.gender) == (
            b.schema,
            b.names,
            b.birth_dates,
            b.countries,
            b.gender,
        )
    assert from_csv["ofac-15036"].identifiers == ("9116412",)


def test_ofac_csv_needs_its_companions(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "ofac_csv" / "sdn.csv", tmp_path / "sdn.csv")
    with pytest.raises(ListFormatError, match=r"alt\.csv not found"):
        parse_file(tmp_path / "sdn.csv", "ofac_sdn_csv")


def test_un_consolidated_xml() -> None:
    parsed = parse_file(FIXTURES / "un.xml", "un")
    assert parsed.published == "2024-06-14"
    found = {e.id: e for e in parsed.entities}
    ri = found["un-6908555"]
    assert ri.names == ("RI WON HO", "리원호", "RI WON-HO")
    assert ri.birth_dates == ("1964-07-17",)
    assert ri.countries == ("kp", "sy")
    assert ri.identifiers == ("381310014",)
    assert ri.gender == "male"
    noorzai = found["un-110402"]
    assert noorzai.birth_dates == ("1960", "1961", "1962")  # a range of years
    assert noorzai.names[1] == "عبد البصیر نورزی"
    assert found["un-6908629"].schema == "Organization"
    assert found["un-6908629"].names == ("KOREA MINING DEVELOPMENT TRADING CORPORATION", "KOMID")


def test_eu_financial_sanctions_xml() -> None:
    parsed = parse_file(FIXTURES / "eu.xml", "eu")
    assert parsed.published == "2024-06-14"
    found = {e.id: e for e in parsed.entities}
    putin = found["eu-13"]
    assert putin.names == ("Vladimir Vladimirovich Putin", "Владимир Владимирович Путин")
    assert (putin.birth_dates, putin.countries, putin.gender) == (("1952-10-07",), ("ru",), "male")
    sber = found["eu-14"]
    assert sber.schema == "Organization"
    assert sber.identifiers == ("1027700132195",)


def test_uk_sanctions_list_xml_and_csv_agree() -> None:
    xml = by_id(FIXTURES / "uk.xml", "uk")
    csv = by_id(FIXTURES / "uk.csv", "uk_csv")
    assert set(xml) == set(csv) == {"uk-RUS0251", "uk-RUS1111"}
    for key in xml:
        assert (xml[key].schema, xml[key].birth_dates, xml[key].countries, xml[key].gender) == (
            csv[key].schema,
            csv[key].birth_dates,
            csv[key].countries,
            csv[key].gender,
        )
    assert xml["uk-RUS0251"].names[0] == "Vladimir Vladimirovich PUTIN"
    assert "Владимир Владимирович ПУТИН" in csv["uk-RUS0251"].names
    assert xml["uk-RUS1111"].identifiers == csv["uk-RUS1111"].identifiers == ("1021400967092",)
    assert parse_file(FIXTURES / "uk.csv", "uk_csv").published == "2024-06-14"


def test_followthemoney_json_lines_keep_screenable_schemas() -> None:
    found = by_id(FIXTURES / "ftm.jsonl", "ftm")
    assert set(found) == {"Q7747", "NK-acme-1", "NK-vessel-1"}  # the Sanction is skipped
    putin = found["Q7747"]
    assert putin.names == ("Vladimir Vladimirovich Putin", "Владимир Путин", "Putin")
    assert putin.topics == ("role.pep", "sanction")
    assert putin.hit_types() == ["PEP", "SANCTION"]
    assert found["NK-acme-1"].schema == "Company"
    assert found["NK-acme-1"].identifiers == ("DMCC-12345",)


def test_blocklist_csv() -> None:
    found = by_id(FIXTURES / "blocklist.csv", "blocklist")
    jean = found["block-42"]
    assert jean.names == ("Jean Dupont", "J. Dupont", "Jean-Paul Dupont")
    assert (jean.birth_dates, jean.countries, jean.gender) == (("1980-03-15",), ("fr",), "male")
    assert jean.hit_types() == ["BLOCKLIST"]
    assert found["block-43"].schema == "Company"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_truncated_xml_is_refused_with_its_line(tmp_path: Path) -> None:
    text = (FIXTURES / "ofac_sdn.xml").read_text(encoding="utf-8")
    cut = text[: text.index("<sdnType>Entity")]
    path = _write(tmp_path, "sdn.xml", cut)
    with pytest.raises(ListFormatError, match=r"line \d+: malformed XML"):
        parse_file(path, "ofac_sdn")


def test_missing_element_is_refused_naming_it(tmp_path: Path) -> None:
    text = (FIXTURES / "ofac_sdn.xml").read_text(encoding="utf-8")
    broken = text.replace("<lastName>AEROCARIBBEAN AIRLINES</lastName>", "", 1)
    line = text[: text.index("<uid>36</uid>")].count("\n")  # the <sdnEntry> line
    path = _write(tmp_path, "sdn.xml", broken)
    with pytest.raises(
        ListFormatError, match=rf"line {line}: <sdnEntry>: entry 36 has no <lastName>"
    ):
        parse_file(path, "ofac_sdn")


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE sdnList [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE sdnList [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE sdnList SYSTEM "http://127.0.0.1:9/evil.dtd">',
    ],
)
def test_hostile_xml_is_refused(tmp_path: Path, prolog: str) -> None:
    text = (FIXTURES / "ofac_sdn.xml").read_text(encoding="utf-8")
    hostile = text.replace(
        '<?xml version="1.0" standalone="yes"?>', f'<?xml version="1.0"?>\n{prolog}'
    )
    with pytest.raises(ListFormatError, match="refused XML"):
        parse_file(_write(tmp_path, "sdn.xml", hostile), "ofac_sdn")


def test_broken_json_line_is_refused_with_its_number(tmp_path: Path) -> None:
    lines = (FIXTURES / "ftm.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:40]
    path = _write(tmp_path, "x.jsonl", "\n".join(lines))
    with pytest.raises(ListFormatError, match="line 2: "):
        parse_file(path, "ftm")
    path = _write(tmp_path, "y.jsonl", '{"id": "x", "schema": "NoSuchSchema"}\n')
    with pytest.raises(ListFormatError, match="line 1: unknown schema"):
        parse_file(path, "ftm")


def test_broken_csv_rows_are_refused_with_their_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "b.csv", 'name,birth_date\nJane Roe,1970-01-01\n"Unclosed,1970\n')
    with pytest.raises(ListFormatError, match="line 3"):
        parse_file(path, "blocklist")
    path = _write(tmp_path, "c.csv", "name,birth_date\nJane Roe,yesterday\n")
    with pytest.raises(ListFormatError, match="line 2: unreadable birth_date"):
        parse_file(path, "blocklist")
    path = _write(tmp_path, "d.csv", "nom,date\nJane Roe,1970\n")
    with pytest.raises(ListFormatError, match="line 1: the header needs 'name'"):
        parse_file(path, "blocklist")
    truncated = (FIXTURES / "uk.csv").read_text(encoding="utf-8")[:-120]
    path = _write(tmp_path, "uk.csv", truncated.rsplit("\n", 1)[0] + "\n19/05/2023,RUS1111\n")
    with pytest.raises(ListFormatError, match="line 5: unknown designation type"):
        parse_file(path, "uk_csv")


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListFormatError, match="no <sanctionEntity> found"):
        parse_file(FIXTURES / "un.xml", "eu")
    with pytest.raises(ListFormatError, match="unknown list kind"):
        parse_file(FIXTURES / "un.xml", "nope")
    with pytest.raises(ListFormatError, match="NUL byte"):
        parse_file(_write(tmp_path, "z.csv", "name\nab\x00c\n"), "blocklist")
