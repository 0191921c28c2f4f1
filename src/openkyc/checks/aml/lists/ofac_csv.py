"""OFAC's lists as the CSV trio: sdn.csv (or cons_prim.csv) with its alt.csv and add.csv
(cons_alt.csv, cons_add.csv) beside it. No header; "-0-" means empty; an individual's
name is written "LAST, First"; birth dates, nationalities and ids live in the remarks."""

from __future__ import annotations

import re
from pathlib import Path

from openkyc.checks.aml.entity import make_entity
from openkyc.checks.aml.lists.base import ListFormatError, ParsedList, Progress, decode, read_csv
from openkyc.checks.aml.values import country_code, gender, parse_date

NULL = "-0-"
SCHEMAS = {"individual": "Person", "": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}
COMPANIONS = {"sdn.csv": ("alt.csv", "add.csv"), "cons_prim.csv": ("cons_alt.csv", "cons_add.csv")}
_ID = re.compile(
    r"^(passport|national id no\.?|cedula no\.?|tax id no\.?|registration id|"
    r"identification number|ssn|nit #|ruc #|d\.n\.i\.|c\.u\.r\.p\.|"
    r"vessel registration identification)\s+(?:imo\s+)?(\S+)",
    re.I,
)


def _value(cell: str) -> str:
    cell = cell.strip()
    return "" if cell == NULL else cell


def person_name(raw: str) -> str:
    last, sep, first = raw.partition(",")
    return f"{first.strip()} {last.strip()}" if sep else raw


def _rows(path: Path, width: int) -> list[tuple[int, list[str]]]:
    rows = []
    for line, row in read_csv(decode(path.read_bytes(), path.name), path.name):
        if not row or row == ["\x1a"] or not "".join(row).strip("\x1a "):
            continue
        if len(row) < width:
            raise ListFormatError(f"{path.name} line {line}: {len(row)} columns, {width} expected")
        if not row[0].strip().isdigit():
            raise ListFormatError(f"{path.name} line {line}: ent_num {row[0]!r} is not a number")
        rows.append((line, [_value(c) for c in row]))
    return rows


def remarks_facts(remarks: str) -> dict[str, list[str]]:
    """DOB, nationality, citizenship, ids and gender from the remarks column."""
    facts: dict[str, list[str]] = {"dates": [], "countries": [], "ids": [], "gender": []}
    for part in remarks.rstrip(".").split(";"):
        part = part.strip()
        low = part.lower()
        if low.startswith("dob "):
            facts["dates"] += parse_date(part[4:])
        elif low.startswith(("nationality ", "citizen ")):
            facts["countries"].append(part.split(" ", 1)[1])
        elif low.startswith("gender "):
            facts["gender"].append(part[7:])
        elif m := _ID.match(part):
            facts["ids"].append(m[2].rstrip(",;"))
    return facts


def companions(path: Path) -> tuple[Path, Path, Path]:
    main = path / "sdn.csv" if path.is_dir() else path
    if path.is_dir() and not main.exists():
        main = path / "cons_prim.csv"
    alt_name, add_name = COMPANIONS.get(main.name.lower(), ("alt.csv", "add.csv"))
    alt, add = main.with_name(alt_name), main.with_name(add_name)
    for needed in (main, alt, add):
        if not needed.is_file():
            raise ListFormatError(f"{needed.name} not found beside {main.name}")
    return main, alt, add


def parse(path: Path, kind: str, progress: Progress | None = None) -> ParsedList:
    main, alt, add = companions(path)
    aliases: dict[str, list[str]] = {}
    for _, row in _rows(alt, 4):
        aliases.setdefault(row[0], []).append(row[3])
    places: dict[str, list[str]] = {}
    for _, row in _rows(add, 5):
        places.setdefault(row[0], []).append(row[4])
    parsed = ParsedList(source=kind)
    prefix = "ofac" if kind.startswith("ofac_sdn") else "ofac-cons"
    for line, row in _rows(main, 12):
        num, name, kind_raw = row[0], row[1], row[2].lower()
        if not name:
            raise ListFormatError(f"{main.name} line {line}: entry {num} has no name")
        if kind_raw not in SCHEMAS:
            raise ListFormatError(f"{main.name} line {line}: unknown SDN_Type {row[2]!r}")
        schema = SCHEMAS[kind_raw]
        fix = person_name if schema == "Person" else (lambda n: n)
        facts = remarks_facts(row[11])
        countries = facts["countries"] + places.get(num, [])
        parsed.entities.append(
            make_entity(
                id=f"{prefix}-{num}",
                schema=schema,
                names=[fix(name)] + [fix(a) for a in aliases.get(num, [])],
                birth_dates=facts["dates"],
                countries=[c for c in (country_code(x) for x in countries) if c],
                identifiers=facts["ids"],
                gender=gender(facts["gender"][0]) if facts["gender"] else None,
                topics=["sanction"],
                details={"programs": row[3], "title": row[4], "remarks": row[11]},
            )
        )
    if progress is not None:
        progress(main.stat().st_size)
    return parsed
