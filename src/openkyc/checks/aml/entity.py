"""A listed entity in FollowTheMoney's spirit: what every list format is parsed into.

Names are kept as written (any script); dates are ISO prefixes (`1961`, `1961-06`,
`1961-06-12`); countries are ISO-3166 alpha-2 lower case, as in FollowTheMoney.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

# FollowTheMoney schemas we screen against; anything else in a list is skipped.
PERSON = "Person"
SCHEMAS = ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane")
GENDERS = ("male", "female", "other")

# FollowTheMoney topics -> the Synaps hit `type` vocabulary.
HIT_TYPES = {
    "sanction": "SANCTION",
    "sanction.linked": "SANCTION",
    "sanction.counter": "SANCTION",
    "debarment": "SANCTION",
    "role.pep": "PEP",
    "role.rca": "PEP",
    "poi": "WARNING",
    "crime": "WARNING",
    "wanted": "WARNING",
    "blocklist": "BLOCKLIST",
}


@dataclass(frozen=True)
class Entity:
    id: str
    schema: str
    names: tuple[str, ...]  # the first one is the caption
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    gender: str | None = None
    topics: tuple[str, ...] = ()
    # Facts shown to a reviewer as they are (programme, listing date, remarks...).
    details: dict[str, str] = field(default_factory=dict)

    @property
    def caption(self) -> str:
        return self.names[0] if self.names else self.id

    @property
    def is_person(self) -> bool:
        return self.schema == PERSON

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=str(data["id"]),
            schema=str(data["schema"]),
            names=tuple(data.get("names") or ()),
            birth_dates=tuple(data.get("birth_dates") or ()),
            countries=tuple(data.get("countries") or ()),
            identifiers=tuple(data.get("identifiers") or ()),
            gender=data.get("gender"),
            topics=tuple(data.get("topics") or ()),
            details=dict(data.get("details") or {}),
        )

    def fingerprint(self) -> str:
        """Changes whenever anything a match or a reviewer looks at changes."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    def hit_types(self) -> list[str]:
        found = {HIT_TYPES[t] for t in self.topics if t in HIT_TYPES}
        return sorted(found) or ["SANCTION"]


def unique(values: Any) -> tuple[str, ...]:
    """Keep the first occurrence of each non-empty, stripped value, in order."""
    seen: dict[str, None] = {}
    for value in values:
        text = " ".join(str(value).split()) if value is not None else ""
        if text and text not in seen:
            seen[text] = None
    return tuple(seen)


def make_entity(
    id: str,
    schema: str,
    names: Any,
    birth_dates: Any = (),
    countries: Any = (),
    identifiers: Any = (),
    gender: str | None = None,
    topics: Any = (),
    details: dict[str, str] | None = None,
) -> Entity:
    """Build an entity with cleaned, de-duplicated values."""
    return Entity(
        id=id,
        schema=schema if schema in SCHEMAS else "LegalEntity",
        names=unique(names),
        birth_dates=unique(birth_dates),
        countries=unique(c.lower() for c in countries if c),
        identifiers=unique(identifiers),
        gender=gender if gender in GENDERS else None,
        topics=unique(topics),
        details={k: v for k, v in (details or {}).items() if v},
    )
