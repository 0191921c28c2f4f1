"""FollowTheMoney entities as JSON lines (the format of OpenSanctions exports): one
`{"id", "schema", "properties": {...}}` per line. Only the schemas that can be screened
are kept (persons, organisations, companies, vessels, aircraft); the others (sanction,
address, ownership...) are skipped."""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from followthemoney import model

from openkyc.checks.aml.entity import Entity, make_entity
from openkyc.checks.aml.lists.base import MAX_FIELD, ListFormatError, ParsedList, Progress
from openkyc.checks.aml.values import country_code, gender

NAMES = ("name", "alias", "previousName", "weakAlias")
COUNTRIES = ("nationality", "citizenship", "country", "jurisdiction")
IDENTIFIERS = (
    "passportNumber",
    "idNumber",
    "registrationNumber",
    "taxNumber",
    "innCode",
    "ogrnCode",
    "leiCode",
    "imoNumber",
    "swiftBic",
)
MAX_LINE = 10_000_000


def _schema(name: Any) -> str | None:
    """Our schema for a FollowTheMoney one; None when it is not screened."""
    schema = model.get(name) if isinstance(name, str) else None
    if schema is None:
        raise ValueError(f"unknown schema {name!r}")
    for ours in ("Person", "Vessel", "Airplane", "Company", "Organization", "LegalEntity"):
        if schema.is_a(ours):
            return ours
    return None


def _values(props: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for key in keys:
        values = props.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ValueError(f"property {key!r} must be a list of strings")
        found += [v for v in values if len(v) <= MAX_FIELD]
    return found


def parse_line(data: Any) -> Entity | None:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        raise ValueError("an entity needs a string id")
    schema = _schema(data.get("schema"))
    props = data.get("properties") or {}
    if not isinstance(props, dict):
        raise ValueError("properties must be an object")
    if schema is None:
        return None
    names = _values(props, NAMES)
    if not names:
        names = [" ".join(_values(props, ("firstName", "middleName", "lastName")))]
    countries = [c for c in (country_code(x) for x in _values(props, COUNTRIES)) if c]
    genders = _values(props, ("gender",))
    return make_entity(
        id=data["id"],
        schema=schema,
        names=names,
        birth_dates=_values(props, ("birthDate",)),
        countries=countries,
        identifiers=_values(props, IDENTIFIERS),
        gender=gender(genders[0]) if genders else None,
        topics=_values(props, ("topics",)),
        details={
            "datasets": ", ".join(str(d) for d in data.get("datasets") or []),
            "notes": "; ".join(_values(props, ("notes",)))[:MAX_FIELD],
        },
    )


def parse(source: BinaryIO, kind: str, progress: Progress | None = None) -> ParsedList:
    parsed = ParsedList(source=kind)
    read = 0
    for number, raw in enumerate(iter(lambda: source.readline(MAX_LINE + 1), b""), 1):
        read += len(raw)
        if len(raw) > MAX_LINE:
            raise ListFormatError(f"line {number}: longer than {MAX_LINE} bytes")
        if not raw.strip():
            continue
        try:
            entity = parse_line(json.loads(raw))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ListFormatError(f"line {number}: {exc}") from None
        if entity is not None and entity.names and entity.names[0]:
            parsed.entities.append(entity)
        if progress is not None and number % 1000 == 0:
            progress(read)
    if not parsed.entities:
        raise ListFormatError("no person, organisation, company or vessel entity found")
    return parsed
