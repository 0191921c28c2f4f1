"""Everything a reviewer sees on one session, gathered in one call: the applicant, each
step with its submission, evidence, files (signed links), attempts, decisions and AML
hits, and the session's event log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from openkyc.domain.aml import repository as aml_repo
from openkyc.domain.app import service as apps
from openkyc.domain.applicant import service as applicants
from openkyc.domain.context import Ctx
from openkyc.domain.event import service as events
from openkyc.domain.file import service as files
from openkyc.domain.review import four_eyes
from openkyc.domain.session import service as sessions
from openkyc.domain.step import repository as steps_repo
from openkyc.domain.step import service as steps
from openkyc.models import App, Applicant, Attempt, Decision, Event, Session, Step
from openkyc.models.aml import Hit


@dataclass
class StepCase:
    step: Step
    submission: dict[str, Any]
    evidence: dict[str, Any]
    uploads: dict[str, dict[str, Any]]
    processed: dict[str, dict[str, Any]]
    attempts: Sequence[Attempt]
    decisions: Sequence[Decision]
    hits: Sequence[Hit] = ()
    first_approval: Decision | None = None
    overrides_check: bool = False


@dataclass
class Case:
    app: App
    session: Session
    declared: dict[str, Any]
    steps: list[StepCase]
    events: Sequence[Event]
    four_eyes: bool
    by_type: dict[str, StepCase] = field(default_factory=dict)


def _files(ctx: Ctx, step: Step) -> tuple[dict[str, Any], dict[str, Any]]:
    uploads: dict[str, Any] = {}
    processed: dict[str, Any] = {}
    for row in files.of_attempt(ctx, step):
        if row.kind.startswith(files.PROCESSED):
            processed[row.kind.removeprefix(files.PROCESSED)] = files.describe(ctx, row)
        else:
            uploads[row.kind] = files.describe(ctx, row)
    return uploads, processed


def _step_case(ctx: Ctx, step: Step) -> StepCase:
    uploads, processed = _files(ctx, step)
    decisions = ctx.db.scalars(
        select(Decision).where(Decision.step_id == step.id).order_by(Decision.created_at)
    ).all()
    hits = aml_repo.hits_of_step(ctx.db, step.app_id, step.id) if step.type == "AML" else ()
    return StepCase(
        step=step,
        submission=steps.submission(ctx, step),
        evidence=step.evidence or {},
        uploads=uploads,
        processed=processed,
        attempts=steps_repo.attempts(ctx.db, step.id),
        decisions=decisions,
        hits=hits,
        first_approval=four_eyes.pending_first(ctx, step),
        overrides_check=four_eyes.overrides_check(step),
    )


def session_case(ctx: Ctx, app_id: str, session_id: str) -> Case:
    """One app's session (NotFound for another app's id), ready to render."""
    session = sessions.get_session(ctx, app_id, session_id)
    app = apps.get_app(ctx, app_id)
    applicant = ctx.db.get(Applicant, session.applicant_id)
    declared = applicants.view(ctx, applicant).data if applicant is not None else {}
    cases = [_step_case(ctx, s) for s in sessions.steps_of(ctx, session)]
    return Case(
        app=app,
        session=session,
        declared=declared,
        steps=cases,
        events=events.list_for_session(ctx, app_id, session_id),
        four_eyes=four_eyes.enabled(app),
        by_type={c.step.type: c for c in cases},
    )
