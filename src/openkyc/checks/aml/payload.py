"""A screening result as the AML payload shows it (seed 000's hit shape), and the
reviewer's side: score, lists and the per-feature explanation."""

from __future__ import annotations

from typing import Any

from rigour.territories import get_territory

from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.match import Match

SHOWN_DETAILS = ("programs", "reference", "listed_on", "reason", "title", "datasets")


def country_name(code: str) -> str:
    territory = get_territory(code)
    return territory.name if territory is not None else code.upper()


def synaps_hit(entity: Entity, match: Match) -> dict[str, Any]:
    """{fields, aliases, media, info{full_name, birth_date, nationality}, type[]}."""
    fields = [{"name": "score", "value": f"{match.score:.2f}"}]
    fields += [{"name": "list", "value": entity.details.get("dataset", "")}]
    fields += [
        {"name": k, "value": entity.details[k]} for k in SHOWN_DETAILS if entity.details.get(k)
    ]
    if entity.identifiers:
        fields.append({"name": "identifiers", "value": ", ".join(entity.identifiers)})
    return {
        "fields": fields,
        "aliases": list(entity.names),
        "media": [],
        "info": {
            "full_name": entity.caption,
            "birth_date": entity.birth_dates[0] if entity.birth_dates else "N/A",
            "nationality": ", ".join(country_name(c) for c in entity.countries) or "N/A",
        },
        "type": entity.hit_types(),
    }


def explained_hit(entity: Entity, match: Match) -> dict[str, Any]:
    """The Synaps shape plus what a reviewer or another dialect needs."""
    return {
        **synaps_hit(entity, match),
        "entity_id": entity.id,
        "dataset": entity.details.get("dataset", ""),
        "datasets": [entity.details.get("dataset", "")],
        "schema": entity.schema,
        "score": match.score,
        "features": match.features,
    }
