"""An app's own blocklist as a simple CSV with a header row:

    id,schema,name,aliases,birth_date,country,identifiers,gender,reason

Only `name` is required; `aliases` and `identifiers` hold several values separated by
";"; `schema` is Person (the default), Company, Organization, LegalEntity or Vessel;
`birth_date` is an ISO date or a prefix of one (1961, 1961-06).
"""

from __future__ import annotations

from pathlib import Path

from openkyc.checks.aml.entity import SCHEMAS, Entity, make_entity
from openkyc.checks.aml.lists.base import ListFormatError, ParsedList, Progress, decode, read_csv
from openkyc.checks.aml.values import country_code, gender, parse_date

COLUMNS = (
    "id",
    "schema",
    "name",
    "aliases",
    "birth_date",
    "country",
    "identifiers",
    "gender",
    "reason",
)


def _several(value: str) -> list[str]:
    return [v.strip() for v in value.split(";") if v.strip()]


def _entity(cell: dict[str, str], where: str, line: int) -> Entity:
    schema = cell.get("schema") or "Person"
    if not cell["name"]:
        raise ListFormatError(f"{where}: an empty name")
    if schema not in SCHEMAS:
        raise ListFormatError(f"{where}: unknown schema {schema!r}")
    date = cell.get("birth_date", "")
    dates = parse_date(date)
    if date and not dates:
        raise ListFormatError(f"{where}: unreadable birth_date {date!r}")
    return make_entity(
        id=f"block-{cell.get('id') or line}",
        schema=schema,
        names=[cell["name"], *_several(cell.get("aliases", ""))],
        birth_dates=dates,
        countries=[c for c in map(country_code, _several(cell.get("country", ""))) if c],
        identifiers=_several(cell.get("identifiers", "")),
        gender=gender(cell.get("gender")),
        topics=["blocklist"],
        details={"reason": cell.get("reason", "")},
    )


def parse(path: Path, kind: str, progress: Progress | None = None) -> ParsedList:
    rows = read_csv(decode(path.read_bytes(), path.name), path.name)
    first = next(rows, None)
    if first is None:
        raise ListFormatError(f"{path.name}: empty file")
    header = [c.lower() for c in first[1]]
    unknown = [c for c in header if c not in COLUMNS]
    if "name" not in header or unknown:
        raise ListFormatError(
            f"{path.name} line 1: the header needs 'name' and may hold {', '.join(COLUMNS)}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else "")
        )
    parsed = ParsedList(source=kind)
    for line, row in rows:
        if not any(row):
            continue
        if len(row) != len(header):
            expected = len(header)
            raise ListFormatError(
                f"{path.name} line {line}: {len(row)} fields, {expected} expected"
            )
        cell = dict(zip(header, row, strict=True))
        parsed.entities.append(_entity(cell, f"{path.name} line {line}", line))
    if progress is not None:
        progress(path.stat().st_size)
    if not parsed.entities:
        raise ListFormatError(f"{path.name}: no entries")
    return parsed
