"""What the AML check may ask of the system, bound to one job (the check's port).

It reads through the read-only view the check runs with; what it found (hits, the
monitoring registration) is stored by `keep`, in the transaction that records the step's
decision: with it, or not at all. The check never sees the database, only these few
questions.
"""

from __future__ import annotations

from typing import Any

from openkyc.checks.aml import payload
from openkyc.checks.aml.index import Result
from openkyc.checks.aml.keys import stored_keys
from openkyc.checks.aml.match import Query
from openkyc.checks.aml.text import analyze
from openkyc.domain.aml import repository as repo
from openkyc.domain.aml import service
from openkyc.domain.applicant import service as applicants
from openkyc.domain.context import Ctx
from openkyc.domain.session import repository as session_repo
from openkyc.errors import NotFound
from openkyc.models import App, Applicant, Session, Step
from openkyc.models.aml import Monitored


def subject_json(query: Query) -> dict[str, Any]:
    """What monitoring keeps of an applicant (encrypted)."""
    return {
        "schema": query.schema,
        "names": list(query.names),
        "birth_dates": list(query.birth_dates),
        "countries": list(query.countries),
        "identifiers": list(query.identifiers),
        "gender": query.gender,
        "family": sorted(query.family),
    }


def subject_query(data: dict[str, Any]) -> Query:
    return Query(
        schema=str(data.get("schema") or "Person"),
        names=tuple(data.get("names") or ()),
        birth_dates=tuple(data.get("birth_dates") or ()),
        countries=tuple(data.get("countries") or ()),
        identifiers=tuple(data.get("identifiers") or ()),
        gender=data.get("gender"),
        family=frozenset(data.get("family") or ()),
    )


def hashed_key(ctx: Ctx, key: str) -> str:
    """Monitoring keys are stored as keyed hashes: the reverse index holds no name."""
    return ctx.ports.crypto.keyed_hash(f"aml-monitor:{key}")[:16]


def aml_settings(app: App | None) -> dict[str, Any]:
    found = (app.settings or {}).get("aml") if app is not None else None
    return dict(found) if isinstance(found, dict) else {}


class StepScreening:
    def __init__(self, ctx: Ctx, app_id: str, session_id: str) -> None:
        self.ctx = ctx
        session = session_repo.get(ctx.db, app_id, session_id)
        if session is None:
            raise NotFound(f"session {session_id} not found")
        self.session: Session = session
        step = next((s for s in session_repo.steps(ctx.db, session_id) if s.type == "AML"), None)
        if step is None:
            raise NotFound(f"session {session_id} has no AML step")
        self.step: Step = step
        self.found: list[Result] = []
        self.monitored: Query | None = None

    def declared(self) -> tuple[str, dict[str, Any]]:
        row = self.ctx.db.get(Applicant, self.session.applicant_id)
        if row is None or row.declared is None:
            return "person", {}
        view = applicants.view(self.ctx, row)
        return str(view.kind.value), dict(view.data)

    def app_settings(self) -> dict[str, Any]:
        return aml_settings(self.ctx.db.get(App, self.session.app_id))

    def where(self) -> dict[str, str]:
        return {
            "app_id": self.session.app_id,
            "applicant_id": self.session.applicant_id,
            "session_id": self.session.id,
            "step_id": self.step.id,
        }

    def screen(self, query: Query, threshold: float) -> list[dict[str, Any]]:
        known = repo.hits_of(self.ctx.db, self.session.app_id, self.session.applicant_id)
        cleared = {
            (h.dataset, h.entity_id, h.cleared_fingerprint) for h in known if h.status == "cleared"
        }
        hits = []
        for result in service.search(self.ctx, query, self.session.app_id, threshold):
            entity = result.entity
            if (entity.details.get("dataset", ""), entity.id, entity.fingerprint()) in cleared:
                continue  # a reviewer's false positive, unchanged since
            self.found.append(result)
            hits.append({**payload.explained_hit(entity, result.match), "hit_id": None})
        return hits

    def lists(self) -> list[str]:
        return service.active_lists(self.ctx, self.session.app_id)

    def monitor(self, query: Query) -> None:
        self.monitored = query

    def keep(self, ctx: Ctx) -> list[dict[str, Any]]:
        hits = []
        for result in self.found:
            row, _ = service.keep_hit(ctx, self.where(), result.entity, result.match, "screening")
            if row is not None:
                hits.append(service.hit_entry(row))
        if self.monitored is not None:
            self._register(ctx, self.monitored)
        return hits

    def _register(self, ctx: Ctx, query: Query) -> None:
        blob = ctx.ports.crypto.encrypt_json(subject_json(query))
        row = repo.monitored(ctx.db, self.session.app_id, self.step.id)
        if row is None:
            ctx.db.add(
                Monitored(
                    step_id=self.step.id,
                    app_id=self.session.app_id,
                    applicant_id=self.session.applicant_id,
                    session_id=self.session.id,
                    subject=blob,
                    created_at=ctx.now,
                )
            )
        else:
            row.subject = blob
        ctx.db.flush()
        forms = [analyze(name, query.is_person) for name in query.names]
        keys = stored_keys(forms, query.identifiers)
        repo.replace_keys(ctx.db, self.step.id, {hashed_key(ctx, k) for k in keys})
