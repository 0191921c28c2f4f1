"""The EU financial sanctions consolidated list XML (FSF export): `<export
generationDate>` of `<sanctionEntity>` with `<subjectType code>`, `<nameAlias>`,
`<birthdate>`, `<citizenship>`, `<identification>` and `<address>`, values in attributes."""

from __future__ import annotations

from typing import BinaryIO

from openkyc.checks.aml.entity import Entity, make_entity
from openkyc.checks.aml.lists.base import ListFormatError, Node, ParsedList, Progress, read_xml
from openkyc.checks.aml.values import country_code, gender, parse_date

SCHEMAS = {"person": "Person", "enterprise": "Organization"}


def _name(alias: Node) -> str:
    whole = alias.attrs.get("wholeName", "").strip()
    if whole:
        return whole
    parts = (alias.attrs.get(k, "") for k in ("firstName", "middleName", "lastName"))
    return " ".join(p.strip() for p in parts if p.strip())


def _dates(record: Node) -> list[str]:
    found: list[str] = []
    for item in record.findall("birthdate"):
        attrs = item.attrs
        if attrs.get("birthdate"):
            found += parse_date(attrs["birthdate"])
        elif attrs.get("year"):
            month = attrs.get("monthOfYear", "")
            text = f"{attrs['year']}-{int(month):02d}" if month.isdigit() else attrs["year"]
            found += parse_date(text)
    return found


def parse_record(record: Node) -> Entity:
    logical = record.attrs.get("logicalId", "").strip()
    if not logical:
        raise record.fail("a <sanctionEntity> without logicalId")
    subject = record.find("subjectType")
    code = subject.attrs.get("code", "") if subject is not None else ""
    if code not in SCHEMAS:
        raise record.fail(f"entity {logical}: unknown or missing <subjectType code> {code!r}")
    aliases = record.findall("nameAlias")
    names = [n for n in (_name(a) for a in aliases) if n]
    if not names:
        raise record.fail(f"entity {logical} has no <nameAlias> with a name")
    countries = [
        tag.attrs.get("countryIso2Code", "")
        for tag in record.findall("citizenship") + record.findall("address")
    ]
    genders = [a.attrs.get("gender", "") for a in aliases if a.attrs.get("gender")]
    return make_entity(
        id=f"eu-{logical}",
        schema=SCHEMAS[code],
        names=names,
        birth_dates=_dates(record),
        countries=[c for c in (country_code(x) for x in countries if x != "00") if c],
        identifiers=[i.attrs.get("number", "") for i in record.findall("identification")],
        gender=gender(genders[0]) if genders else None,
        topics=["sanction"],
        details={
            "reference": record.attrs.get("euReferenceNumber", ""),
            "un_reference": record.attrs.get("unitedNationId", ""),
            "remarks": record.get("remark"),
        },
    )


def parse(source: BinaryIO, kind: str, progress: Progress | None = None) -> ParsedList:
    parsed = ParsedList(source=kind)
    root = read_xml(
        source,
        {"sanctionEntity"},
        lambda node: parsed.entities.append(parse_record(node)),
        progress,
    )
    generated = parse_date(root.get("generationDate", ""))
    parsed.published = generated[0] if generated else None
    if not parsed.entities:
        raise ListFormatError("no <sanctionEntity> found: is this the EU consolidated XML?")
    return parsed
