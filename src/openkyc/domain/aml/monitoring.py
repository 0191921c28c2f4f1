"""Ongoing monitoring: when a list version adds or changes entities, screen only those
against the applicants under monitoring (approved AML steps of apps that asked for it).

The reverse index (MonitorKey: keyed hashes of each monitored applicant's name words,
phonetic keys, one-letter deletions, identifiers) gives, for each changed entity, the
applicants sharing at least two of its words (or its only word, or an identifier); only
those are read and scored, in the usual direction (applicant against entity). Each new
hit raises an Alert, updates the AML step's evidence, is logged and sent to the app's
webhooks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openkyc.checks.aml.check import settings_of
from openkyc.checks.aml.common import builtin_commonness
from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.index import COMMON_SHARE
from openkyc.checks.aml.keys import wanted_keys
from openkyc.checks.aml.match import Match, compatible, score_forms
from openkyc.checks.aml.names import Commonness
from openkyc.checks.aml.text import analyze
from openkyc.checks.aml.values import identifier_key
from openkyc.domain.aml import repository as repo
from openkyc.domain.aml import service
from openkyc.domain.aml.review import sync_evidence
from openkyc.domain.aml.steps import aml_settings, hashed_key, subject_query
from openkyc.domain.context import Ctx
from openkyc.domain.event import service as events
from openkyc.domain.webhook import service as webhooks
from openkyc.kit.ids import new_numeric_id
from openkyc.models import App
from openkyc.models.aml import Alert, Hit, ListVersion

REASON = "AML_MONITORING_HIT"
BROAD_SHARE = 0.01  # a key of more applicants than this is read only when needed
MAX_PER_ENTITY = 500  # applicants scored for one changed entity, those sharing most words


@dataclass
class Report:
    screened: int = 0
    candidates: int = 0  # monitored applicants read and scored
    alerts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Subject:
    where: dict[str, str]  # app_id, applicant_id, session_id, step_id
    query: Any  # match.Query
    threshold: float


class _Hashes:
    """The keyed hashes of one run's keys: each key is hashed once, however many entities
    share it."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.known: dict[str, str] = {}

    def __call__(self, key: str) -> str:
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = hashed_key(self.ctx, key)
        return found


def _entity_keys(hashed: _Hashes, entity: Entity) -> list[list[str]]:
    """Per name of the entity, per word, the hashed keys that find applicants; an extra
    group for its identifiers."""
    groups: list[list[str]] = []
    for name in entity.names:
        for keys in wanted_keys(analyze(name, entity.is_person)):
            groups.append([hashed(k) for k in keys])
        groups.append([])  # a name's end: words of two names never pair
    ids = [identifier_key(i) for i in entity.identifiers]
    groups.append([hashed(f"i:{k}") for k in ids if len(k) >= 5])
    return groups


def _needed(groups: list[list[str]], counts: dict[str, int], broad: float) -> set[str]:
    """The keys worth reading for one entity: those held by few applicants, and each
    word as it is when fewer than two words of a name are that rare ("Wang Wei")."""
    needed = set(groups[-1])
    name: list[list[str]] = []
    for keys in groups[:-1]:
        if keys:
            name.append(keys)
            continue
        rare = [[k for k in word if k in counts and counts[k] <= broad] for word in name]
        needed.update(k for word in rare for k in word)
        if sum(1 for word in rare if word) < min(2, len(name)):
            needed.update(word[0] for word in name if word[0] in counts)
        name = []
    return needed


def _candidates(groups: list[list[str]], found: dict[str, list[str]]) -> set[str]:
    """Applicants sharing two words of one name (or its only word), or an identifier; of
    very many, those sharing the most words."""
    shared: Counter[str] = Counter({s: 99 for key in groups[-1] for s in found.get(key, ())})
    name: list[set[str]] = []
    for keys in groups[:-1]:
        if keys:
            name.append({s for key in keys for s in found.get(key, ())})
            continue
        counts = Counter(s for words in name for s in words)
        for step_id, count in counts.items():
            if count >= min(2, len(name)):
                shared[step_id] = max(shared[step_id], count)
        name = []
    return {step_id for step_id, _ in shared.most_common(MAX_PER_ENTITY)}


def _subjects(ctx: Ctx, step_ids: set[str], scope: str) -> dict[str, Subject]:
    apps: dict[str, dict[str, Any]] = {}
    found = {}
    rows = repo.monitored_approved(ctx.db, step_ids, [scope] if scope else None)
    for where, blob, step_settings in rows:
        app_id = where["app_id"]
        if app_id not in apps:
            apps[app_id] = aml_settings(ctx.db.get(App, app_id))
        settings = settings_of(apps[app_id], step_settings or {})
        if settings["monitoring"]:
            query = subject_query(ctx.ports.crypto.decrypt_json(blob) or {})
            found[where["step_id"]] = Subject(where, query, settings["threshold"])
    return found


