"""The UK Sanctions List (FCDO), XML and CSV.

XML: `<Designations>` of `<Designation>` with UniqueID, IndividualEntityShip, Names/Name
(Name1..Name5 given names, Name6 family name, NameType), NonLatinNames, and Individual,
Entity or Ship details (DOBs dd/mm/yyyy with 00 for unknown parts, Nationalities,
PassportDetails, NationalIdentifierDetails, Genders, registration and IMO numbers).
CSV: one row per name, grouped by Unique ID (or the older OFSI Group ID), found by
column title; a "Report Date" line before the titles is allowed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from openkyc.checks.aml.entity import Entity, make_entity
from openkyc.checks.aml.lists.base import (
    ListFormatError,
    Node,
    ParsedList,
    Progress,
    decode,
    read_csv,
    read_xml,
)
from openkyc.checks.aml.values import country_code, gender, parse_date

SCHEMAS = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
GIVEN = ("Name1", "Name2", "Name3", "Name4", "Name5")


def _full_name(name: Node) -> str:
    return " ".join(p for p in [*(name.get(t) for t in GIVEN), name.get("Name6")] if p)


def _details(record: Node) -> Node | None:
    for path in ("IndividualDetails/Individual", "EntityDetails/Entity", "ShipDetails/Ship"):
        found = record.findall(path)
        if found:
            return found[0]
    return None


def parse_designation(record: Node) -> Entity:
    uid = record.get("UniqueID")
    if not uid:
        raise record.fail("a <Designation> without <UniqueID>")
    kind = record.get("IndividualEntityShip").lower()
    if kind not in SCHEMAS:
        raise record.fail(f"{uid}: unknown <IndividualEntityShip> {kind!r}")
    names = [n for n in (_full_name(x) for x in record.findall("Names/Name")) if n]
    if not names:
        raise record.fail(f"{uid} has no <Name>")
    names += record.texts("NonLatinNames/NonLatinName/NameNonLatinScript")
    more = _details(record)
    dates, countries, numbers, sex = [], record.texts("Addresses/Address/AddressCountry"), [], None
    if more is not None:
        dates = [d for t in more.texts("DOBs/DOB") for d in parse_date(t)]
        countries += more.texts("Nationalities/Nationality")
        numbers = [
            *more.texts("PassportDetails/PassportDetail/PassportNumber"),
            *more.texts("NationalIdentifierDetails/NationalIdentifier/NationalIdentifierNumber"),
            *more.texts("BusinessRegistrationNumbers/BusinessRegistrationNumber"),
            *more.texts("IMONumbers/IMONumber"),
        ]
        genders = more.texts("Genders/Gender")
        sex = gender(genders[0]) if genders else None
    return make_entity(
        id=f"uk-{uid}",
        schema=SCHEMAS[kind],
        names=names,
        birth_dates=dates,
        countries=[c for c in (country_code(x) for x in countries) if c],
        identifiers=numbers,
        gender=sex,
        topics=["sanction"],
        details={"programs": record.get("RegimeName"), "listed_on": record.get("DateDesignated")},
    )


def parse_xml(source: BinaryIO, kind: str, progress: Progress | None = None) -> ParsedList:
    parsed = ParsedList(source=kind)

    def on_record(node: Node) -> None:
        if node.tag == "DateGenerated":
            found = parse_date(node.text)
            parsed.published = found[0] if found else None
        else:
            parsed.entities.append(parse_designation(node))

    read_xml(source, {"Designation", "DateGenerated"}, on_record, progress)
    if not parsed.entities:
        raise ListFormatError("no <Designation> found: is this the UK sanctions list XML?")
    return parsed


# Column titles, as the current list and the older OFSI export write them.
COLUMNS = {
    "id": ("uniqueid", "groupid"),
    "type": ("designationtype", "grouptype", "individualentityship"),
    "family": ("name6",),
    "dob": ("dob",),
    "nationality": ("nationalityies", "nationality"),
    "passport": ("passportnumber",),
    "national_id": ("nationalidentifiernumber", "nationalidentificationnumber"),
    "gender": ("gender",),
    "country": ("addresscountry", "country"),
    "non_latin": ("namenonlatinscript",),
    "registration": ("businessregistrationnumbers",),
    "imo": ("imonumber",),
    "regime": ("regimename", "regime"),
}


def _key(title: str) -> str:
    return re.sub(r"[^a-z0-9]", "", title.lower())


def _header(rows: list[tuple[int, list[str]]], name: str) -> tuple[int, dict[str, int], list[int]]:
    """The header row (a report-date line may come first), its columns, the given names'."""
    for position, (line, row) in enumerate(rows[:3]):
        keys = {_key(t): i for i, t in enumerate(row)}
        if "name6" not in keys:
            continue
        found = {f: next((keys[k] for k in ks if k in keys), -1) for f, ks in COLUMNS.items()}
        if found["id"] < 0 or found["type"] < 0:
            raise ListFormatError(f"{name} line {line}: no Unique ID or designation type column")
        given = [keys[f"name{n}"] for n in range(1, 6) if f"name{n}" in keys]
        return position, found, given
    raise ListFormatError(f"{name}: no header row with a 'Name 6' column")


def _cell(row: list[str], index: int) -> str:
    return row[index] if 0 <= index < len(row) else ""


def parse_csv(path: Path, kind: str, progress: Progress | None = None) -> ParsedList:
    rows = list(read_csv(decode(path.read_bytes(), path.name), path.name))
    start, col, given = _header(rows, path.name)
    groups: dict[str, dict[str, list[str]]] = {}
    for line, row in rows[start + 1 :]:
        if not any(row):
            continue
        uid, kind_raw = _cell(row, col["id"]), _cell(row, col["type"]).lower()
        if not uid:
            raise ListFormatError(f"{path.name} line {line}: a row without Unique ID")
        if kind_raw not in SCHEMAS:
            raise ListFormatError(f"{path.name} line {line}: unknown designation type {kind_raw!r}")
        group = groups.setdefault(uid, {"type": [kind_raw]})
        name = " ".join(
            p for p in [*(_cell(row, i) for i in given), _cell(row, col["family"])] if p
        )
        if not name:
            raise ListFormatError(f"{path.name} line {line}: {uid} has no name")
        for field, value in [("names", name), *((f, _cell(row, col[f])) for f in COLUMNS)]:
            if value and field not in ("id", "type", "family"):
                group.setdefault(field, []).append(value)
    parsed = ParsedList(source=kind)
    parsed.published = (
        next(iter(parse_date(rows[0][1][0].partition(":")[2])), None) if start else None
    )
    for uid, group in groups.items():
        parsed.entities.append(_group_entity(uid, group))
    if progress is not None:
        progress(path.stat().st_size)
    if not parsed.entities:
        raise ListFormatError(f"{path.name}: no designation rows")
    return parsed


def _group_entity(uid: str, group: dict[str, list[str]]) -> Entity:
    def values(field: str) -> list[str]:
        return [v for cell in group.get(field, []) for v in cell.split("|") if v.strip()]

    countries = values("nationality") + values("country")
    genders = values("gender")
    return make_entity(
        id=f"uk-{uid}",
        schema=SCHEMAS[group["type"][0]],
        names=group["names"] + values("non_latin"),
        birth_dates=[d for t in values("dob") for d in parse_date(t)],
        countries=[c for c in (country_code(x) for x in countries) if c],
        identifiers=values("passport")
        + values("national_id")
        + values("registration")
        + values("imo"),
        gender=gender(genders[0]) if genders else None,
        topics=["sanction"],
        details={"programs": ", ".join(dict.fromkeys(values("regime")))},
    )
