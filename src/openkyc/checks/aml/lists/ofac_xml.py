"""OFAC's SDN list and consolidated (non-SDN) list in the classic XML (sdn.xml,
consolidated.xml): `<sdnList>` of `<sdnEntry>` with uid, names, type, programs, aka,
ids, dates and places of birth, nationalities, citizenships, addresses."""

from __future__ import annotations

from typing import BinaryIO

from openkyc.checks.aml.entity import Entity, make_entity
from openkyc.checks.aml.lists.base import ListFormatError, Node, ParsedList, Progress, read_xml
from openkyc.checks.aml.values import country_code, gender, parse_date

SCHEMAS = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
# idList types that are not identifying numbers
NOT_IDENTIFIERS = ("gender", "website", "email", "phone", "additional sanctions", "secondary")


def us_date(text: str) -> str | None:
    """OFAC publishes its own dates month first: 06/14/2024."""
    month, _, rest = text.partition("/")
    day, _, year = rest.partition("/")
    if not (month.isdigit() and day.isdigit() and year.isdigit()):
        return None
    found = parse_date(f"{year}-{month}-{day}")
    return found[0] if found else None


def full_name(node: Node) -> str:
    return " ".join(p for p in (node.get("firstName"), node.get("lastName")) if p)


def _identifiers(entry: Node) -> tuple[list[str], str | None]:
    found, sex = [], None
    for item in entry.findall("idList/id"):
        kind, number = item.get("idType").lower(), item.get("idNumber")
        if kind == "gender":
            sex = gender(number)
        elif any(ch.isdigit() for ch in number) and not any(w in kind for w in NOT_IDENTIFIERS):
            found.append(number)
    return found, sex


def parse_entry(entry: Node, prefix: str) -> Entity:
    uid = entry.get("uid")
    if not uid:
        raise entry.fail("an entry without <uid>")
    if not entry.get("lastName"):
        raise entry.fail(f"entry {uid} has no <lastName>")
    kind = entry.get("sdnType").lower()
    if kind not in SCHEMAS:
        raise entry.fail(f"entry {uid} has an unknown <sdnType> {entry.get('sdnType')!r}")
    names = [full_name(entry)] + [full_name(aka) for aka in entry.findall("akaList/aka")]
    countries = [
        *entry.texts("nationalityList/nationality/country"),
        *entry.texts("citizenshipList/citizenship/country"),
        *entry.texts("addressList/address/country"),
    ]
    born = entry.texts("dateOfBirthList/dateOfBirthItem/dateOfBirth")
    dates = [d for text in born for d in parse_date(text)]
    identifiers, sex = _identifiers(entry)
    return make_entity(
        id=f"{prefix}-{uid}",
        schema=SCHEMAS[kind],
        names=names,
        birth_dates=dates,
        countries=[c for c in (country_code(x) for x in countries) if c],
        identifiers=identifiers,
        gender=sex,
        topics=["sanction"],
        details={
            "programs": ", ".join(entry.texts("programList/program")),
            "title": entry.get("title"),
            "remarks": entry.get("remarks"),
        },
    )


def parse(source: BinaryIO, kind: str, progress: Progress | None = None) -> ParsedList:
    parsed = ParsedList(source=kind)
    prefix = "ofac" if kind == "ofac_sdn" else "ofac-cons"

    def on_record(node: Node) -> None:
        if node.tag == "publshInformation":
            parsed.published = us_date(node.get("Publish_Date"))
        else:
            parsed.entities.append(parse_entry(node, prefix))

    read_xml(source, {"sdnEntry", "publshInformation"}, on_record, progress)
    if not parsed.entities:
        raise ListFormatError("no <sdnEntry> found: is this an OFAC XML list?")
    return parsed
