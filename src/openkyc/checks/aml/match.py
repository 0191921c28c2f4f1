"""Scoring a screened subject against a listed entity, with the per-feature explanation.

The best name pair gives the base score; the other features then support or contradict
it: birth date, country, gender, legal form. An identifier (passport, ID number,
registration number) shared by both is strong evidence on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openkyc.checks.aml.common import builtin_commonness
from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.names import Commonness, NameScore, compare_names
from openkyc.checks.aml.text import NameForm, analyze
from openkyc.checks.aml.values import identifier_key

# At or above this score a candidate is a hit that needs a decision (see docs/aml.md).
THRESHOLD = 0.70

DOB_EXACT = 0.05
DOB_MONTH = 0.02
DOB_SWAPPED = -0.05  # day and month swapped: a clerical error as often as another person
DOB_NEAR = -0.1  # one year apart
DOB_SAME_YEAR = -0.15  # same year, another day
# Enough to sink a name of common words ("John Smith"), not a rare name written alike.
DOB_CONFLICT = -0.25
COUNTRY_MATCH = 0.03
COUNTRY_CONFLICT = -0.1
GENDER_CONFLICT = -0.15
LEGAL_CONFLICT = -0.05
IDENTIFIER_STRONG = 0.95
IDENTIFIER_WEAK_NAME = 0.85
ORG_SCHEMAS = {"Company", "Organization", "LegalEntity"}


@dataclass(frozen=True)
class Query:
    """What is screened: an applicant or a business, as one entity-like record."""

    schema: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    gender: str | None = None
    # Words of the family name when the source gives it apart (an ID document's lastname)
    family: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_person(self) -> bool:
        return self.schema == "Person"


@dataclass(frozen=True)
class Match:
    score: float
    features: dict[str, dict[str, Any]]

    @property
    def is_hit(self) -> bool:
        return self.score >= THRESHOLD


def compatible(query_schema: str, entity_schema: str) -> bool:
    if query_schema == entity_schema or "LegalEntity" in (query_schema, entity_schema):
        return entity_schema not in ("Vessel", "Airplane") or query_schema == entity_schema
    return query_schema in ORG_SCHEMAS and entity_schema in ORG_SCHEMAS


def best_name(
    query: Query, forms: Iterable[NameForm], person: bool, commonness: Commonness
) -> tuple[NameScore, NameForm | None, NameForm | None]:
    best: tuple[NameScore, NameForm | None, NameForm | None] = (NameScore(0.0, (), 0.0), None, None)
    for q in query.names:
        qf = analyze(q, person)
        for cf in forms:
            result = compare_names(qf, cf, commonness, person, query.family)
            if result.score > best[0].score:
                best = (result, qf, cf)
    return best


def compare_dates(query: Iterable[str], entity: Iterable[str]) -> tuple[float, str] | None:
    """The most favourable reading over every pair of dates; None without data."""
    results = [_date_pair(q, e) for q in query for e in entity]
    return max(results) if results else None


def _date_pair(q: str, e: str) -> tuple[float, str]:
    size = min(len(q), len(e))
    if q[:size] == e[:size]:
        if size >= 10:
            return DOB_EXACT, f"{q} = {e}"
        return (DOB_MONTH if size >= 7 else 0.0), f"{q} agrees with {e}"
    yq, ye = int(q[:4]), int(e[:4])
    if yq == ye and size >= 10 and q[5:7] == e[8:10] and q[8:10] == e[5:7]:
        return DOB_SWAPPED, f"{q} ~ {e} (day and month swapped)"
    if yq == ye:
        return DOB_SAME_YEAR, f"{q} != {e} (same year)"
    if abs(yq - ye) == 1:
        return DOB_NEAR, f"{q} != {e} (one year apart)"
    return DOB_CONFLICT, f"{q} != {e}"


def _countries(query: Query, entity: Entity) -> tuple[float, str] | None:
    if not query.countries or not entity.countries:
        return None
    shared = set(query.countries) & set(entity.countries)
    if shared:
        return COUNTRY_MATCH, f"shared {', '.join(sorted(shared))}"
    listed = ", ".join(entity.countries)
    return COUNTRY_CONFLICT, f"{', '.join(query.countries)} not in {listed}"


def _identifiers(query: Query, entity: Entity) -> str | None:
    mine = {identifier_key(i) for i in query.identifiers}
    for value in entity.identifiers:
        key = identifier_key(value)
        if len(key) >= 5 and key in mine:
            return value
    return None


def _qualifiers(query: Query, entity: Entity, person: bool) -> dict[str, dict[str, Any]]:
    features: dict[str, dict[str, Any]] = {}
    if person and (dates := compare_dates(query.birth_dates, entity.birth_dates)):
        features["birth_date"] = {"score": dates[0], "detail": dates[1]}
    if countries := _countries(query, entity):
        features["country"] = {"score": countries[0], "detail": countries[1]}
    if person and query.gender and entity.gender and query.gender != entity.gender:
        detail = f"{query.gender} != {entity.gender}"
        features["gender"] = {"score": GENDER_CONFLICT, "detail": detail}
    return features


def score(query: Query, entity: Entity, commonness: Commonness = builtin_commonness) -> Match:
    """The match of one subject against one entity, explained feature by feature."""
    person = query.is_person and entity.is_person
    forms = [analyze(name, person) for name in entity.names]
    return score_forms(query, entity, forms, commonness)


def score_forms(
    query: Query,
    entity: Entity,
    forms: Sequence[NameForm],
    commonness: Commonness,
    explain: bool = True,
) -> Match:
    """`score` with the entity's names analysed already (the index keeps them); without
    `explain` the name's detail is left out (the index explains only its hits)."""
    if not compatible(query.schema, entity.schema):
        detail = f"{query.schema} vs {entity.schema}"
        return Match(0.0, {"schema": {"score": 0.0, "detail": detail}})
    person = query.is_person and entity.is_person
    if person != entity.is_person:  # the index analysed them as the entity's own schema
        forms = [analyze(name, person) for name in entity.names]
    name, q_form, e_form = best_name(query, forms, person, commonness)
    if q_form is None or e_form is None:
        return Match(0.0, {"name": {"score": 0.0, "detail": "no comparable name"}})
    detail = f"{q_form.original!r} ~ {e_form.original!r}: {name.describe()}" if explain else ""
    features: dict[str, dict[str, Any]] = {"name": {"score": name.score, "detail": detail}}
    if not person and q_form.legal and e_form.legal and not set(q_form.legal) & set(e_form.legal):
        detail = f"{'/'.join(q_form.legal)} vs {'/'.join(e_form.legal)}"
        features["legal_form"] = {"score": LEGAL_CONFLICT, "detail": detail}
    features.update(_qualifiers(query, entity, person))
    total = name.score + sum(f["score"] for k, f in features.items() if k != "name")
    if shared := _identifiers(query, entity):
        floor = IDENTIFIER_STRONG if name.score >= 0.5 else IDENTIFIER_WEAK_NAME
        features["identifier"] = {"score": floor, "detail": f"shared identifier {shared}"}
        total = max(total, floor)
    return Match(round(min(max(total, 0.0), 1.0), 4), features)


def score_names(name1: str, name2: str, schema: str = "Person") -> float:
    """Two names alone, as `openkyc aml score` compares them: `score` of two records that
    hold nothing but a name, without building them."""
    person = schema == "Person"
    q, c = analyze(name1, person), analyze(name2, person)
    total = compare_names(q, c, builtin_commonness, person).score
    if not person and q.legal and c.legal and not set(q.legal) & set(c.legal):
        total += LEGAL_CONFLICT
    return round(min(max(total, 0.0), 1.0), 4)
