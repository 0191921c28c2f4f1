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
from openkyc.models.aml import Alert, ListVersion, Monitored

REASON = "AML_MONITORING_HIT"


@dataclass
class Report:
    screened: int = 0
    monitored: int = 0
    alerts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Subject:
    row: Monitored
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
    for row, step_settings in repo.monitored_approved(ctx.db, [scope] if scope else None):
        if row.app_id not in apps:
            apps[row.app_id] = aml_settings(ctx.db.get(App, row.app_id))
        settings = settings_of(apps[row.app_id], step_settings or {})
        if settings["monitoring"]:
            data = ctx.ports.crypto.decrypt_json(row.subject) or {}
            query = subject_query(data)
            found.append(Subject(row, query, settings["threshold"], _forms(data, query)))
    return found


def _as_entity(position: int, subject: Subject) -> tuple[Entity, tuple[NameForm, ...]]:
    q = subject.query
    entity = Entity(
        str(position), q.schema, q.names, q.birth_dates, q.countries, q.identifiers, q.gender
    )
    return entity, subject.forms


def _raise_alert(ctx: Ctx, subject: Subject, hit_id: str, version: ListVersion) -> str:
    row = subject.row
    alert = Alert(
        id=new_numeric_id(14),
        app_id=row.app_id,
        session_id=row.session_id,
        step_id=row.step_id,
        hit_id=hit_id,
        list_version_id=version.id,
        status="open",
        created_at=ctx.now,
        closed_at=None,
    )
    ctx.db.add(alert)
    step = steps_repo.get(ctx.db, row.app_id, row.step_id)
    assert step is not None  # foreign key
    sync_evidence(ctx, step)
    data = {"alert_id": alert.id, "hit_id": hit_id, "list_version_id": version.id}
    events.record(ctx, row.app_id, row.session_id, "aml.alert", row.step_id, data)
    webhooks.notify(ctx, row.app_id, row.session_id, row.step_id, step.status, REASON)
    return alert.id


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
    for entity in entities:
        query = Query(
            entity.schema,
            entity.names,
            entity.birth_dates,
            entity.countries,
            entity.identifiers,
            entity.gender,
        )
        for position in index.candidates(query):
            subject = subjects[position]
            if not compatible(subject.query.schema, entity.schema):
                continue
            match = score(subject.query, entity)
            if match.score < subject.threshold:
                continue
            where = {
                "app_id": subject.row.app_id,
                "applicant_id": subject.row.applicant_id,
                "session_id": subject.row.session_id,
                "step_id": subject.row.step_id,
            }
            hit, news = service.keep_hit(ctx, where, entity, match, "monitoring")
            if hit is not None and news:
                report.alerts.append(_raise_alert(ctx, subject, hit.id, version))
    return report
