"""Ongoing monitoring: when a list version adds or changes entities, screen only those
against the applicants under monitoring (approved AML steps of apps that asked for it).

The applicants are indexed in memory for the run (the reverse index: each changed entity
is a query against them), candidates are scored in the usual direction (applicant
against entity), and each new hit raises an Alert, updates the AML step's evidence, is
logged and sent to the app's webhooks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openkyc.checks.aml.check import settings_of
from openkyc.checks.aml.entity import Entity
from openkyc.checks.aml.index import ScreeningIndex
from openkyc.checks.aml.match import Query, compatible, score
from openkyc.checks.aml.text import NameForm, analyze
from openkyc.domain.aml import repository as repo
from openkyc.domain.aml import service
from openkyc.domain.aml.review import sync_evidence
from openkyc.domain.aml.steps import aml_settings, subject_query
from openkyc.domain.context import Ctx
from openkyc.domain.event import service as events
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.webhook import service as webhooks
from openkyc.kit.ids import new_numeric_id
from openkyc.models import App
from openkyc.models.aml import Alert, ListVersion

REASON = "AML_MONITORING_HIT"


@dataclass
class Report:
    screened: int = 0
    monitored: int = 0
    alerts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Subject:
    where: dict[str, str]  # app_id, applicant_id, session_id, step_id
    query: Query
    threshold: float
    forms: tuple[NameForm, ...]


def _forms(data: dict[str, Any], query: Query) -> tuple[NameForm, ...]:
    kept = data.get("forms") or []
    if len(kept) == len(query.names):
        return tuple(NameForm.from_json(f) for f in kept)
    return tuple(analyze(name, query.is_person) for name in query.names)


def _subjects(ctx: Ctx, scope: str) -> list[Subject]:
    apps: dict[str, dict[str, Any]] = {}
    found = []
    for where, blob, step_settings in repo.monitored_approved(ctx.db, [scope] if scope else None):
        app_id = where["app_id"]
        if app_id not in apps:
            apps[app_id] = aml_settings(ctx.db.get(App, app_id))
        settings = settings_of(apps[app_id], step_settings or {})
        if settings["monitoring"]:
            data = ctx.ports.crypto.decrypt_json(blob) or {}
            query = subject_query(data)
            found.append(Subject(where, query, settings["threshold"], _forms(data, query)))
    return found


def _as_entity(position: int, subject: Subject) -> tuple[Entity, tuple[NameForm, ...]]:
    q = subject.query
    entity = Entity(
        str(position), q.schema, q.names, q.birth_dates, q.countries, q.identifiers, q.gender
    )
    return entity, subject.forms


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
    steps = {a.step_id: steps_repo.get(ctx.db, a.app_id, a.step_id) for a in alerts}
    for step in steps.values():
        assert step is not None  # foreign key
        sync_evidence(ctx, step)
    for alert in alerts:
        data = {"alert_id": alert.id, "hit_id": alert.hit_id, "list_version_id": version.id}
        events.record(ctx, alert.app_id, alert.session_id, "aml.alert", alert.step_id, data)
        status = steps[alert.step_id].status  # type: ignore[union-attr]
        webhooks.notify(ctx, alert.app_id, alert.session_id, alert.step_id, status, REASON)
    return [a.id for a in alerts]


def _screen(
    ctx: Ctx, entity: Entity, index: ScreeningIndex, subjects: list[Subject]
) -> list[tuple[Subject, str]]:
    """New hits of one changed entity among the monitored applicants."""
    query = Query(
        entity.schema,
        entity.names,
        entity.birth_dates,
        entity.countries,
        entity.identifiers,
        entity.gender,
    )
    found = []
    for position in index.candidates(query):
        subject = subjects[position]
        if not compatible(subject.query.schema, entity.schema):
            continue
        # Scored as in screening (applicant against entity); words common among the
        # monitored applicants weigh less.
        match = score(subject.query, entity, index.commonness)
        if match.score >= subject.threshold:
            hit, news = service.keep_hit(ctx, subject.where, entity, match, "monitoring")
            if hit is not None and news:
                found.append((subject, hit.id))
    return found


def run(ctx: Ctx, version: ListVersion, entities: Sequence[Entity]) -> Report:
    """Screen `entities` (added or changed by `version`) against monitored applicants."""
    report = Report(screened=len(entities))
    if not entities:
        return report
    subjects = _subjects(ctx, version.scope)
    report.monitored = len(subjects)
    if not subjects:
        return report
    index = ScreeningIndex.build(_as_entity(i, s) for i, s in enumerate(subjects))
    found: list[tuple[Subject, str]] = []
    with ctx.db.no_autoflush:  # hits are written once, at the end
        for entity in entities:
            found += _screen(ctx, entity, index, subjects)
    report.alerts = _raise_alerts(ctx, found, version) if found else []
    return report
