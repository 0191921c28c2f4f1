"""The UN Security Council consolidated list XML: `<CONSOLIDATED_LIST dateGenerated>`
with `<INDIVIDUALS><INDIVIDUAL>` and `<ENTITIES><ENTITY>`, names in FIRST_NAME to
FOURTH_NAME, aliases, dates of birth (exact date, year, or a range of years),
nationalities, documents and the name in its original script."""

from __future__ import annotations

from typing import BinaryIO

from openkyc.checks.aml.entity import Entity, make_entity
from openkyc.checks.aml.lists.base import ListFormatError, Node, ParsedList, Progress, read_xml
from openkyc.checks.aml.values import country_code, gender, parse_date

NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def _dates(record: Node) -> list[str]:
    found: list[str] = []
    for item in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        if item.get("DATE"):
            found += parse_date(item.get("DATE"))
        elif item.get("YEAR"):
            found += parse_date(item.get("YEAR"))
        elif item.get("FROM_YEAR") and item.get("TO_YEAR"):
            found += parse_date(f"{item.get('FROM_YEAR')} to {item.get('TO_YEAR')}")
    return found


def parse_record(record: Node) -> Entity:
    dataid = record.get("DATAID")
    if not dataid:
        raise record.fail("a record without <DATAID>")
    name = " ".join(p for p in (record.get(t) for t in NAME_PARTS) if p)
    if not name:
        raise record.fail(f"record {dataid} has no <FIRST_NAME>")
    person = record.tag == "INDIVIDUAL"
    alias_tag = "INDIVIDUAL_ALIAS" if person else "ENTITY_ALIAS"
    address_tag = "INDIVIDUAL_ADDRESS" if person else "ENTITY_ADDRESS"
    countries = [
        *record.texts("NATIONALITY/VALUE"),
        *record.texts(f"{address_tag}/COUNTRY"),
    ]
    documents = [d.get("NUMBER") for d in record.findall("INDIVIDUAL_DOCUMENT") if d.get("NUMBER")]
    return make_entity(
        id=f"un-{dataid}",
        schema="Person" if person else "Organization",
        names=[name, record.get("NAME_ORIGINAL_SCRIPT"), *record.texts(f"{alias_tag}/ALIAS_NAME")],
        birth_dates=_dates(record) if person else [],
        countries=[c for c in (country_code(x) for x in countries) if c],
        identifiers=documents,
        gender=gender(record.get("GENDER")),
        topics=["sanction"],
        details={
            "reference": record.get("REFERENCE_NUMBER"),
            "programs": record.get("UN_LIST_TYPE"),
            "listed_on": record.get("LISTED_ON"),
            "remarks": record.get("COMMENTS1"),
        },
    )


def parse(source: BinaryIO, kind: str, progress: Progress | None = None) -> ParsedList:
    parsed = ParsedList(source=kind)
    root = read_xml(
        source,
        {"INDIVIDUAL", "ENTITY"},
        lambda node: parsed.entities.append(parse_record(node)),
        progress,
    )
    generated = parse_date(root.get("dateGenerated", ""))
    parsed.published = generated[0] if generated else None
    if not parsed.entities:
        raise ListFormatError("no <INDIVIDUAL> or <ENTITY> found: is this the UN list XML?")
    return parsed
