"""Sessions: created from the app's flow, status rolled up from the steps, reset."""

from __future__ import annotations

from typing import Any

from openkyc.domain.app.service import Caller
from openkyc.domain.context import Ctx
from openkyc.domain.event import service as events
from openkyc.domain.session import repository as repo
from openkyc.domain.session.schemas import (
    MAX_ALIAS,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE,
    SessionStatus,
    rollup,
)
from openkyc.domain.step.schemas import StepStatus
from openkyc.domain.webhook import service as webhooks
from openkyc.errors import Invalid, NotFound, Unauthorized
from openkyc.kit.ids import new_numeric_id, new_uuid
from openkyc.models import Applicant, Session, Step


def validate_metadata(metadata: Any) -> dict[str, str]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise Invalid("metadata must be an object of strings")
    if len(metadata) > MAX_METADATA_KEYS:
        raise Invalid(f"metadata holds at most {MAX_METADATA_KEYS} keys")
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise Invalid(f"metadata value of {key!r} must be a string")
        if len(key) > MAX_METADATA_VALUE or len(value) > MAX_METADATA_VALUE:
            raise Invalid(f"metadata keys and values are at most {MAX_METADATA_VALUE} characters")
    return dict(metadata)


def init_session(
    ctx: Ctx,
    caller: Caller,
    alias: str,
    metadata: Any = None,
    applicant: Applicant | None = None,
    flow: list[dict[str, Any]] | None = None,
) -> Session:
    """A session for a new applicant, or for a known one (`applicant`, e.g. a Synctera
    person being verified) with its own list of steps (`flow`, default: the app's)."""
    if not isinstance(alias, str) or not alias.strip() or len(alias) > MAX_ALIAS:
        raise Invalid(f"alias must be a non-empty string of at most {MAX_ALIAS} characters")
    meta = validate_metadata(metadata)
    app = caller.app
    applicant = applicant or Applicant(
        id=new_uuid(), app_id=app.id, kind="person", declared=None, created_at=ctx.now
    )
    session = Session(
        id=new_uuid(),
        app_id=app.id,
        applicant_id=applicant.id,
        alias=alias,
        status=SessionStatus.SUBMISSION_REQUIRED,
        sandbox=caller.sandbox,
        meta=meta,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    # No ORM relationships, so the flush order is ours: parents first.
    ctx.db.add(applicant)
    ctx.db.flush()
    ctx.db.add(session)
    ctx.db.flush()
    for position, entry in enumerate(app.flow if flow is None else flow):
        ctx.db.add(
            Step(
                id=new_numeric_id(12),
                app_id=app.id,
                session_id=session.id,
                position=position,
                type=entry["type"],
                status=StepStatus.SUBMISSION_REQUIRED,
                settings=entry.get("settings", {}),
                updated_at=ctx.now,
            )
        )
    events.record(ctx, app.id, session.id, "session.created", data={"sandbox": caller.sandbox})
    ctx.db.flush()
    from openkyc.domain.step.service import start_automatic  # the step service imports us

    start_automatic(ctx, session.id)
    return session


def get_session(ctx: Ctx, app_id: str, session_id: str) -> Session:
    session = repo.get(ctx.db, app_id, session_id)
    if session is None:
        raise NotFound(f"session {session_id} not found")
    return session


def of_applicant(ctx: Ctx, session_id: str | None) -> Session:
    """The session whose id the applicant presents (the end-user APIs' credential)."""
    if not session_id:
        raise Unauthorized("missing Session-Id header")
    session = repo.get_any(ctx.db, session_id.strip())
    if session is None:
        raise Unauthorized("invalid Session-Id")
    return session


def overview(
    ctx: Ctx, app_id: str, session_id: str
) -> tuple[repo.SessionState, list[repo.StepState]]:
    """The session with each step's id, type and status (what a status poll shows)."""
    found = repo.with_step_states(ctx.db, app_id, session_id)
    if found is None:
        raise NotFound(f"session {session_id} not found")
    return found


def steps_of(ctx: Ctx, session: Session) -> list[Step]:
    return list(repo.steps(ctx.db, session.id))


def refresh_status(ctx: Ctx, session: Session) -> None:
    """Roll the status up from the steps; on a change, log it and tell the webhooks."""
    ctx.db.flush()  # the statuses are read from the database: pending changes first
    new = rollup(repo.step_statuses(ctx.db, session.id))
    session.updated_at = ctx.now
    if new == session.status:
        return
    old, session.status = session.status, new
    events.record(ctx, session.app_id, session.id, "session.status", data={"from": old, "to": new})
    webhooks.notify(ctx, session.app_id, session.id, "", new, "")


def reset(ctx: Ctx, app_id: str, session_id: str) -> Session:
    """Every step back to SUBMISSION_REQUIRED; evidence is kept in the attempts and events."""
    session = get_session(ctx, app_id, session_id)
    for step in repo.steps(ctx.db, session.id):
        step.status = StepStatus.SUBMISSION_REQUIRED
        step.reason_code = None
        step.reason_message = None
        step.needs_review = False
        step.check_enqueued_at = None
        step.updated_at = ctx.now
    session.status = SessionStatus.SUBMISSION_REQUIRED
    session.updated_at = ctx.now
    events.record(ctx, app_id, session.id, "session.reset")
    webhooks.notify(ctx, app_id, session.id, "", "RESET", "")
    ctx.db.flush()
    from openkyc.domain.step.service import start_automatic  # the step service imports us

    # Server-run steps (AML, DUPLICATE) have no applicant to submit them again: without
    # this, a session whose AML runs on declared data would wait forever after a reset.
    start_automatic(ctx, session.id)
    return session