def _score(
    entities: Sequence[Entity],
    wanted: list[set[str]],
    subjects: dict[str, Subject],
    commonness: Commonness,
) -> list[tuple[Subject, Entity, Match]]:
    """Each entity against its candidates; the explanation is worked out for hits only."""
    found = []
    for entity, steps in zip(entities, wanted, strict=True):
        forms = [analyze(name, entity.is_person) for name in entity.names]
        for step_id in sorted(steps & subjects.keys()):
            subject = subjects[step_id]
            if not compatible(subject.query.schema, entity.schema):
                continue
            match = score_forms(subject.query, entity, forms, commonness, explain=False)
            if match.score >= subject.threshold:
                match = score_forms(subject.query, entity, forms, commonness)
                found.append((subject, entity, match))
    return found


def _keep(ctx: Ctx, matches: list[tuple[Subject, Entity, Match]]) -> list[tuple[Subject, str]]:
    """Store the hits (each applicant's earlier hits read at once, per app); the new ones."""
    known: dict[str, dict[str, list[Hit]]] = {}
    for app_id in {subject.where["app_id"] for subject, _, _ in matches}:
        applicants = {s.where["applicant_id"] for s, _, _ in matches if s.where["app_id"] == app_id}
        known[app_id] = repo.hits_of_applicants(ctx.db, app_id, applicants)
    new: list[tuple[Subject, str]] = []
    with ctx.db.no_autoflush:  # hits are written once, at the end
        for subject, entity, match in matches:
            where = subject.where
            hits = known[where["app_id"]].setdefault(where["applicant_id"], [])
            hit, news = service.keep_hit(ctx, where, entity, match, "monitoring", hits)
            if hit is not None and news:
                new.append((subject, hit.id))
    return new


def _raise_alerts(ctx: Ctx, found: list[tuple[Subject, str]], version: ListVersion) -> list[str]:
    """One alert, event and webhook per new hit; each step's evidence rewritten once."""
    ctx.db.flush()  # the hits first: no ORM relationships order the inserts
    alerts = []
    for subject, hit_id in found:
        where = subject.where
        alert = Alert(
            id=new_numeric_id(14),
            app_id=where["app_id"],
            session_id=where["session_id"],
            step_id=where["step_id"],
            hit_id=hit_id,
            list_version_id=version.id,
            status="open",
            created_at=ctx.now,
            closed_at=None,
        )
        ctx.db.add(alert)
        alerts.append(alert)
    ctx.db.flush()
    for app_id in sorted({a.app_id for a in alerts}):
        mine = [a for a in alerts if a.app_id == app_id]
        steps = repo.steps_of(ctx.db, app_id, {a.step_id for a in mine})
        hits = repo.open_hits_of_steps(ctx.db, app_id, steps.keys())
        # Events and deliveries are inserted together at the next flush, not one by one
        # before each endpoint lookup.
        with ctx.db.no_autoflush:
            for step in steps.values():
                sync_evidence(ctx, step, hits.get(step.id, []))
            for alert in mine:
                data = {"alert_id": alert.id, "hit_id": alert.hit_id, "list_version_id": version.id}
                events.record(ctx, app_id, alert.session_id, "aml.alert", alert.step_id, data)
                status = steps[alert.step_id].status
                webhooks.notify(ctx, app_id, alert.session_id, alert.step_id, status, REASON)
    return [a.id for a in alerts]


def _commonness(
    hashed: _Hashes, entities: Sequence[Entity], counts: dict[str, int], population: int
) -> Commonness:
    """How common each word of the changed entities is among the monitored applicants (the
    reverse index counts them), on top of the built-in list."""
    common_at = max(COMMON_SHARE * max(population, 1), 20.0)
    shares: dict[str, float] = {}
    for entity in entities:
        for name in entity.names:
            for word in analyze(name, entity.is_person).tokens:
                holders = counts.get(hashed(f"d:{word}"), 0)
                shares[word] = min(holders / common_at, 1.0)
    return lambda word: max(builtin_commonness(word), shares.get(word, 0.0))


def run(ctx: Ctx, version: ListVersion, entities: Sequence[Entity]) -> Report:
    """Screen `entities` (added or changed by `version`) against monitored applicants."""
    report = Report(screened=len(entities))
    hashed = _Hashes(ctx)
    groups = [_entity_keys(hashed, e) for e in entities]
    counts = repo.key_counts(ctx.db, (k for g in groups for keys in g for k in keys))
    population = repo.monitored_count(ctx.db)
    broad = max(BROAD_SHARE * population, 200.0)
    found = repo.steps_by_keys(ctx.db, set().union(*(_needed(g, counts, broad) for g in groups)))
    wanted = [_candidates(g, found) for g in groups]
    subjects = _subjects(ctx, set().union(*wanted), version.scope) if found else {}
    report.candidates = len(subjects)
    matches = _score(entities, wanted, subjects, _commonness(hashed, entities, counts, population))
    new = _keep(ctx, matches)
    report.alerts = _raise_alerts(ctx, new, version) if new else []
    return report
