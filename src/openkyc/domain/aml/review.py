"""Reviewers and hits: list them, clear one as a false positive, follow alerts.

The AML step's evidence is kept in step with the open hits: clearing one takes it out of
the payload (and out of `action_required` once none is left).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openkyc.domain.aml import repository as repo
from openkyc.domain.aml import service
from openkyc.domain.context import Ctx
from openkyc.domain.event import service as events
from openkyc.domain.step import repository as steps_repo
from openkyc.errors import Conflict, Invalid, NotFound
from openkyc.models import Step
from openkyc.models.aml import Alert, Hit

SYNAPS_KEYS = ("fields", "aliases", "media", "info", "type")


def sync_evidence(ctx: Ctx, step: Step, open_hits: Sequence[Hit] | None = None) -> None:
    """Rewrite the AML step's hits from its open hit rows (read here unless given, best
    first)."""
    if open_hits is None:
        found = repo.hits_of_step(ctx.db, step.app_id, step.id)
        open_hits = [h for h in found if h.status == "open"]
    entries = [service.hit_entry(h) for h in open_hits]
    evidence = dict(step.evidence or {})
    evidence["hits"] = [{k: e[k] for k in SYNAPS_KEYS} for e in entries]
    evidence["total_hits"] = len(entries)
    evidence["action_required"] = bool(entries)
    evidence["matches"] = [
        {k: e[k] for k in ("hit_id", "entity_id", "dataset", "score", "features")} for e in entries
    ]
    step.evidence = evidence  # a new dict: JSON columns see reassignment, not mutation
    step.updated_at = ctx.now


def describe_hit(row: Hit) -> dict[str, Any]:
    return {
        "id": row.id,
        "session_id": row.session_id,
        "step_id": row.step_id,
        "dataset": row.dataset,
        "entity_id": row.entity_id,
        "score": row.score,
        "features": row.features,
        "hit": row.summary,
        "status": row.status,
        "origin": row.origin,
        "cleared_by": row.cleared_by,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def describe_alert(row: Alert) -> dict[str, Any]:
    return {
        "id": row.id,
        "session_id": row.session_id,
        "step_id": row.step_id,
        "hit_id": row.hit_id,
        "list_version_id": row.list_version_id,
        "status": row.status,
        "created_at": row.created_at.isoformat(),
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
    }


def hits_of_step(ctx: Ctx, app_id: str, step_id: str) -> Sequence[Hit]:
    step = steps_repo.get(ctx.db, app_id, step_id)
    if step is None or step.type != "AML":
        raise NotFound(f"AML step {step_id} not found")
    return repo.hits_of_step(ctx.db, app_id, step_id)


def clear_hit(ctx: Ctx, app_id: str, hit_id: str, reviewer: str) -> Hit:
    """A false positive: this entity, as it is now, no longer alerts for this applicant."""
    row = repo.hit(ctx.db, app_id, hit_id)
    if row is None:
        raise NotFound(f"hit {hit_id} not found")
    if row.status != "open":
        raise Conflict(f"hit {hit_id} is {row.status} already")
    row.status = "cleared"
    row.cleared_by = reviewer
    row.cleared_fingerprint = row.fingerprint
    row.updated_at = ctx.now
    for alert in repo.open_alerts_of_hit(ctx.db, app_id, hit_id):
        alert.status = "closed"
        alert.closed_at = ctx.now
    step = steps_repo.get(ctx.db, app_id, row.step_id)
    if step is not None:
        sync_evidence(ctx, step)
    events.record(ctx, app_id, row.session_id, "aml.hit_cleared", row.step_id, {"hit_id": row.id})
    ctx.db.flush()
    return row


def alerts(
    ctx: Ctx, app_id: str, status: str | None, limit: int = 50, offset: int = 0
) -> Sequence[Alert]:
    if status not in (None, "open", "closed"):
        raise Invalid("status is open or closed")
    return repo.alerts(ctx.db, app_id, status, limit, offset)
